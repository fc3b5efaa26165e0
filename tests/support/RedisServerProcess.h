#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

class QProcess;
class QTemporaryDir;

namespace RedwireTest {

class TlsMaterial;

// A private, real redis-server for one test: loopback only, no persistence, its own temporary
// directory, stopped (and never left behind) when the object goes away.
class RedisServerProcess
{
public:
    enum class TlsClientAuth { No, Optional, Yes };

    struct Options
    {
        QString requirePass; // password of the default user; empty: none
        QStringList aclUsers; // config lines, e.g. "user alice on >secret ~* &* +@all"
        bool unixSocket = false; // also listen on <tempdir>/redis.sock, unixsocketperm 700
        const TlsMaterial *tls = nullptr; // non-null: also listen with TLS on tlsPort()
        TlsClientAuth tlsAuthClients = TlsClientAuth::Optional;
        QStringList extraConfig; // raw config lines, e.g. "client-output-buffer-limit pubsub 0 0 0"
        quint16 port = 0; // 0: a free loopback port
        // Runs as a sentinel (`redis-server redis.conf --sentinel`); extraConfig then holds the
        // "sentinel monitor ..." lines. The config file is the sentinel's own, rewritten by it.
        bool sentinel = false;
        quint16 tlsPort = 0; // 0: a free loopback port (with tls set)
        // A Redis Cluster node (cluster-enabled, its nodes.conf in the directory), on a port whose
        // cluster bus port (port + 10000) stays below 32768 and was free too.
        bool cluster = false;
        int readyTimeoutMs = 10000;
    };

    // What one redis-cli run did.
    struct CliResult
    {
        bool finished = false; // false: it did not start, or it was killed at the timeout
        int exitCode = -1;
        QByteArray out; // stdout, untrimmed
        QByteArray err;
    };

    RedisServerProcess();
    ~RedisServerProcess();
    RedisServerProcess(const RedisServerProcess &) = delete;
    RedisServerProcess &operator=(const RedisServerProcess &) = delete;

    // Starts and waits until the server accepts connections. False with errorString() on failure.
    bool start(const Options &options);
    bool start(); // with default Options
    // SIGTERM, SIGKILL after a bounded wait; the process is reaped. Does nothing when not running.
    void stop();
    // stop(), then start() on the same ports, socket path and options: for reconnect tests.
    bool restart();
    // SIGSTOP / SIGCONT: the server keeps its sockets but answers nothing while paused.
    void pause();
    void resume();

    bool isRunning() const;
    bool isPaused() const { return m_paused; }
    qint64 pid() const;
    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 port() const { return m_port; }
    quint16 tlsPort() const { return m_tlsPort; }
    QString unixSocketPath() const; // empty without Options::unixSocket
    QString directory() const; // the server's --dir, holding redis.conf (and redis.sock)
    const Options &options() const { return m_options; }
    QString errorString() const { return m_error; }
    QByteArray log() const; // everything the server printed so far

    // redis-cli against the plain port, as the default user (with requirePass when set). Returns
    // stdout trimmed; error replies come back as text ("NOPERM ...", "NOAUTH ..."). When redis-cli
    // cannot connect or times out (it is killed), errorString() says so and the result is usually
    // empty. Blocking: the test's event loop does not run meanwhile.
    QByteArray cli(const QStringList &args, int timeoutMs = 5000);
    // The same as an ACL user.
    QByteArray cliAs(
        const QString &user, const QString &password, const QStringList &args, int timeoutMs = 5000);
    // The same through the unix socket.
    QByteArray cliUnix(const QStringList &args, int timeoutMs = 5000);
    // The same over TLS, trusting the test CA, presenting the client certificate.
    QByteArray cliTls(const QStringList &args, int timeoutMs = 5000);

    // redis-cli --pipe against the plain port: sends `commands` (RESP, see respCommand()) pipelined,
    // as fast as the server takes them, as a flood from another client would. Blocking. Returns
    // redis-cli's summary ("... errors: 0, replies: N"); empty with errorString() on failure.
    QByteArray pipe(const QByteArray &commands, int timeoutMs = 60000);
    static QByteArray respCommand(const QList<QByteArray> &args);

    // A field of an INFO-like answer ("cluster_state:ok" -> "ok"), empty when it is not there.
    static QByteArray infoField(const QByteArray &info, const QByteArray &name);

    // "-h 127.0.0.1 -p <port> [--no-auth-warning -a <requirePass>]", to build runCli() calls.
    QStringList cliConnectionArgs() const;
    // Runs redis-cli with exactly these arguments; kills it after timeoutMs.
    static CliResult runCli(const QStringList &args, int timeoutMs = 5000);

private:
    bool launch(const Options &options);
    bool startOnce(const Options &options, bool *addressInUse);
    bool writeConfig(const Options &options);
    bool waitUntilReady(qsizetype from, int timeoutMs, bool *addressInUse);
    QByteArray cliChecked(const QStringList &args, int timeoutMs);
    void drainOutput() const;

    Options m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_process;
    mutable QByteArray m_log;
    QString m_error;
    quint16 m_port = 0;
    quint16 m_tlsPort = 0;
    bool m_paused = false;
};

} // namespace RedwireTest
