#include "RedisServerProcess.h"

#include "TlsMaterial.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QThread>

#include <csignal>

#ifdef Q_OS_UNIX
#include <sys/types.h>
#include <unistd.h>
#endif
#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

namespace RedwireTest {

namespace {

constexpr int startAttempts = 5;
constexpr int stopGraceMs = 5000;
constexpr int killWaitMs = 5000;
const char readyLine[] = "Ready to accept connections";
// A sentinel never says it is ready; its id is logged once its port is bound.
const char sentinelReadyLine[] = "Sentinel ID is";

// A port that was free a moment ago. Another process may take it before redis-server binds it;
// start() retries with a new one when redis reports "Address already in use".
quint16 freeLoopbackPort(quint16 avoid)
{
    for (int i = 0; i < 10; ++i) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            continue;
        const quint16 port = probe.serverPort();
        if (port != avoid)
            return port;
    }
    return 0;
}

// A free loopback port for a cluster node: its bus port (+ 10000) must be free as well, and
// both below the kernel's ephemeral range (32768 and up), where client sockets come and go.
quint16 freeClusterPort()
{
    for (int i = 0; i < 50; ++i) {
        const auto port = quint16(QRandomGenerator::global()->bounded(20000, 22768));
        QTcpServer probe;
        QTcpServer busProbe;
        if (probe.listen(QHostAddress::LocalHost, port)
            && busProbe.listen(QHostAddress::LocalHost, port + 10000))
            return port;
    }
    return 0;
}

// Redis config values are split on spaces unless double-quoted; \ and " need escaping inside.
QByteArray quoted(const QString &value)
{
    QByteArray out = value.toUtf8();
    out.replace('\\', "\\\\").replace('"', "\\\"");
    return '"' + out + '"';
}

#ifdef Q_OS_LINUX
// The state letter of /proc/<pid>/stat: 'T' when stopped by SIGSTOP.
char processState(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const int paren = line.lastIndexOf(')'); // the command name may itself contain spaces
    return paren >= 0 && paren + 2 < line.size() ? line.at(paren + 2) : 0;
}

// SIGSTOP/SIGCONT take effect asynchronously; wait (briefly, bounded) until they have, so a test
// that pauses and then writes cannot race the signal.
void waitForStopState(qint64 pid, bool stopped)
{
    const QDeadlineTimer deadline(2000);
    while (!deadline.hasExpired()) {
        const char state = processState(pid);
        if (state == 0 || (state == 'T') == stopped)
            return;
        QThread::yieldCurrentThread();
    }
}
#endif

} // namespace

RedisServerProcess::RedisServerProcess() = default;

RedisServerProcess::~RedisServerProcess()
{
    stop();
}

bool RedisServerProcess::start()
{
    return start(Options());
}

bool RedisServerProcess::start(const Options &options)
{
    stop();
    m_options = options;
    m_log.clear();
    m_error.clear();
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + QStringLiteral("/redwire-redis-XXXXXX"));
    if (!m_dir->isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory for redis-server: %1")
                      .arg(m_dir->errorString());
        return false;
    }
    if (options.tls && !options.tls->isValid()) {
        m_error = QStringLiteral("Options::tls is set but its material was not generated: %1")
                      .arg(options.tls->errorString());
        return false;
    }

    return launch(options);
}

bool RedisServerProcess::restart()
{
    if (!m_dir) {
        m_error = QStringLiteral("restart() called before start()");
        return false;
    }
    // Same directory (so the same unix socket path), same ports, same options.
    Options options = m_options;
    options.port = m_port;
    options.tlsPort = m_tlsPort;
    stop();
    m_log += "---- RedisServerProcess::restart() ----\n";
    m_error.clear();
    return launch(options);
}

bool RedisServerProcess::launch(const Options &options)
{
    for (int attempt = 0; attempt < startAttempts; ++attempt) {
        m_port = options.port ? options.port : options.cluster ? freeClusterPort() : freeLoopbackPort(0);
        m_tlsPort = !options.tls ? 0 : options.tlsPort ? options.tlsPort : freeLoopbackPort(m_port);
        if (m_port == 0 || (options.tls && m_tlsPort == 0)) {
            m_error = QStringLiteral("no free loopback port found");
            return false;
        }
        bool addressInUse = false;
        if (startOnce(options, &addressInUse))
            return true;
        if (!addressInUse)
            return false;
        // A fixed port (restart) may still be held for a moment by the old process's sockets.
        if (options.port || options.tlsPort)
            QThread::msleep(100);
    }
    return false;
}

