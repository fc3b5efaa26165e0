#include "RawPublisher.h"

#include "SoakTime.h"

#include "redis/CommandConnection.h"

#include "RedisServerProcess.h"

#include <QDateTime>

using Redwire::RedisError;
using Redwire::RedisReply;

namespace RedwireSoak {

namespace {
constexpr int PayloadBytes = 100;
// A server stopped for 15 s holds the steady stream's commands: not a reason to pile up more.
constexpr int MaxPending = 2000;

} // namespace

RawPublisher::RawPublisher(
    const Redwire::ConnectionOptions &options, const QByteArray &channel, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_connection(new Redwire::CommandConnection(options, this))
    , m_channel(channel)
{
    m_timer.setInterval(intervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (publishOne() < 0)
            ++m_skipped;
    });
}

RawPublisher::~RawPublisher() = default;

void RawPublisher::start()
{
    m_connection->connectToServer();
    m_timer.start();
}

void RawPublisher::stop()
{
    m_timer.stop();
}

int RawPublisher::publishOne()
{
    if (!m_connection->isConnected() || m_pending >= MaxPending)
        return -1;
    const int number = int(m_publications.size());
    Publication publication;
    publication.sentMs = now();
    m_publications.push_back(publication);
    ++m_pending;
    m_connection->send({ "PUBLISH", m_channel, payload(number) },
        [this, number](const RedisReply &reply, const RedisError &error) {
            --m_pending;
            Publication &publication = m_publications[size_t(number)];
            publication.answeredMs = now();
            if (!error.isError() && reply.isInteger()) {
                publication.outcome = Outcome::Published;
                publication.receivers = int(reply.toInteger());
            } else if (reply.isError() || error.code() == RedisError::Code::NotConnected) {
                publication.outcome = Outcome::NotPublished;
            } else {
                publication.outcome = Outcome::Unknown;
            }
        });
    return number;
}

QByteArray RawPublisher::prepareBurst(int count, int *first)
{
    *first = int(m_publications.size());
    QByteArray commands;
    commands.reserve(qsizetype(count) * (PayloadBytes + 64));
    const qint64 sentMs = now();
    for (int i = 0; i < count; ++i) {
        Publication publication;
        publication.sentMs = sentMs;
        publication.burst = true;
        m_publications.push_back(publication);
        commands
            += RedwireTest::RedisServerProcess::respCommand({ "PUBLISH", m_channel, payload(*first + i) });
    }
    return commands;
}

void RawPublisher::finishBurst(int first, int count, bool allPublished)
{
    const qint64 answeredMs = now();
    for (int i = first; i < first + count; ++i) {
        Publication &publication = m_publications[size_t(i)];
        publication.answeredMs = answeredMs;
        publication.outcome = allPublished ? Outcome::Published : Outcome::Unknown;
    }
}

QByteArray RawPublisher::payload(int number)
{
    QByteArray bytes = "raw:" + QByteArray::number(number) + ':';
    return bytes.leftJustified(PayloadBytes, 'x');
}

int RawPublisher::numberOf(QByteArrayView payload)
{
    if (!payload.startsWith("raw:"))
        return -1;
    const qsizetype end = payload.indexOf(':', 4);
    if (end < 0)
        return -1;
    bool ok = false;
    const int number = payload.sliced(4, end - 4).toByteArray().toInt(&ok);
    return ok && number >= 0 ? number : -1;
}

} // namespace RedwireSoak
