#pragma once

// One run of a command-line program (redwire-monitor) as a child process: stdout and stderr
// collected as they come, waits on the event loop, killed when the object goes.
#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QStringList>

#include <functional>

namespace RedwireTest {

class ProgramRun
{
public:
    // Starts `program`; REDWIRE_PASSWORD is removed from its environment, or set to `password`
    // when that is not null. `prepare` may change the process (e.g. redirect its output) before
    // it starts.
    ProgramRun(const QString &program, const QStringList &arguments, const QString &password = QString(),
        const std::function<void(QProcess &)> &prepare = {});
    ~ProgramRun();
    ProgramRun(const ProgramRun &) = delete;
    ProgramRun &operator=(const ProgramRun &) = delete;

    QProcess &process() { return m_process; }
    bool started() { return m_process.waitForStarted(5000); }
    // Sends a POSIX signal (SIGINT, SIGTERM, SIGSTOP...); true when it was delivered.
    bool sendSignal(int signalNumber);

    // Wait (event loop running) until stderr contains `text` / stdout has `lines` lines; false
    // at the timeout, or when the program ended first.
    bool waitForStderr(const QByteArray &text, int timeoutMs = 20000);
    bool waitForStdoutLines(int lines, int timeoutMs = 20000);
    // The exit code, or -1 when it did not finish normally in time.
    int waitForExit(int timeoutMs = 60000);

    const QByteArray &out() const { return m_out; }
    const QByteArray &err() const { return m_err; }
    // stdout split into lines, without the empty one after the last newline.
    QList<QByteArray> lines() const;

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace RedwireTest

// Fails the test unless the run ends with `expected`, showing its stderr.
#define REDWIRE_CHECK_EXIT(run, expected)                                                                    \
    do {                                                                                                     \
        const int code = (run).waitForExit();                                                                \
        QVERIFY2(code == (expected),                                                                         \
            qPrintable(                                                                                      \
                QStringLiteral("exit %1, stderr: %2").arg(code).arg(QString::fromUtf8((run).err()))));       \
    } while (false)
