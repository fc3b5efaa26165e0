#include "SentinelEventWatch.h"

#include "SubscriberConnection.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

namespace {
// Every event a sentinel publishes has a channel of its own named after it; these concern a
// master's availability and failover (https://redis.io/docs/management/sentinel/#pubsub-messages).
const char *const EventChannels[] = { "+switch-master", "+sdown", "-sdown", "+odown", "-odown",
    "+try-failover", "+elected-leader", "+failover-state-select-slave", "+selected-slave", "+promoted-slave",
    "+failover-state-reconf-slaves", "+failover-end", "+failover-end-for-timeout",
    "-failover-abort-not-elected", "-failover-abort-no-good-slave", "+convert-to-slave", "+reboot", "+tilt",
    "-tilt" };
} // namespace

SentinelEventWatch::SentinelEventWatch(const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_master(options.sentinelMaster.toUtf8())
{
    m_clock.start();
    for (const ServerAddress &sentinel : options.seeds)
        add(sentinel);
}

SentinelEventWatch::~SentinelEventWatch() = default;

bool SentinelEventWatch::concerns(const QByteArray &event, const QByteArray &detail, const QByteArray &master)
{
    if (event == "+tilt" || event == "-tilt")
        return true; // about the sentinel itself: its judgement is suspended
    const QList<QByteArray> words = detail.split(' ');
    if (event == "+switch-master")
        return words.value(0) == master;
    // "<type> <name> <ip> <port>" for the master itself, "... @ <master> <ip> <port>" for the rest.
    if (words.value(0) == "master" && words.value(1) == master)
        return true;
    const qsizetype at = words.indexOf("@");
    return at >= 0 && words.value(at + 1) == master;
}

ServerAddress SentinelEventWatch::switchedTo(const QByteArray &detail)
{
    // "<master name> <old ip> <old port> <new ip> <new port>"
    const QList<QByteArray> words = detail.split(' ');
    if (words.size() != 5)
        return {};
    bool ok = false;
    const uint port = words.at(4).toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return {};
    return { QString::fromUtf8(words.at(3)), quint16(port) };
}

void SentinelEventWatch::add(const ServerAddress &sentinel)
{
    const QString key = sentinel.displayName();
    if (m_connections.contains(key))
        return;
    ConnectionOptions options;
    options.host = sentinel.host;
    options.port = sentinel.port;
    options.connectTimeoutMs = m_options.discoveryTimeoutMs;
    options.commandTimeoutMs = m_options.discoveryTimeoutMs;
    options.heartbeatIntervalMs = 0;
    options.reconnect.maxDelayMs = 5000;
    options.tls = m_options.tls;
    auto *connection = new SubscriberConnection(options, this);
    for (const char *channel : EventChannels)
        connection->subscribe(channel);
    connect(connection, &SubscriberConnection::messageReceived, this,
        [this, sentinel](const QByteArray &channel, const QByteArray &payload) {
            if (!concerns(channel, payload, m_master))
                return;
            qCInfo(lcRedis) << "sentinel" << sentinel.displayName() << channel << payload;
            if (isFirstReport(channel + ' ' + payload))
                Q_EMIT eventReceived(sentinel, channel, payload);
            if (channel == "+switch-master") {
                const ServerAddress master = switchedTo(payload);
                if (master.isValid())
                    Q_EMIT masterSwitched(master);
            }
        });
    m_connections.insert(key, connection);
    if (m_started)
        connection->connectToServer();
}

// Every sentinel announces most events: a user wants each once.
bool SentinelEventWatch::isFirstReport(const QByteArray &event)
{
    constexpr qint64 SameEventMs = 10000;
    const qint64 now = m_clock.elapsed();
    for (auto it = m_recent.begin(); it != m_recent.end();)
        it = now - it.value() > SameEventMs ? m_recent.erase(it) : std::next(it);
    if (m_recent.contains(event))
        return false;
    m_recent.insert(event, now);
    return true;
}

void SentinelEventWatch::setSentinels(const QList<ServerAddress> &sentinels)
{
    QStringList keep;
    for (const ServerAddress &sentinel : sentinels) {
        add(sentinel);
        keep << sentinel.displayName();
    }
    for (auto it = m_connections.begin(); it != m_connections.end();) {
        if (keep.contains(it.key())) {
            ++it;
            continue;
        }
        it.value()->disconnectFromServer();
        it.value()->deleteLater();
        it = m_connections.erase(it);
    }
}

void SentinelEventWatch::start()
{
    m_started = true;
    for (SubscriberConnection *connection : std::as_const(m_connections))
        connection->connectToServer();
}

void SentinelEventWatch::stop()
{
    m_started = false;
    for (SubscriberConnection *connection : std::as_const(m_connections))
        connection->disconnectFromServer();
}

int SentinelEventWatch::connectedSentinels() const
{
    int count = 0;
    for (const SubscriberConnection *connection : m_connections)
        count += connection->isConnected() ? 1 : 0;
    return count;
}

} // namespace Redwire