bool RedisServerProcess::startOnce(const Options &options, bool *addressInUse)
{
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (program.isEmpty()) {
        m_error = QStringLiteral("redis-server was not found on PATH; install the redis-server package "
                                 "(the tests need a real server, they do not skip without one)");
        return false;
    }
    if (!writeConfig(options))
        return false;

    m_process = std::make_unique<QProcess>();
    QProcess *process = m_process.get();
    process->setProcessChannelMode(QProcess::MergedChannels);
    process->setWorkingDirectory(m_dir->path());
    process->setProgram(program);
    QStringList arguments { m_dir->filePath(QStringLiteral("redis.conf")) };
    if (options.sentinel)
        arguments << QStringLiteral("--sentinel");
    process->setArguments(arguments);
#ifdef Q_OS_LINUX
    // If the test process dies (crash, abort, watchdog kill), the kernel kills the server too.
    // The death signal is tied to the forking thread: start servers from the test's main thread.
    const pid_t parent = ::getpid();
    process->setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) // the parent died before prctl took effect
            ::_exit(127);
    });
#endif
    QObject::connect(process, &QProcess::readyReadStandardOutput, process,
        [this, process] { m_log += process->readAllStandardOutput(); });

    // Only this run's output counts: after restart() the log still holds the previous run's.
    const qsizetype logStart = m_log.size();
    process->start(QIODevice::ReadOnly);
    if (!process->waitForStarted(killWaitMs)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(program, process->errorString());
        m_process.reset();
        return false;
    }
    return waitUntilReady(logStart, options.readyTimeoutMs, addressInUse);
}

