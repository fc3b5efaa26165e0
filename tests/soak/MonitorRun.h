#pragma once

#include <QByteArray>
#include <QFile>
#include <QHash>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>

#include <vector>

namespace RedwireSoak {

// redwire-monitor --format jsonl as a child process. Its lines are parsed as they come: messages
// on the raw channel counted by number, chat envelopes by ID, gap lines kept. stdout and stderr
// are also written to files for a post-mortem.
class MonitorRun : public QObject
{
    Q_OBJECT
public:
    struct Gap
    {
        qint64 sinceMs = 0;
        qint64 timeMs = 0;
        QString cause;
        QString reason;
        bool resumed = true;
    };

    MonitorRun(const QString &program, const QStringList &arguments, const QByteArray &rawChannel,
        const QByteArray &chatChannel, const QString &outputDirectory, QObject *parent = nullptr);
    ~MonitorRun() override;

    bool start();
    QString errorString() const { return m_error; }
    qint64 pid() const;
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    // SIGSTOP / SIGCONT: a monitor that stops reading.
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    // SIGTERM, then waits for the exit (the event loop runs). The exit code, or -1.
    int terminate(int timeoutMs);

    QByteArray standardError() const { return m_err; }
    // How often the raw message `number` arrived (0 for numbers never seen).
    int rawCount(int number) const;
    int rawNumbersSeen() const { return int(m_rawCounts.size()); }
    qint64 rawLines() const { return m_rawLines; }
    const QHash<QString, int> &chatCounts() const { return m_chatCounts; }
    qint64 chatLines() const { return m_chatLines; }
    const QList<Gap> &gaps() const { return m_gaps; }
    // Lines that are neither a message of ours nor a gap: JSON errors, unknown channels.
    const QList<QByteArray> &strangeLines() const { return m_strange; }

Q_SIGNALS:
    void gapReported(const RedwireSoak::MonitorRun::Gap &gap);

private:
    void readOutput();
    void parseLine(const QByteArray &line);

    QProcess m_process;
    QString m_program;
    QStringList m_arguments;
    QByteArray m_rawChannel;
    QByteArray m_chatChannel;
    QFile m_outFile;
    QFile m_errFile;
    QByteArray m_partial;
    QByteArray m_err;
    QString m_error;
    bool m_paused = false;
    std::vector<int> m_rawCounts;
    qint64 m_rawLines = 0;
    QHash<QString, int> m_chatCounts;
    qint64 m_chatLines = 0;
    QList<Gap> m_gaps;
    QList<QByteArray> m_strange;
};

} // namespace RedwireSoak
