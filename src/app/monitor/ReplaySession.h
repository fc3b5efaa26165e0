#pragma once

#include "MonitorOptions.h"

#include <QObject>
#include <QTimer>

namespace Redwire {
class CommandConnection;
class RedisClient;
class RecordingReplay;
} // namespace Redwire
class OutputWriter;

// One run of `redwire-monitor --replay FILE`: connects a command connection (no reconnect) and
// publishes the recording through a RecordingReplay, or prints what it would publish for
// --dry-run. Malformed lines are reported on stderr with their number; progress every few seconds
// (unless --quiet) and a summary line at the end, always. Decides the exit code.
class ReplaySession : public QObject
{
    Q_OBJECT
public:
    // The monitor's exit codes (MonitorSession::ExitCode), and one for a recording with bad lines.
    enum ExitCode { Done = 0, ConnectionLost = 1, UsageError = 2, CannotConnect = 3, MalformedInput = 4 };
    static constexpr int ProgressIntervalMs = 2000;

    ReplaySession(const MonitorOptions &options, OutputWriter *output, QObject *parent = nullptr);
    ~ReplaySession() override;

    void start();
    // SIGINT or SIGTERM: stop publishing, print the summary.
    void terminate();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void startReplay();
    void printDue(qint64 offsetMs, const QByteArray &channel, const QByteArray &payload, bool sharded);
    void printProgress();
    void replayFinished(bool ok);
    void finish(int exitCode);

    MonitorOptions m_options;
    OutputWriter *m_output;
    Redwire::CommandConnection *m_connection = nullptr;
    // A cluster: its commands route each PUBLISH to the entry, each SPUBLISH to its slot's owner.
    Redwire::RedisClient *m_cluster = nullptr;
    Redwire::RecordingReplay *m_replay;
    QTimer m_progressTimer;
    bool m_started = false;
    bool m_finishing = false;
};
