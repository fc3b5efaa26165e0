#pragma once

#include "redis/ConnectionOptions.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <vector>

namespace Redwire {
class CommandConnection;
}

namespace RedwireSoak {

// Numbered messages on one plain channel: a steady stream of PUBLISH from a CommandConnection,
// and bursts of them sent by redis-cli --pipe. Remembers for every number when it was sent and
// what became of it, so that the check can tell a lost message from one never published.
class RawPublisher : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Pending, // no answer yet
        Published, // the server ran the PUBLISH (and said to how many subscribers)
        NotPublished, // refused before it reached the server, or an error reply
        Unknown, // the connection broke or timed out first: it may or may not have run
    };
    struct Publication
    {
        qint64 sentMs = 0; // wall clock, ms since the epoch
        qint64 answeredMs = 0;
        Outcome outcome = Outcome::Pending;
        int receivers = -1; // PUBLISH's reply; -1 when unknown (bursts, errors)
        bool burst = false;
    };

    RawPublisher(const Redwire::ConnectionOptions &options, const QByteArray &channel, int intervalMs,
        QObject *parent = nullptr);
    ~RawPublisher() override;

    QByteArray channel() const { return m_channel; }
    void start();
    void stop();
    // Publishes one more message now (when connected); its number, or -1.
    int publishOne();

    // A burst of `count` numbered messages as RESP commands for redis-cli --pipe; the numbers are
    // taken now and given back in `first`.
    QByteArray prepareBurst(int count, int *first);
    // What redis-cli --pipe said: all published (every reply and no error), or unknown.
    void finishBurst(int first, int count, bool allPublished);

    int pending() const { return m_pending; }
    int skippedTicks() const { return m_skipped; }
    const std::vector<Publication> &publications() const { return m_publications; }

    // "raw:<number>:xxx..." (about 100 bytes), and the number back (-1 when it is not one).
    static QByteArray payload(int number);
    static int numberOf(QByteArrayView payload);

private:
    Redwire::CommandConnection *m_connection;
    QByteArray m_channel;
    QTimer m_timer;
    std::vector<Publication> m_publications;
    int m_pending = 0;
    int m_skipped = 0;
};

} // namespace RedwireSoak