bool RedisServerProcess::writeConfig(const Options &options)
{
    QByteArray config = "# Written by RedwireTest::RedisServerProcess\n"
                        "bind 127.0.0.1\n"
                        "daemonize no\n"
                        "save \"\"\n"
                        "appendonly no\n"
                        "logfile \"\"\n"
                        "loglevel notice\n";
    config += "port " + QByteArray::number(m_port) + '\n';
    config += "dir " + quoted(m_dir->path()) + '\n';
    if (!options.requirePass.isEmpty())
        config += "requirepass " + quoted(options.requirePass) + '\n';
    for (const QString &line : options.aclUsers)
        config += line.toUtf8() + '\n';
    if (options.unixSocket) {
        config += "unixsocket " + quoted(unixSocketPath()) + '\n';
        config += "unixsocketperm 700\n";
    }
    if (options.tls) {
        static const char *const authValues[] = { "no", "optional", "yes" };
        config += "tls-port " + QByteArray::number(m_tlsPort) + '\n';
        config += "tls-cert-file " + quoted(options.tls->serverCertPath()) + '\n';
        config += "tls-key-file " + quoted(options.tls->serverKeyPath()) + '\n';
        config += "tls-ca-cert-file " + quoted(options.tls->caCertPath()) + '\n';
        config += QByteArray("tls-auth-clients ") + authValues[int(options.tlsAuthClients)] + '\n';
    }
    if (options.cluster)
        config += "cluster-enabled yes\ncluster-config-file nodes.conf\n";
    for (const QString &line : options.extraConfig)
        config += line.toUtf8() + '\n';

    QFile file(m_dir->filePath(QStringLiteral("redis.conf")));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config) != config.size()) {
        m_error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

// Readiness is the server's own word for it: it logs "Ready to accept connections" once every
// listener (TCP, TLS, unix socket) is bound. No sleeping and hoping.
bool RedisServerProcess::waitUntilReady(qsizetype from, int timeoutMs, bool *addressInUse)
{
    const QDeadlineTimer deadline(timeoutMs);
    for (;;) {
        if (m_log.indexOf(m_options.sentinel ? sentinelReadyLine : readyLine, from) >= 0)
            return true;
        if (m_process->state() == QProcess::NotRunning) {
            m_log += m_process->readAllStandardOutput();
            *addressInUse = m_log.indexOf("Address already in use", from) >= 0;
            m_error = QStringLiteral("redis-server exited before it was ready (exit code %1). Its log:\n%2")
                          .arg(m_process->exitCode())
                          .arg(QString::fromLocal8Bit(m_log));
            m_process.reset();
            return false;
        }
        if (deadline.hasExpired()) {
            m_error = QStringLiteral("redis-server was not ready after %1 ms. Its log:\n%2")
                          .arg(timeoutMs)
                          .arg(QString::fromLocal8Bit(m_log));
            stop();
            return false;
        }
        if (!m_process->waitForReadyRead(int(deadline.remainingTime())))
            m_process->waitForFinished(int(qMin<qint64>(deadline.remainingTime(), 100)));
    }
}

void RedisServerProcess::stop()
{
    if (!m_process)
        return;
    if (m_process->state() != QProcess::NotRunning) {
        const qint64 pid = m_process->processId();
#ifdef Q_OS_UNIX
        if (m_paused)
            ::kill(pid_t(pid), SIGCONT); // a stopped process would never act on SIGTERM
        ::kill(pid_t(pid), SIGTERM);
        if (!m_process->waitForFinished(stopGraceMs)) {
            ::kill(pid_t(pid), SIGKILL);
            m_process->waitForFinished(killWaitMs);
        }
#else
        m_process->kill();
        m_process->waitForFinished(killWaitMs);
#endif
    }
    m_log += m_process->readAllStandardOutput();
    // QProcess reaps the child (waitForFinished); deleting it here leaves no zombie behind.
    m_process.reset();
    m_paused = false;
}

void RedisServerProcess::pause()
{
    if (!isRunning() || m_paused)
        return;
#ifdef Q_OS_UNIX
    ::kill(pid_t(pid()), SIGSTOP);
#endif
#ifdef Q_OS_LINUX
    waitForStopState(pid(), true);
#endif
    m_paused = true;
}

void RedisServerProcess::resume()
{
    if (!isRunning() || !m_paused)
        return;
#ifdef Q_OS_UNIX
    ::kill(pid_t(pid()), SIGCONT);
#endif
#ifdef Q_OS_LINUX
    waitForStopState(pid(), false);
#endif
    m_paused = false;
}

bool RedisServerProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 RedisServerProcess::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QString RedisServerProcess::unixSocketPath() const
{
    return m_options.unixSocket && m_dir ? m_dir->filePath(QStringLiteral("redis.sock")) : QString();
}

QString RedisServerProcess::directory() const
{
    return m_dir ? m_dir->path() : QString();
}

void RedisServerProcess::drainOutput() const
{
    // Output the event loop has not picked up yet: read it now (readyRead appends it to m_log).
    if (m_process && m_process->state() != QProcess::NotRunning)
        m_process->waitForReadyRead(0);
}

QByteArray RedisServerProcess::log() const
{
    drainOutput();
    return m_log;
}

QStringList RedisServerProcess::cliConnectionArgs() const
{
    QStringList args { QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_port) };
    if (!m_options.requirePass.isEmpty())
        args << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << m_options.requirePass;
    return args;
}

QByteArray RedisServerProcess::cli(const QStringList &args, int timeoutMs)
{
    return cliChecked(cliConnectionArgs() + args, timeoutMs);
}

QByteArray RedisServerProcess::cliAs(
    const QString &user, const QString &password, const QStringList &args, int timeoutMs)
{
    const QStringList connection { QStringLiteral("-h"), host(), QStringLiteral("-p"),
        QString::number(m_port), QStringLiteral("--user"), user, QStringLiteral("--pass"), password,
        QStringLiteral("--no-auth-warning") };
    return cliChecked(connection + args, timeoutMs);
}

QByteArray RedisServerProcess::cliUnix(const QStringList &args, int timeoutMs)
{
    QStringList connection { QStringLiteral("-s"), unixSocketPath() };
    if (!m_options.requirePass.isEmpty())
        connection << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << m_options.requirePass;
    return cliChecked(connection + args, timeoutMs);
}

