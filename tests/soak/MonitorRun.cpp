#include "MonitorRun.h"

#include "RawPublisher.h"
#include "SoakWait.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>

#include <sys/prctl.h>
#include <sys/types.h>
#include <unistd.h>

namespace RedwireSoak {

namespace {
constexpr int MaxStrangeLines = 100;

qint64 isoMs(const QJsonValue &value)
{
    const QDateTime time = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return time.isValid() ? time.toMSecsSinceEpoch() : -1;
}
} // namespace

MonitorRun::MonitorRun(const QString &program, const QStringList &arguments, const QByteArray &rawChannel,
    const QByteArray &chatChannel, const QString &outputDirectory, QObject *parent)
    : QObject(parent)
    , m_program(program)
    , m_arguments(arguments)
    , m_rawChannel(rawChannel)
    , m_chatChannel(chatChannel)
    , m_outFile(QDir(outputDirectory).filePath(QStringLiteral("monitor.jsonl")))
    , m_errFile(QDir(outputDirectory).filePath(QStringLiteral("monitor.stderr")))
{
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &MonitorRun::readOutput);
    connect(&m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray bytes = m_process.readAllStandardError();
        m_err += bytes;
        m_errFile.write(bytes);
        m_errFile.flush();
    });
}

MonitorRun::~MonitorRun()
{
    if (isRunning()) {
        resume();
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool MonitorRun::start()
{
    if (!m_outFile.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || !m_errFile.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        m_error = QStringLiteral("cannot write %1").arg(m_outFile.fileName());
        return false;
    }
    // The monitor's own account of each break goes to monitor.stderr (its library logs are off
    // unless QT_LOGGING_RULES turns them on).
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!environment.contains(QStringLiteral("QT_LOGGING_RULES")))
        environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("redwire.monitor.info=true"));
    m_process.setProcessEnvironment(environment);
    // Killed with the soak, also when the soak dies.
    const pid_t parent = ::getpid();
    m_process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(127);
    });
    m_process.start(m_program, m_arguments);
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("cannot start %1: %2").arg(m_program, m_process.errorString());
        return false;
    }
    return true;
}

qint64 MonitorRun::pid() const
{
    return isRunning() ? m_process.processId() : 0;
}

void MonitorRun::pause()
{
    if (isRunning() && !m_paused && ::kill(pid_t(pid()), SIGSTOP) == 0)
        m_paused = true;
}

void MonitorRun::resume()
{
    if (isRunning() && m_paused && ::kill(pid_t(pid()), SIGCONT) == 0)
        m_paused = false;
}

int MonitorRun::terminate(int timeoutMs)
{
    resume();
    if (isRunning())
        ::kill(pid_t(pid()), SIGTERM);
    if (!waitUntil([this] { return !isRunning(); }, timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(5000);
        readOutput();
        return -1;
    }
    readOutput();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

int MonitorRun::rawCount(int number) const
{
    return number >= 0 && size_t(number) < m_rawCounts.size() ? m_rawCounts[size_t(number)] : 0;
}

void MonitorRun::readOutput()
{
    const QByteArray bytes = m_process.readAllStandardOutput();
    if (bytes.isEmpty())
        return;
    m_outFile.write(bytes);
    m_partial += bytes;
    qsizetype start = 0;
    for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n', start)) {
        parseLine(m_partial.mid(start, end - start));
        start = end + 1;
    }
    m_partial.remove(0, start);
}

void MonitorRun::parseLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
    if (error.error != QJsonParseError::NoError) {
        if (m_strange.size() < MaxStrangeLines)
            m_strange.append(line);
        return;
    }
    if (object.contains(QLatin1String("event"))) {
        if (object.value(QLatin1String("event")).toString() != QLatin1String("gap")) {
            if (m_strange.size() < MaxStrangeLines)
                m_strange.append(line);
            return;
        }
        Gap gap;
        gap.sinceMs = isoMs(object.value(QLatin1String("since")));
        gap.timeMs = isoMs(object.value(QLatin1String("time")));
        gap.cause = object.value(QLatin1String("cause")).toString();
        gap.reason = object.value(QLatin1String("reason")).toString();
        gap.resumed = object.value(QLatin1String("resumed")).toBool();
        m_gaps.append(gap);
        m_outFile.flush();
        Q_EMIT gapReported(gap);
        return;
    }
    const QByteArray channel = object.value(QLatin1String("channel")).toString().toUtf8();
    const QByteArray payload = object.value(QLatin1String("payload")).toString().toUtf8();
    if (channel == m_rawChannel) {
        const int number = RawPublisher::numberOf(payload);
        if (number >= 0) {
            if (size_t(number) >= m_rawCounts.size())
                m_rawCounts.resize(size_t(number) + 1, 0);
            ++m_rawCounts[size_t(number)];
            ++m_rawLines;
            return;
        }
    } else if (channel == m_chatChannel) {
        const QString id = QJsonDocument::fromJson(payload).object().value(QLatin1String("id")).toString();
        if (!id.isEmpty()) {
            ++m_chatCounts[id];
            ++m_chatLines;
            return;
        }
    }
    if (m_strange.size() < MaxStrangeLines)
        m_strange.append(line);
}

} // namespace RedwireSoak
