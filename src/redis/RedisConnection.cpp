#include "RedisConnection.h"

#include "ReconnectBackoff.h"
#include "private/HiredisLink.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRedis, "redwire.redis")

namespace Redwire {

namespace {
// What a handshake error reply means for the user.
RedisError classifyHandshakeError(const QByteArray &command, const QByteArray &text)
{
    const QString message = QString::fromUtf8(text);
    if (text.startsWith("WRONGPASS") || text.startsWith("NOAUTH") || text.contains("invalid password")
        || (command == "AUTH" && text.startsWith("ERR")))
        return RedisError(RedisError::Code::AuthenticationFailed,
            RedisConnection::tr("Authentication failed: %1").arg(message));
    if (text.startsWith("NOPERM"))
        return RedisError(
            RedisError::Code::PermissionDenied, RedisConnection::tr("Permission denied: %1").arg(message));
    if (command == "SELECT")
        return RedisError(RedisError::Code::InvalidArgument,
            RedisConnection::tr("Cannot select the database: %1").arg(message));
    return RedisError(RedisError::Code::ServerError,
        RedisConnection::tr("%1 failed: %2").arg(QString::fromLatin1(command), message));
}
} // namespace

RedisConnection::RedisConnection(ConnectionRole role, const ConnectionOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_link(std::make_unique<HiredisLink>(role, this))
    , m_backoff(std::make_unique<ReconnectBackoff>(options.reconnect))
{
    m_clock.start();
    m_retryTimer.setSingleShot(true);
    m_healthyTimer.setSingleShot(true);
    connect(&m_healthyTimer, &QTimer::timeout, this, [this] {
        m_backoff->reset();
        Q_EMIT healthy();
    });
    m_connectTimer.setSingleShot(true);
    m_commandTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RedisConnection::startAttempt);
    connect(&m_connectTimer, &QTimer::timeout, this, &RedisConnection::connectTimerFired);
    connect(&m_commandTimer, &QTimer::timeout, this, &RedisConnection::commandTimerFired);
}

RedisConnection::~RedisConnection()
{
    if (m_lookupId != -1)
        QHostInfo::abortHostLookup(m_lookupId);
    m_link.reset();
    failPending(RedisError(RedisError::Code::Aborted, tr("The connection was destroyed.")));
}

void RedisConnection::setOptions(const ConnectionOptions &options)
{
    m_options = options;
    m_backoff->setPolicy(options.reconnect);
}

int RedisConnection::remainingRetryDelayMs() const
{
    return m_state == State::Reconnecting ? m_retryTimer.remainingTime() : -1;
}

void RedisConnection::connectToServer()
{
    if (m_state == State::Connected || m_state == State::Connecting)
        return;
    if (m_state == State::Reconnecting) {
        reconnectNow();
        return;
    }
    const QString problem = m_options.validate();
    if (!problem.isEmpty()) {
        const RedisError error(RedisError::Code::InvalidArgument, problem);
        setError(error);
        Q_EMIT errorOccurred(error, m_attempt, -1);
        return;
    }
    m_backoff->reset();
    m_attempt = 0;
    startAttempt();
}

void RedisConnection::disconnectFromServer()
{
    m_retryTimer.stop();
    m_connectTimer.stop();
    if (m_lookupId != -1) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    const RedisError aborted(RedisError::Code::Aborted, tr("Disconnected on request."));
    const bool hadLink = m_link->isOpen();
    m_link->abort(aborted, false);
    m_healthyTimer.stop();
    m_backoff->reset();
    m_attempt = 0;
    m_nextRetryDelayMs = -1;
    failPending(aborted);
    if (hadLink || m_state != State::Disconnected)
        connectionLost(aborted);
    setState(State::Disconnected);
}

void RedisConnection::reconnectNow()
{
    if (m_state == State::Reconnecting) {
        m_retryTimer.stop();
        startAttempt();
    } else if (m_state == State::Disconnected) {
        connectToServer();
    }
}

void RedisConnection::startAttempt()
{
    m_handshakeDone = false;
    m_addresses.clear();
    m_addressIndex = 0;
    m_nextRetryDelayMs = -1;
    setState(State::Connecting);
    m_connectTimer.start(m_options.connectTimeoutMs);
    resolveAndConnect();
}

void RedisConnection::resolveAndConnect()
{
    if (!m_options.unixSocket.isEmpty()) {
        m_addresses << QString();
        connectToAddress();
        return;
    }
    QHostAddress numeric;
    if (numeric.setAddress(m_options.host)) {
        m_addresses << numeric.toString();
        connectToAddress();
        return;
    }
    // hiredis 0.14 would resolve synchronously inside redisAsyncConnect: look the name up here.
    m_lookupId = QHostInfo::lookupHost(m_options.host, this, [this](const QHostInfo &info) {
        m_lookupId = -1;
        if (m_state != State::Connecting)
            return;
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            scheduleReconnect(RedisError(RedisError::Code::HostNotFound,
                tr("Cannot find host %1: %2").arg(m_options.host, info.errorString())));
            return;
        }
        // Redis binds IPv4 loopback by default; try IPv4 addresses first.
        for (const QHostAddress &address : info.addresses())
            if (address.protocol() == QAbstractSocket::IPv4Protocol)
                m_addresses << address.toString();
        for (const QHostAddress &address : info.addresses())
            if (address.protocol() != QAbstractSocket::IPv4Protocol)
                m_addresses << address.toString();
        connectToAddress();
    });
}

