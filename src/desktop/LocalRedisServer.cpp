#include "LocalRedisServer.h"

#include "LocalServerDirectory.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif
#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>
#endif

Q_LOGGING_CATEGORY(lcLocalServer, "redwire.localserver")

namespace Redwire {

namespace {
constexpr int StartTimeoutMs = 15000;

// Quoted for redis's config parser.
QByteArray quoted(const QString &value)
{
    QByteArray text = value.toUtf8();
    text.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n").replace('\r', "\\r");
    return '"' + text + '"';
}
} // namespace

LocalRedisServer::LocalRedisServer(QObject *parent)
    : QObject(parent)
    , m_executable(findExecutable())
    , m_dataDirectory(
          QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/local-redis"))
{ }

LocalRedisServer::~LocalRedisServer()
{
    stop();
}

QString LocalRedisServer::findExecutable()
{
    QString path = QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(QStringLiteral("redis-server"),
            { QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/bin"),
                QStringLiteral("/opt/homebrew/bin") });
    return path;
}

qint64 LocalRedisServer::pid() const
{
    return m_process ? m_process->processId() : 0;
}

quint16 LocalRedisServer::pickFreePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

void LocalRedisServer::start()
{
    if (m_state == State::Starting || m_state == State::Running)
        return;
    if (m_executable.isEmpty()) {
        setState(State::Failed, tr("redis-server is not installed."));
        return;
    }
    LocalServerDirectory directory(m_dataDirectory);
    if (!directory.prepare()) {
        setState(State::Failed, directory.errorString());
        return;
    }
    const QString password = directory.readOrCreatePassword();
    if (password.isEmpty()) {
        setState(State::Failed, directory.errorString());
        return;
    }
    m_password = password;
    m_passwordFile = directory.passwordFile();
    // Older versions started the server from this file: no password in it, and it would start
    // an open server if anyone used it again.
    if (QFile::remove(m_dataDirectory + QStringLiteral("/redwire-local.conf")))
        qCInfo(lcLocalServer) << "removed the old, password-less redwire-local.conf";
    m_port = pickFreePort();
    if (m_port == 0) {
        setState(State::Failed, tr("No free port on the loopback interface."));
        return;
    }

    m_process = std::make_unique<QProcess>();
    m_process->setProcessChannelMode(QProcess::MergedChannels);
#ifdef Q_OS_UNIX
    m_process->setChildProcessModifier([] {
        // What redis-server creates (append-only files, dumps, their directory) is ours alone.
        ::umask(077);
#ifdef Q_OS_LINUX
        // Dies with us, even if we crash.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    });
#endif
    connect(m_process.get(), &QProcess::readyRead, this, &LocalRedisServer::readOutput);
    connect(m_process.get(), &QProcess::finished, this, [this](int code) {
        if (m_state == State::Starting || m_state == State::Running)
            setState(State::Failed,
                tr("redis-server exited (code %1): %2")
                    .arg(code)
                    .arg(QString::fromLocal8Bit(m_output.right(400)).trimmed()));
    });
    connect(m_process.get(), &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            setState(State::Failed, tr("Cannot start %1: %2").arg(m_executable, m_process->errorString()));
    });
    m_output.clear();
    setState(State::Starting);
    qCInfo(lcLocalServer) << "starting" << m_executable << "on port" << m_port << "in" << m_dataDirectory;
    // "-": the configuration comes on stdin. On the command line, the password would be in
    // /proc/<pid>/cmdline, which every account can read, until redis-server renames itself.
    m_process->start(m_executable, { QStringLiteral("-") });
    if (m_process->state() != QProcess::NotRunning) {
        m_process->write(configuration());
        m_process->closeWriteChannel();
    }
    QTimer::singleShot(StartTimeoutMs, this, [this] {
        if (m_state == State::Starting) {
            stop();
            setState(State::Failed,
                tr("redis-server did not become ready within %1 s.").arg(StartTimeoutMs / 1000));
        }
    });
}

QByteArray LocalRedisServer::configuration() const
{
    // Loopback only, and a password even there: every local account can reach 127.0.0.1.
    return "bind 127.0.0.1\n"
           "protected-mode yes\n"
           "port "
        + QByteArray::number(m_port) + "\nrequirepass " + quoted(m_password) + "\ndir "
        + quoted(m_dataDirectory)
        + "\n"
          "daemonize no\n"
          "logfile \"\"\n"
          "appendonly yes\n"
          "save \"\"\n";
}

void LocalRedisServer::readOutput()
{
    if (!m_process)
        return;
    m_output += m_process->readAll();
    if (m_output.size() > 64 * 1024)
        m_output = m_output.right(16 * 1024);
    if (m_state == State::Starting && m_output.contains("Ready to accept connections"))
        setState(State::Running);
}

void LocalRedisServer::stop()
{
    if (!m_process)
        return;
    std::unique_ptr<QProcess> process = std::move(m_process);
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning) {
        process->terminate(); // SIGTERM to its PID: redis saves and exits
        if (!process->waitForFinished(5000)) {
            process->kill();
            process->waitForFinished(2000);
        }
    }
    if (m_state != State::Failed)
        setState(State::Stopped);
}

void LocalRedisServer::setState(State state, const QString &error)
{
    if (!error.isEmpty()) {
        m_error = error;
        qCWarning(lcLocalServer) << error;
    }
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

} // namespace Redwire
