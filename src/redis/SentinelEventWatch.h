#pragma once

#include "ConnectionOptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

namespace Redwire {

class SubscriberConnection;

// Listens to every sentinel's event channels (+sdown, +odown, +switch-master, ...) over a
// subscriber connection per sentinel, and passes on the events that concern one master. A switch
// is reported as soon as the first sentinel announces it: the demoted master may serve for a
// while before it learns it is a replica, so waiting to be disconnected is too late.
class SentinelEventWatch : public QObject
{
    Q_OBJECT
public:
    explicit SentinelEventWatch(const ConnectionOptions &options, QObject *parent = nullptr);
    ~SentinelEventWatch() override;

    // Watches these sentinels (connections to ones no longer listed are closed).
    void setSentinels(const QList<ServerAddress> &sentinels);
    void start();
    void stop();
    int connectedSentinels() const;

    // Whether an event from a sentinel concerns `master`, and the new address in a +switch-master.
    static bool concerns(const QByteArray &event, const QByteArray &detail, const QByteArray &master);
    static ServerAddress switchedTo(const QByteArray &detail);

Q_SIGNALS:
    // Each event once, from the first sentinel that reports it.
    void eventReceived(
        const Redwire::ServerAddress &sentinel, const QByteArray &event, const QByteArray &detail);
    void masterSwitched(const Redwire::ServerAddress &master);

private:
    void add(const ServerAddress &sentinel);
    bool isFirstReport(const QByteArray &event);

    ConnectionOptions m_options;
    QByteArray m_master;
    bool m_started = false;
    QHash<QString, SubscriberConnection *> m_connections; // by ServerAddress::displayName()
    QHash<QByteArray, qint64> m_recent; // event and detail -> when first reported (m_clock)
    QElapsedTimer m_clock;
};

} // namespace Redwire
