#pragma once

#include "CommandConnection.h"
#include "ConnectionOptions.h"
#include "SubscriberConnection.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QTimer>

namespace Redwire {

class RedisSubscription;

// What the rest of Redwire talks to: a command connection and a subscriber connection to one
// server, with the subscriber's liveness proven by a heartbeat published over the command
// connection. A subscriber that hears nothing (not even its heartbeat) for 1.5 heartbeat
// intervals is declared dead and replaced. One server today; a cluster client would hold a set.
class RedisClient : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
public:
    explicit RedisClient(const ConnectionOptions &options = {}, QObject *parent = nullptr);
    ~RedisClient() override;

    void setOptions(const ConnectionOptions &options);
    const ConnectionOptions &options() const { return m_options; }

    CommandConnection *commands() const { return m_commands; }
    SubscriberConnection *subscriber() const { return m_subscriber; }
    bool isConnected() const;

    // Returns the subscription object for the topic (the same one when asked again), or nullptr
    // when the topic is refused (the reason in subscriptionFailed / the object's error).
    RedisSubscription *subscribe(const QByteArray &channel);
    RedisSubscription *psubscribe(const QByteArray &pattern);
    RedisSubscription *subscription(SubscriberConnection::TopicKind kind, const QByteArray &name) const;

public Q_SLOTS:
    void connectToServer();
    void disconnectFromServer();

Q_SIGNALS:
    void connectedChanged(bool connected);
    // The subscriber went silent for this long and is being replaced.
    void heartbeatMissed(int silenceMs);

private:
    friend class RedisSubscription;
    RedisSubscription *subscribeTopic(SubscriberConnection::TopicKind kind, const QByteArray &name);
    void release(RedisSubscription *subscription);
    void heartbeatTick();
    void resetSilence();
    void updateConnected();
    void updateRouting();

    ConnectionOptions m_options;
    CommandConnection *m_commands;
    SubscriberConnection *m_subscriber;
    QHash<QByteArray, RedisSubscription *> m_channels;
    QHash<QByteArray, RedisSubscription *> m_patterns;
    QMetaObject::Connection m_routeMessages;
    QMetaObject::Connection m_routePatternMessages;
    QTimer m_heartbeatTimer;
    QElapsedTimer m_sinceLastFrame;
    QElapsedTimer m_sinceLastPublish;
    quint64 m_framesSeen = 0;
    quint64 m_heartbeatSequence = 0;
    bool m_connected = false;
};

} // namespace Redwire