QByteArray RedisServerProcess::cliTls(const QStringList &args, int timeoutMs)
{
    if (!m_options.tls) {
        m_error = QStringLiteral("cliTls() on a server started without Options::tls");
        return {};
    }
    QStringList connection { QStringLiteral("-h"), host(), QStringLiteral("-p"), QString::number(m_tlsPort),
        QStringLiteral("--tls"), QStringLiteral("--cacert"), m_options.tls->caCertPath(),
        QStringLiteral("--cert"), m_options.tls->clientCertPath(), QStringLiteral("--key"),
        m_options.tls->clientKeyPath() };
    if (!m_options.requirePass.isEmpty())
        connection << QStringLiteral("--no-auth-warning") << QStringLiteral("-a") << m_options.requirePass;
    return cliChecked(connection + args, timeoutMs);
}

QByteArray RedisServerProcess::respCommand(const QList<QByteArray> &args)
{
    QByteArray out = '*' + QByteArray::number(args.size()) + "\r\n";
    for (const QByteArray &arg : args)
        out += '$' + QByteArray::number(arg.size()) + "\r\n" + arg + "\r\n";
    return out;
}

QByteArray RedisServerProcess::pipe(const QByteArray &commands, int timeoutMs)
{
    m_error.clear();
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    QTemporaryFile input;
    if (program.isEmpty() || !input.open() || input.write(commands) != commands.size() || !input.flush()) {
        m_error = program.isEmpty() ? QStringLiteral("redis-cli was not found on PATH")
                                    : QStringLiteral("cannot write %1").arg(input.fileName());
        return {};
    }
    QProcess process;
    process.setStandardInputFile(input.fileName());
    process.start(program, cliConnectionArgs() + QStringList { QStringLiteral("--pipe") });
    if (!process.waitForStarted(killWaitMs) || !process.waitForFinished(timeoutMs)) {
        m_error = QStringLiteral("redis-cli --pipe did not finish: %1").arg(process.errorString());
        process.kill();
        process.waitForFinished(killWaitMs);
        return {};
    }
    const QByteArray out = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        m_error = QStringLiteral("redis-cli --pipe failed: %1")
                      .arg(QString::fromLocal8Bit(out + process.readAllStandardError()).trimmed());
    return out.trimmed();
}

QByteArray RedisServerProcess::cliChecked(const QStringList &args, int timeoutMs)
{
    m_error.clear();
    const CliResult result = runCli(args, timeoutMs);
    if (!result.finished) {
        m_error = QStringLiteral("redis-cli %1 did not finish within %2 ms%3")
                      .arg(args.join(QLatin1Char(' ')))
                      .arg(timeoutMs)
                      .arg(result.err.isEmpty() ? QString()
                                                : QStringLiteral(": ") + QString::fromLocal8Bit(result.err));
        return {};
    }
    // redis-cli exits 0 for error replies (they come out on stdout); non-zero means it could not
    // connect or was used wrongly, and says why on stderr.
    if (result.exitCode != 0) {
        m_error = QStringLiteral("redis-cli %1 failed (exit code %2): %3")
                      .arg(args.join(QLatin1Char(' ')))
                      .arg(result.exitCode)
                      .arg(QString::fromLocal8Bit(result.err + result.out).trimmed());
    }
    return result.out.trimmed();
}

RedisServerProcess::CliResult RedisServerProcess::runCli(const QStringList &args, int timeoutMs)
{
    CliResult result;
    const QString program = QStandardPaths::findExecutable(QStringLiteral("redis-cli"));
    if (program.isEmpty()) {
        result.err = "redis-cli was not found on PATH; install the redis-tools package";
        return result;
    }
    QProcess process;
    process.start(program, args);
    if (!process.waitForStarted(killWaitMs)) {
        result.err = process.errorString().toLocal8Bit();
        return result;
    }
    process.closeWriteChannel(); // never let it wait for input
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(killWaitMs);
        result.out = process.readAllStandardOutput();
        result.err = process.readAllStandardError();
        return result;
    }
    result.finished = process.exitStatus() == QProcess::NormalExit;
    result.exitCode = process.exitCode();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

QByteArray RedisServerProcess::infoField(const QByteArray &info, const QByteArray &name)
{
    for (const QByteArray &line : info.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.startsWith(name + ':'))
            return trimmed.mid(name.size() + 1);
    }
    return {};
}

} // namespace RedwireTest