void RedisConnection::connectToAddress()
{
    qCDebug(lcRedis) << "connecting to" << m_options.endpointDisplayName() << "at"
                     << m_addresses.value(m_addressIndex);
    const RedisError error = m_link->open(m_options, m_addresses.value(m_addressIndex));
    if (error.isError())
        linkClosed(error);
}

void RedisConnection::linkConnected()
{
    startHandshake();
}

void RedisConnection::startHandshake()
{
    QList<QList<QByteArray>> steps;
    if (!m_options.password.isEmpty()) {
        if (m_options.username.isEmpty())
            steps.append({ "AUTH", m_options.password.toUtf8() });
        else
            steps.append({ "AUTH", m_options.username.toUtf8(), m_options.password.toUtf8() });
    }
    if (m_options.database != 0)
        steps.append({ "SELECT", QByteArray::number(m_options.database) });
    if (!m_options.clientName.isEmpty())
        steps.append({ "CLIENT", "SETNAME", m_options.clientName.toUtf8() });
    // Over TLS, hiredis reports "connected" before the TLS handshake is done; a first reply
    // proves it (and a refused certificate surfaces here, before we call ourselves connected).
    if (m_options.tls.enabled)
        steps.append({ "PING" });

    m_handshakeStepsLeft = int(steps.size());
    if (steps.isEmpty()) {
        handshakeStepDone();
        return;
    }
    // Pipelined; a failing step ends the attempt, the replies to the others are then ignored.
    for (const QList<QByteArray> &step : steps) {
        const QByteArray command = step.first();
        sendCommand(
            step,
            [this, command](const RedisReply &reply, const RedisError &error) {
                if (error.isError() || m_handshakeDone || m_handshakeStepsLeft <= 0)
                    return; // the connection is gone; linkClosed() handles it
                if (reply.isError()) {
                    handshakeFailed(classifyHandshakeError(command, reply.bytes()));
                    return;
                }
                --m_handshakeStepsLeft;
                if (m_handshakeStepsLeft == 0)
                    handshakeStepDone();
            },
            true);
    }
}

void RedisConnection::handshakeFailed(const RedisError &error)
{
    m_handshakeStepsLeft = -1;
    qCWarning(lcRedis) << "handshake with" << m_options.endpointDisplayName() << "failed:" << error.message();
    m_link->abort(error, true);
}

void RedisConnection::handshakeStepDone()
{
    m_handshakeDone = true;
    m_connectTimer.stop();
    // Not healthy yet: the backoff starts again only once this connection has lasted.
    m_healthyTimer.start(qMax(0, m_options.reconnect.healthyAfterMs));
    m_attempt = 0;
    setError(RedisError());
    prepareConnected();
    if (m_link->isOpen())
        setState(State::Connected);
}

void RedisConnection::linkReply(RedisReply &&reply)
{
    if (m_pending.empty()) {
        failConnection(
            RedisError(RedisError::Code::ProtocolError, tr("The server sent a reply nobody asked for.")));
        return;
    }
    ReplyHandler handler = std::move(m_pending.front().handler);
    m_pending.pop_front();
    if (reply.isError() && reply.bytes().startsWith("READONLY"))
        Q_EMIT readOnlyReplyReceived();
    if (handler)
        handler(reply, RedisError());
}

void RedisConnection::linkPubSub(PubSubEvent &event)
{
    pubSubEvent(event);
}

void RedisConnection::linkClosed(const RedisError &error)
{
    qCDebug(lcRedis) << m_options.endpointDisplayName() << "closed:" << error.message();
    failPending(error);
    RedisError revised = connectionLost(error);
    // After the handshake, a NOPERM / WRONGPASS / NOAUTH that closed the connection answered
    // nothing we sent (a subscriber's refused SUBSCRIBE is settled by connectionLost above):
    // a server that sends junk, to reconnect from, not a refusal of ours to give up on.
    if (m_handshakeDone
        && (revised.code() == RedisError::Code::PermissionDenied
            || revised.code() == RedisError::Code::AuthenticationFailed))
        revised = RedisError(RedisError::Code::ProtocolError,
            tr("The server sent an error nobody asked for: %1").arg(revised.message()));
    const bool tryNextAddress = m_state == State::Connecting && !m_handshakeDone
        && error.code() == RedisError::Code::ConnectionRefused && m_addressIndex + 1 < m_addresses.size();
    if (tryNextAddress) {
        ++m_addressIndex;
        // Never reconnect from inside the link's delivery: from the event loop.
        QTimer::singleShot(0, this, [this, index = m_addressIndex] {
            if (m_state == State::Connecting && m_addressIndex == index && !m_link->isOpen())
                connectToAddress();
        });
        return;
    }
    scheduleReconnect(revised);
}

