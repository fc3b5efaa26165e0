#include "FakeRedisServer.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <algorithm>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

namespace RedwireTest {

namespace {

enum class Parse { Complete, Incomplete, Error };

// Reads one line ending in \r\n starting at pos; the line's text excludes the \r\n.
Parse readLine(const QByteArray &buffer, qsizetype pos, QByteArray *line, qsizetype *next)
{
    const qsizetype end = buffer.indexOf("\r\n", pos);
    if (end < 0)
        return buffer.size() - pos > 64 * 1024 ? Parse::Error : Parse::Incomplete;
    *line = buffer.mid(pos, end - pos);
    *next = end + 2;
    return Parse::Complete;
}

// One client command from the front of buffer, as Redis reads it: a multibulk array of bulk
// strings (what every client library sends) or an inline command (what a human types).
Parse parseCommand(const QByteArray &buffer, qsizetype *consumed, QList<QByteArray> *args)
{
    args->clear();
    if (buffer.isEmpty())
        return Parse::Incomplete;

    if (buffer.at(0) != '*') {
        const qsizetype end = buffer.indexOf('\n');
        if (end < 0)
            return buffer.size() > 64 * 1024 ? Parse::Error : Parse::Incomplete;
        QByteArray line = buffer.left(end);
        if (line.endsWith('\r'))
            line.chop(1);
        const QList<QByteArray> words = line.split(' ');
        for (const QByteArray &word : words) {
            if (!word.isEmpty())
                args->append(word);
        }
        *consumed = end + 1;
        return Parse::Complete;
    }

    QByteArray line;
    qsizetype pos = 0;
    Parse state = readLine(buffer, 1, &line, &pos);
    if (state != Parse::Complete)
        return state;
    bool ok = false;
    const int count = line.toInt(&ok);
    if (!ok || count > 1024 * 1024)
        return Parse::Error;
    for (int i = 0; i < count; ++i) {
        if (pos >= buffer.size())
            return Parse::Incomplete;
        if (buffer.at(pos) != '$')
            return Parse::Error;
        state = readLine(buffer, pos + 1, &line, &pos);
        if (state != Parse::Complete)
            return state;
        const qint64 length = line.toLongLong(&ok);
        if (!ok || length < 0 || length > 512 * 1024 * 1024)
            return Parse::Error;
        if (buffer.size() - pos < length + 2)
            return Parse::Incomplete;
        if (buffer.at(pos + length) != '\r' || buffer.at(pos + length + 1) != '\n')
            return Parse::Error;
        args->append(buffer.mid(pos, length));
        pos += length + 2;
    }
    *consumed = pos;
    return Parse::Complete;
}

} // namespace

FakeRedisServer::Connection::Connection(FakeRedisServer *server, int index, QTcpSocket *socket)
    : m_server(server)
    , m_index(index)
    , m_socket(socket)
{ }

bool FakeRedisServer::Connection::isOpen() const
{
    return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
}

void FakeRedisServer::Connection::send(const QByteArray &raw)
{
    if (isOpen())
        m_socket->write(raw);
}

void FakeRedisServer::Connection::close()
{
    if (isOpen())
        m_socket->disconnectFromHost();
}

void FakeRedisServer::Connection::abort()
{
    if (!m_socket)
        return;
#ifdef Q_OS_UNIX
    // Closing with a zero linger time sends RST instead of FIN: the client sees ECONNRESET.
    const struct linger noLinger
    {
        1, 0
    };
    ::setsockopt(int(m_socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &noLinger, sizeof noLinger);
#endif
    m_socket->abort(); // emits disconnected() synchronously
    m_server->reportDisconnect(*this);
}

void FakeRedisServer::Connection::stall()
{
    m_stalled = true;
    // A full (one byte) read buffer makes QAbstractSocket stop reading the socket: the kernel
    // buffers fill and the client's writes eventually block, as with a hung server.
    if (m_socket)
        m_socket->setReadBufferSize(1);
}

void FakeRedisServer::Connection::unstall()
{
    if (!m_stalled)
        return;
    m_stalled = false;
    if (!m_socket)
        return;
    m_socket->setReadBufferSize(0);
    m_server->readFrom(*this);
}

FakeRedisServer::FakeRedisServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_handler(&FakeRedisServer::politeReply)
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeRedisServer::acceptPending);
}

FakeRedisServer::~FakeRedisServer()
{
    // Drop the sockets quietly: no signals into a half-destroyed object.
    for (const auto &connection : m_connections) {
        if (connection->m_socket) {
            connection->m_socket->disconnect(this);
            connection->m_socket->abort();
        }
    }
}

bool FakeRedisServer::listen(quint16 port)
{
    return m_server->listen(QHostAddress::LocalHost, port);
}

void FakeRedisServer::stopListening()
{
    m_server->close();
}

bool FakeRedisServer::isListening() const
{
    return m_server->isListening();
}

quint16 FakeRedisServer::port() const
{
    return m_server->serverPort();
}

QString FakeRedisServer::errorString() const
{
    return m_server->errorString();
}

void FakeRedisServer::setHandler(Handler handler)
{
    m_handler = handler ? std::move(handler) : Handler(&FakeRedisServer::politeReply);
}

int FakeRedisServer::openConnectionCount() const
{
    return int(std::count_if(m_connections.begin(), m_connections.end(),
        [](const std::unique_ptr<Connection> &connection) { return connection->isOpen(); }));
}

