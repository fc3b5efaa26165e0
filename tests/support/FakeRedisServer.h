#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <vector>

class QTcpServer;
class QTcpSocket;

namespace RedwireTest {

// A scripted stand-in for Redis on 127.0.0.1, for what a real server will not do on request:
// malformed replies, stalls, abrupt closes. It parses the client's RESP commands and hands each
// to a handler; the default handler answers like a polite Redis, so a test scripts only the step
// that misbehaves (and can fall back to politeReply() for the rest).
class FakeRedisServer : public QObject
{
    Q_OBJECT

public:
    // One accepted client. Owned by the server and kept (with its command history) after the
    // client is gone, so references stay valid for the server's lifetime.
    class Connection
    {
    public:
        int index() const { return m_index; }
        bool isOpen() const; // connected, and neither closed nor aborted by us
        bool isStalled() const { return m_stalled; }
        const QList<QList<QByteArray>> &commands() const { return m_commands; }
        qsizetype pendingInputBytes() const { return m_buffer.size(); } // read, not yet a whole command

        void send(const QByteArray &raw); // bytes as given, no framing added
        void close(); // graceful: pending bytes are flushed, then FIN
        void abort(); // abrupt: RST (SO_LINGER 0), pending bytes dropped
        void stall(); // stop reading and answering; the client's writes back up
        void unstall(); // read again and answer what arrived meanwhile

        // Pub/Sub state kept by politeReply().
        QSet<QByteArray> channels;
        QSet<QByteArray> patterns;
        int subscriptionCount() const { return int(channels.size() + patterns.size()); }

    private:
        friend class FakeRedisServer;
        Connection(FakeRedisServer *server, int index, QTcpSocket *socket);

        FakeRedisServer *m_server;
        int m_index;
        QPointer<QTcpSocket> m_socket;
        QByteArray m_buffer;
        QList<QList<QByteArray>> m_commands;
        bool m_stalled = false;
        bool m_disconnectReported = false;
    };

    using Handler = std::function<void(Connection &, const QList<QByteArray> &args)>;

    explicit FakeRedisServer(QObject *parent = nullptr);
    ~FakeRedisServer() override;

    bool listen(quint16 port = 0); // on 127.0.0.1; 0: any free port
    void stopListening(); // refuse new clients; existing ones stay
    bool isListening() const;
    quint16 port() const;
    QString host() const { return QStringLiteral("127.0.0.1"); }
    QString errorString() const;

    // Called once per complete command, in order; nullptr restores politeReply.
    void setHandler(Handler handler);
    // The default: +OK for AUTH/SELECT/CLIENT, PONG for PING (the array form while subscribed),
    // :1 for PUBLISH, ECHO, one confirmation per channel for (P)SUBSCRIBE / (P)UNSUBSCRIBE,
    // +OK and close for QUIT, "-ERR unknown command '<name>'" otherwise.
    static void politeReply(Connection &connection, const QList<QByteArray> &args);

    int connectionCount() const { return int(m_connections.size()); } // accepted so far, open or not
    int openConnectionCount() const;
    Connection &connection(int index) { return *m_connections.at(size_t(index)); }
    QList<QList<QByteArray>> commands(int index) const; // empty for an index not (yet) accepted

    void sendToAll(const QByteArray &raw); // every open connection that is not stalled
    void closeAll();
    void abortAll();

    // RESP2 building blocks (raw bytes, ready for send()).
    static QByteArray ok() { return QByteArrayLiteral("+OK\r\n"); }
    static QByteArray simple(const QByteArray &text) { return '+' + text + "\r\n"; }
    static QByteArray error(const QByteArray &message) { return '-' + message + "\r\n"; } // "ERR boom"
    static QByteArray integer(qint64 value) { return ':' + QByteArray::number(value) + "\r\n"; }
    static QByteArray bulk(const QByteArray &data);
    static QByteArray nullBulk() { return QByteArrayLiteral("$-1\r\n"); }
    static QByteArray array(const QList<QByteArray> &rawElements);
    // kind: "subscribe", "psubscribe", "unsubscribe" or "punsubscribe".
    static QByteArray subscribeReply(const QByteArray &kind, const QByteArray &channel, qint64 count);
    static QByteArray message(const QByteArray &channel, const QByteArray &payload);
    static QByteArray pmessage(
        const QByteArray &pattern, const QByteArray &channel, const QByteArray &payload);

Q_SIGNALS:
    void clientConnected(int index);
    void clientDisconnected(int index);
    void commandReceived(int connectionIndex, const QList<QByteArray> &args);

private:
    void acceptPending();
    void readFrom(Connection &connection);
    void processInput(Connection &connection);
    void reportDisconnect(Connection &connection);

    QTcpServer *m_server;
    std::vector<std::unique_ptr<Connection>> m_connections;
    Handler m_handler;
};

} // namespace RedwireTest