void RedisConnection::scheduleReconnect(const RedisError &error)
{
    m_connectTimer.stop();
    m_healthyTimer.stop();
    m_handshakeDone = false;
    setError(error);
    if (error.isPermanent() || !m_options.reconnect.enabled) {
        ++m_attempt;
        m_nextRetryDelayMs = -1;
        setState(State::Disconnected);
        Q_EMIT errorOccurred(error, m_attempt, -1);
        return;
    }
    const int delay = m_backoff->nextDelayMs();
    m_attempt = m_backoff->attempt();
    m_nextRetryDelayMs = delay;
    m_retryTimer.start(delay);
    qCInfo(lcRedis) << m_options.endpointDisplayName() << error.message() << "- retrying in" << delay
                    << "ms (attempt" << m_attempt << ")";
    setState(State::Reconnecting);
    Q_EMIT errorOccurred(error, m_attempt, delay);
    Q_EMIT reconnectScheduled(m_attempt, delay);
}

void RedisConnection::failConnection(const RedisError &error)
{
    if (m_link->isOpen()) {
        m_link->abort(error, true);
        return;
    }
    if (m_state == State::Connecting) {
        if (m_lookupId != -1) {
            QHostInfo::abortHostLookup(m_lookupId);
            m_lookupId = -1;
        }
        failPending(error);
        scheduleReconnect(error);
    }
}

void RedisConnection::sendCommand(const QList<QByteArray> &args, ReplyHandler handler, bool duringHandshake)
{
    const bool ready = duringHandshake ? m_link->isOpen() : m_state == State::Connected && m_link->isOpen();
    if (ready) {
        m_pending.push_back({ std::move(handler), m_clock.elapsed() });
        if (m_link->send(args)) {
            if (m_options.commandTimeoutMs > 0 && !m_commandTimer.isActive())
                m_commandTimer.start(m_options.commandTimeoutMs);
            return;
        }
        handler = std::move(m_pending.back().handler);
        m_pending.pop_back();
    }
    if (!handler)
        return;
    const RedisError error(
        RedisError::Code::NotConnected, tr("Not connected to %1.").arg(m_options.endpointDisplayName()));
    // Never call back from inside the call.
    QTimer::singleShot(0, this, [handler = std::move(handler), error] { handler(RedisReply(), error); });
}

bool RedisConnection::sendSubscription(const QList<QByteArray> &args)
{
    if (!m_link->isOpen() || !(m_state == State::Connected || m_handshakeDone))
        return false;
    return m_link->sendSubscription(args);
}

bool RedisConnection::sendPing(const QByteArray &token)
{
    return m_link->isOpen() && m_state == State::Connected && m_link->sendPing(token);
}

void RedisConnection::failPending(const RedisError &error)
{
    m_commandTimer.stop();
    // Handlers may send new commands; those belong to the next connection, not to this loop.
    std::deque<PendingCommand> failed;
    failed.swap(m_pending);
    for (PendingCommand &command : failed)
        if (command.handler)
            command.handler(RedisReply(), error);
}

void RedisConnection::commandTimerFired()
{
    if (m_pending.empty() || m_options.commandTimeoutMs <= 0)
        return;
    const qint64 waited = m_clock.elapsed() - m_pending.front().sentAtMs;
    if (waited < m_options.commandTimeoutMs) {
        m_commandTimer.start(int(m_options.commandTimeoutMs - waited));
        return;
    }
    // Replies come in order: with one missing, the connection cannot be trusted any more.
    failConnection(RedisError(RedisError::Code::CommandTimeout,
        tr("No reply from %1 within %2 ms.")
            .arg(m_options.endpointDisplayName())
            .arg(m_options.commandTimeoutMs)));
}

void RedisConnection::connectTimerFired()
{
    if (m_state != State::Connecting)
        return;
    failConnection(RedisError(RedisError::Code::ConnectTimeout,
        tr("Could not connect to %1 within %2 ms.")
            .arg(m_options.endpointDisplayName())
            .arg(m_options.connectTimeoutMs)));
}

void RedisConnection::setState(State state)
{
    if (m_state == state)
        return;
    const State previous = m_state;
    m_state = state;
    Q_EMIT stateChanged(state);
    if (state == State::Connected)
        Q_EMIT connected();
    else if (previous == State::Connected)
        Q_EMIT disconnected();
}

void RedisConnection::setError(const RedisError &error)
{
    const bool changed = error.code() != m_lastError.code() || error.message() != m_lastError.message();
    m_lastError = error;
    if (changed)
        Q_EMIT errorChanged();
}

} // namespace Redwire
