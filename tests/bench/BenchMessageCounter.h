// What a Qt benchmark client does with each message (bench_sub_redwire, bench_sub_shards): a
// receiver of messageReceived-like signals that looks at the payload (its size and bytes go into
// the checksum, so nothing is optimised away), and stops the event loop at the N-th message or
// when finish() is called.
#pragma once

#include "bench_common.h"

#include <QByteArray>
#include <QEventLoop>
#include <QObject>

class BenchMessageCounter : public QObject
{
public:
    BenchMessageCounter(long count, QEventLoop *loop)
        : m_count(count)
        , m_loop(loop)
    { }

    bench_tally tally {};
    const char *status = "error";
    bool finished = false;

    void finish(const char *why)
    {
        if (finished)
            return;
        finished = true;
        status = why;
        tally.end = bench_now();
        m_loop->quit();
    }

    void onMessage(const QByteArray &channel, const QByteArray &payload)
    {
        Q_UNUSED(channel)
        if (finished)
            return;
        bench_count(&tally, payload.constData(), size_t(payload.size()));
        if (tally.received == m_count)
            finish("ok");
    }

protected:
    QEventLoop *loop() const { return m_loop; }

private:
    long m_count;
    QEventLoop *m_loop;
};
