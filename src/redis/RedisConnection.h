#pragma once

#include "ConnectionOptions.h"
#include "ConnectionRole.h"
#include "RedisError.h"
#include "RedisReply.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

namespace Redwire {

class HiredisLink;
struct PubSubEvent;

// One connection to one Redis server, kept alive: name lookup, connect, AUTH/SELECT/CLIENT SETNAME,
// timeouts, and reconnecting with backoff when the connection drops. Subclasses say what travels
// over it: CommandConnection (request/reply) and SubscriberConnection (Pub/Sub).
// Everything is asynchronous; no call blocks the event loop.
class RedisConnection : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(Redwire::RedisError::Code error READ error NOTIFY errorChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    Q_PROPERTY(int attempt READ attempt NOTIFY stateChanged)
    Q_PROPERTY(int nextRetryDelayMs READ nextRetryDelayMs NOTIFY stateChanged)
    Q_PROPERTY(QString endpoint READ endpoint CONSTANT)
public:
    enum class State {
        Disconnected, // idle; connectToServer() starts
        Connecting, // looking up the name, connecting, authenticating
        Connected,
        Reconnecting, // waiting nextRetryDelayMs before the next attempt
    };
    Q_ENUM(State)

    // Receives the reply, or an error when no reply will come (timeout, disconnect). Called
    // exactly once per command, never from inside hiredis.
    using ReplyHandler = std::function<void(const RedisReply &reply, const RedisError &error)>;

    ~RedisConnection() override;

    const ConnectionOptions &options() const { return m_options; }
    // Takes effect at the next connect.
    void setOptions(const ConnectionOptions &options);

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    RedisError lastError() const { return m_lastError; }
    RedisError::Code error() const { return m_lastError.code(); }
    QString errorString() const { return m_lastError.message(); }
    // Failed attempts since the last successful connect.
    int attempt() const { return m_attempt; }
    // The delay chosen before the next attempt; -1 when none is scheduled.
    int nextRetryDelayMs() const { return m_state == State::Reconnecting ? m_nextRetryDelayMs : -1; }
    // Milliseconds left before the next attempt, for a countdown; -1 when none is scheduled.
    int remainingRetryDelayMs() const;
    QString endpoint() const { return m_options.endpointDisplayName(); }

public Q_SLOTS:
    void connectToServer();
    // Closes the connection and stops reconnecting. Pending commands fail with Aborted.
    void disconnectFromServer();
    // Skips the rest of the backoff delay.
    void reconnectNow();

public:
    // Drops the current connection with this error (e.g. a failed liveness check); reconnects
    // unless the error is permanent or reconnecting is off.
    void failConnection(const Redwire::RedisError &error);

Q_SIGNALS:
    void stateChanged(Redwire::RedisConnection::State state);
    void connected();
    void disconnected();
    void errorChanged();
    // Every failure: the error, failed attempts so far, and the delay before the next attempt
    // (-1 when it will not retry: a permanent error, or reconnecting is off).
    void errorOccurred(const Redwire::RedisError &error, int attempt, int nextRetryDelayMs);
    void reconnectScheduled(int attempt, int delayMs);
    // The connection has stayed up for ReconnectPolicy::healthyAfterMs: the next drop waits the
    // first backoff delay again.
    void healthy();
    // A command was answered -READONLY: this server is a replica now (after a failover), though
    // the connection still works. Sentinel support then asks where the master went.
    void readOnlyReplyReceived();

protected:
    RedisConnection(ConnectionRole role, const ConnectionOptions &options, QObject *parent);

    // The handshake is done: send what this connection needs (subscriptions) before it is Connected.
    virtual void prepareConnected() { }
    // The link is gone, before any reconnect is scheduled. Returns the error to report and to
    // decide on retrying with (a subclass may know better, e.g. which subscription was refused).
    virtual RedisError connectionLost(const RedisError &error) { return error; }
    virtual void pubSubEvent(PubSubEvent &event) { Q_UNUSED(event) }

    // Sends one command whose reply comes back in order. Fails (asynchronously, through the
    // handler) when not connected unless `duringHandshake`.
    void sendCommand(const QList<QByteArray> &args, ReplyHandler handler, bool duringHandshake = false);
    // Sends (P)SUBSCRIBE/(P)UNSUBSCRIBE on a subscriber connection; returns false when not connected.
    bool sendSubscription(const QList<QByteArray> &args);
    // A liveness PING on a subscribed connection; false when not connected or not subscribed.
    bool sendPing(const QByteArray &token);

private:
    friend class HiredisLink;
    struct PendingCommand
    {
        ReplyHandler handler;
        qint64 sentAtMs;
    };

    // Called by HiredisLink, never from inside a hiredis callback.
    void linkConnected();
    void linkClosed(const RedisError &error);
    void linkReply(RedisReply &&reply);
    void linkPubSub(PubSubEvent &event);

    void setState(State state);
    void setError(const RedisError &error);
    void startAttempt();
    void resolveAndConnect();
    void connectToAddress();
    void startHandshake();
    void handshakeFailed(const RedisError &error);
    void handshakeStepDone();
    void scheduleReconnect(const RedisError &error);
    void failPending(const RedisError &error);
    void commandTimerFired();
    void connectTimerFired();

    ConnectionOptions m_options;
    State m_state = State::Disconnected;
    RedisError m_lastError;
    int m_attempt = 0;
    int m_nextRetryDelayMs = -1;
    bool m_handshakeDone = false;
    int m_handshakeStepsLeft = 0;
    int m_lookupId = -1;
    QStringList m_addresses;
    int m_addressIndex = 0;
    std::unique_ptr<HiredisLink> m_link;
    std::deque<PendingCommand> m_pending;
    QElapsedTimer m_clock;
    QTimer m_retryTimer;
    QTimer m_healthyTimer; // resets the backoff once a connection has lasted healthyAfterMs
    QTimer m_connectTimer;
    QTimer m_commandTimer;
    std::unique_ptr<class ReconnectBackoff> m_backoff;
};

} // namespace Redwire
