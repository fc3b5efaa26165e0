#include "ProgramRun.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>

#include <sys/types.h>

namespace RedwireTest {

ProgramRun::ProgramRun(const QString &program, const QStringList &arguments, const QString &password,
    const std::function<void(QProcess &)> &prepare)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove(QStringLiteral("REDWIRE_PASSWORD"));
    if (!password.isNull())
        environment.insert(QStringLiteral("REDWIRE_PASSWORD"), password);
    m_process.setProcessEnvironment(environment);
    QObject::connect(&m_process, &QProcess::readyReadStandardOutput,
        [this] { m_out += m_process.readAllStandardOutput(); });
    QObject::connect(
        &m_process, &QProcess::readyReadStandardError, [this] { m_err += m_process.readAllStandardError(); });
    if (prepare)
        prepare(m_process);
    m_process.start(program, arguments);
}

ProgramRun::~ProgramRun()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool ProgramRun::sendSignal(int signalNumber)
{
    const qint64 pid = m_process.processId();
    return pid > 0 && ::kill(pid_t(pid), signalNumber) == 0;
}

bool ProgramRun::waitForStderr(const QByteArray &text, int timeoutMs)
{
    return QTest::qWaitFor(
               [&] { return m_err.contains(text) || m_process.state() == QProcess::NotRunning; }, timeoutMs)
        && m_err.contains(text);
}

bool ProgramRun::waitForStdoutLines(int lines, int timeoutMs)
{
    return QTest::qWaitFor([&] { return m_out.count('\n') >= lines; }, timeoutMs);
}

int ProgramRun::waitForExit(int timeoutMs)
{
    if (m_process.state() != QProcess::NotRunning) {
        QSignalSpy finished(&m_process, &QProcess::finished);
        if (!finished.wait(timeoutMs))
            return -1;
    }
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

QList<QByteArray> ProgramRun::lines() const
{
    QList<QByteArray> all = m_out.split('\n');
    if (!all.isEmpty() && all.last().isEmpty())
        all.removeLast();
    return all;
}

} // namespace RedwireTest
