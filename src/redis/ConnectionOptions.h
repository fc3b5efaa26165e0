#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <QUrl>

namespace Redwire {

// Certificate settings for a TLS connection (hiredis >= 1.0 built with hiredis_ssl).
struct TlsOptions
{
    bool enabled = false;
    QString caFile; // PEM bundle of trusted CAs; empty with caPath empty: the system's store
    QString caPath; // directory of hashed CA certificates
    QString certFile; // client certificate, for servers with tls-auth-clients
    QString keyFile;
    QString serverName; // SNI and the name verified; defaults to the host
    bool verifyPeer = true;
};

// How long to wait before reconnecting: exponential backoff with jitter, capped.
struct ReconnectPolicy
{
    bool enabled = true;
    int initialDelayMs = 250;
    int maxDelayMs = 30000;
    double multiplier = 2.0;
    double jitter = 0.2; // each delay is drawn from [(1 - jitter) * d, d]
    // The delays start again from the first only once a connection has stayed up this long: a
    // server that accepts and then drops us at once must not get a reconnect every few ms.
    int healthyAfterMs = 10000;
};

// One server's TCP address, as a URL or a sentinel names it.
struct ServerAddress
{
    QString host;
    quint16 port = 0;

    bool isValid() const { return !host.isEmpty() && port != 0; }
    // "host:port", "[::1]:port" for IPv6.
    QString displayName() const;
    friend bool operator==(const ServerAddress &a, const ServerAddress &b)
    {
        return a.port == b.port && a.host == b.host;
    }
    friend bool operator!=(const ServerAddress &a, const ServerAddress &b) { return !(a == b); }
};

// How the server is found: given directly, through Sentinel (the master of a named set), or as a
// Redis Cluster (seed nodes; classic Pub/Sub only so far: RedisClient keeps its connections on
// one node of the cluster).
enum class Topology { Standalone, Sentinel, Cluster };

// Everything needed to open and keep one connection to one server.
struct ConnectionOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 6379;
    QString unixSocket; // when set, host and port are ignored

    QString username; // ACL user; empty: the default user
    QString password; // empty: no AUTH
    int database = 0;
    QString clientName; // CLIENT SETNAME; no spaces

    int connectTimeoutMs = 10000; // name lookup, TCP/TLS connect and handshake together
    int commandTimeoutMs = 10000; // 0: no timeout
    bool tcpKeepAlive = true;
    int heartbeatIntervalMs = 5000; // subscriber liveness; 0: off

    // A reply larger than this (declared or buffered) is a protocol error, not an allocation.
    // 64 MiB: far above a chat message (64 KiB) or anything a monitor shows, far below what four
    // connections of a hostile server could make the app hold (Redis allows 512 MB strings).
    qint64 maxReplyBytes = qint64(64) * 1024 * 1024 + 1024;

    ReconnectPolicy reconnect;
    TlsOptions tls;

    // Sentinel: the sentinels to ask for the master of `sentinelMaster`; host and port are then
    // the master's, filled in by RedisClient once a sentinel has named it. Cluster: seed nodes;
    // host and port are then the node RedisClient is on.
    Topology topology = Topology::Standalone;
    QList<ServerAddress> seeds;
    QString sentinelMaster;
    // Connecting to one sentinel (or cluster node, while finding the cluster) and its answer,
    // together.
    int discoveryTimeoutMs = 1000;

    // "host:port", "unix:/path" or "tls://host:port", for messages and logs.
    QString endpointDisplayName() const;

    // The same options for one server of a Sentinel set or a cluster: standalone, at `server`
    // (credentials, TLS, timeouts kept).
    ConnectionOptions forServer(const ServerAddress &server) const;

    // Returns an error message, or an empty string when the options are usable.
    QString validate() const;

    // The address as the user gave it, for titles and messages: endpointDisplayName(), or
    // "sentinel://host:port,host:port/master" for Sentinel. Never a password.
    QString serverDisplayName() const;

    // Who we are on which data set: "user@host:port/db", "user@/path/db" (Unix socket),
    // "user@sentinel:master/db" (the master moves; the set's name stays) or
    // "user@cluster:<the seeds, sorted>/0". What the chat's outbox, keys and pins are kept under.
    QString accountScope() const;

    // Parses redis://[user@]host[:port][/db], rediss://... (TLS), unix:///path?db=N,
    // redis+sentinel://[user@]host:port[,host:port...]/master-name[/db] and
    // redis+cluster://[user@]host:port[,host:port...].
    // A password in the URL is refused (it would end up in shell history and process lists).
    static ConnectionOptions fromUrl(const QUrl &url, QString *errorMessage = nullptr);
    // The same from what the user typed: a port QUrl refuses (99999, "abc") is named in the error,
    // not reported as QUrl's internals.
    static ConnectionOptions fromUrl(
        const QString &text, QString *errorMessage = nullptr, QUrl::ParsingMode mode = QUrl::TolerantMode);
};

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::ServerAddress)