QList<QList<QByteArray>> FakeRedisServer::commands(int index) const
{
    if (index < 0 || size_t(index) >= m_connections.size())
        return {};
    return m_connections[size_t(index)]->m_commands;
}

void FakeRedisServer::sendToAll(const QByteArray &raw)
{
    for (const auto &connection : m_connections) {
        if (!connection->m_stalled)
            connection->send(raw);
    }
}

void FakeRedisServer::closeAll()
{
    for (const auto &connection : m_connections)
        connection->close();
}

void FakeRedisServer::abortAll()
{
    for (const auto &connection : m_connections)
        connection->abort();
}

void FakeRedisServer::acceptPending()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        const int index = int(m_connections.size());
        m_connections.push_back(std::unique_ptr<Connection>(new Connection(this, index, socket)));
        connect(
            socket, &QTcpSocket::readyRead, this, [this, index] { readFrom(*m_connections[size_t(index)]); });
        connect(socket, &QTcpSocket::disconnected, this,
            [this, index] { reportDisconnect(*m_connections[size_t(index)]); });
        Q_EMIT clientConnected(index);
    }
}

void FakeRedisServer::readFrom(Connection &connection)
{
    if (connection.m_stalled || !connection.m_socket)
        return;
    connection.m_buffer += connection.m_socket->readAll();
    processInput(connection);
}

void FakeRedisServer::processInput(Connection &connection)
{
    while (connection.isOpen() && !connection.m_stalled) {
        qsizetype consumed = 0;
        QList<QByteArray> args;
        const Parse state = parseCommand(connection.m_buffer, &consumed, &args);
        if (state == Parse::Incomplete)
            return;
        if (state == Parse::Error) {
            // What Redis does with garbage: say so and hang up.
            connection.send(error("ERR Protocol error: invalid multibulk or bulk string"));
            connection.m_buffer.clear();
            connection.close();
            return;
        }
        connection.m_buffer.remove(0, consumed);
        if (args.isEmpty())
            continue;
        connection.m_commands.append(args);
        Q_EMIT commandReceived(connection.m_index, args);
        // A copy: the handler may call setHandler() and so replace the function it runs in.
        const Handler handler = m_handler;
        handler(connection, args);
    }
}

void FakeRedisServer::reportDisconnect(Connection &connection)
{
    if (connection.m_disconnectReported)
        return;
    connection.m_disconnectReported = true;
    if (connection.m_socket)
        connection.m_socket->deleteLater();
    Q_EMIT clientDisconnected(connection.m_index);
}

void FakeRedisServer::politeReply(Connection &connection, const QList<QByteArray> &args)
{
    const QByteArray name = args.value(0).toUpper();
    if (name == "PING") {
        // Subscribed clients get PING's array form, as from Redis under RESP2.
        if (connection.subscriptionCount() > 0)
            connection.send(array({ bulk("pong"), bulk(args.value(1)) }));
        else
            connection.send(args.size() > 1 ? bulk(args.at(1)) : simple("PONG"));
    } else if (name == "AUTH" || name == "SELECT" || name == "CLIENT") {
        connection.send(ok());
    } else if (name == "ECHO" && args.size() == 2) {
        connection.send(bulk(args.at(1)));
    } else if (name == "PUBLISH") {
        connection.send(integer(1));
    } else if (name == "SUBSCRIBE" || name == "PSUBSCRIBE") {
        const bool pattern = name == "PSUBSCRIBE";
        for (qsizetype i = 1; i < args.size(); ++i) {
            (pattern ? connection.patterns : connection.channels).insert(args.at(i));
            connection.send(subscribeReply(name.toLower(), args.at(i), connection.subscriptionCount()));
        }
    } else if (name == "UNSUBSCRIBE" || name == "PUNSUBSCRIBE") {
        QSet<QByteArray> &set = name == "PUNSUBSCRIBE" ? connection.patterns : connection.channels;
        QList<QByteArray> targets = args.mid(1);
        if (targets.isEmpty()) {
            targets = set.values();
            std::sort(targets.begin(), targets.end());
        }
        if (targets.isEmpty()) {
            // Nothing to leave: Redis still confirms, with a null channel.
            connection.send(
                array({ bulk(name.toLower()), nullBulk(), integer(connection.subscriptionCount()) }));
        }
        for (const QByteArray &target : std::as_const(targets)) {
            set.remove(target);
            connection.send(subscribeReply(name.toLower(), target, connection.subscriptionCount()));
        }
    } else if (name == "QUIT") {
        connection.send(ok());
        connection.close();
    } else {
        connection.send(error("ERR unknown command '" + args.value(0) + "'"));
    }
}

QByteArray FakeRedisServer::bulk(const QByteArray &data)
{
    return '$' + QByteArray::number(data.size()) + "\r\n" + data + "\r\n";
}

QByteArray FakeRedisServer::array(const QList<QByteArray> &rawElements)
{
    QByteArray out = '*' + QByteArray::number(rawElements.size()) + "\r\n";
    for (const QByteArray &element : rawElements)
        out += element;
    return out;
}

QByteArray FakeRedisServer::subscribeReply(const QByteArray &kind, const QByteArray &channel, qint64 count)
{
    return array({ bulk(kind), bulk(channel), integer(count) });
}

QByteArray FakeRedisServer::message(const QByteArray &channel, const QByteArray &payload)
{
    return array({ bulk("message"), bulk(channel), bulk(payload) });
}

QByteArray FakeRedisServer::pmessage(
    const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload)
{
    return array({ bulk("pmessage"), bulk(pattern), bulk(channel), bulk(payload) });
}

} // namespace RedwireTest
