#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <memory>

namespace Redwire {

class BoundedLineReader;
class CommandConnection;

// Replays a JSON Lines recording: publishes every message line to its channel again, paced as it
// was recorded (scaled by the speed) or as fast as the server takes them. The file is read a line
// at a time and at most maxInFlight PUBLISHes wait for their reply, so memory stays flat whatever
// the file's size. Event lines (gaps) are skipped, malformed lines reported and skipped. A dry run
// publishes nothing: it reports each message it would send (messageDue) without pacing.
class RecordingReplay : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxInFlight = 64;
    // Longer lines are reported as malformed: a 512 MiB payload (Redis's limit) in base64 fits.
    static constexpr qint64 DefaultMaxLineBytes = 768LL * 1024 * 1024;

    explicit RecordingReplay(QObject *parent = nullptr);
    ~RecordingReplay() override;

    // Where to publish (not owned; it must be connected when start() is called). Not needed for a
    // dry run.
    void setConnection(CommandConnection *connection);
    // 1: the recorded pacing; 2: twice as fast; 0: as fast as possible.
    void setSpeed(double speed);
    void setDryRun(bool dryRun);
    void setMaxInFlight(int count);
    void setMaxLineBytes(qint64 bytes);

    // Opens the file and starts (asynchronously). False, with errorString(), when it cannot be read.
    bool start(const QString &path);
    // Stops reading; finished() follows once the PUBLISHes in flight have been answered.
    void stop();

    bool isRunning() const { return m_running; }
    bool wasStopped() const { return m_stopped; }
    qint64 published() const { return m_published; }
    qint64 skipped() const { return m_skipped; }
    qint64 malformed() const { return m_malformed; }
    int inFlight() const { return m_inFlight; }
    // How far through the file, 0 to 100.
    int percent() const;
    QString fileName() const { return m_fileName; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    // A dry run's message: it would be published `offsetMs` after the first (at this speed).
    // `sharded`: it would be SPUBLISHed.
    void messageDue(qint64 offsetMs, const QByteArray &channel, const QByteArray &payload, bool sharded);
    void malformedLine(qint64 lineNumber, const QString &problem);
    // Counters or the position changed (at most once per batch of lines).
    void progressed();
    // Once per start(): `ok` false when a PUBLISH failed or the file could not be read (errorString()).
    void finished(bool ok);

private:
    void readLine();
    qint64 pendingDueMs();
    void pump();
    void publishPending();
    void publishReplied(bool ok, const QString &error);
    void fail(const QString &error);
    void finishIfDone();

    QPointer<CommandConnection> m_connection;
    std::unique_ptr<BoundedLineReader> m_reader;
    QString m_fileName;
    int m_finalPercent = 0;
    QTimer m_timer { this }; // the next message's due time, or 0 to go on with the next batch
    QElapsedTimer m_clock; // since the first message was due
    double m_speed = 1;
    bool m_dryRun = false;
    int m_maxInFlight = DefaultMaxInFlight;
    qint64 m_maxLineBytes = DefaultMaxLineBytes;
    bool m_running = false;
    bool m_stopped = false;
    bool m_atEnd = false;
    bool m_failed = false;
    bool m_havePending = false;
    qint64 m_pendingTimestampMs = 0;
    QByteArray m_pendingChannel;
    bool m_pendingSharded = false;
    QByteArray m_pendingPayload;
    qint64 m_firstTimestampMs = 0;
    bool m_haveFirst = false;
    qint64 m_published = 0;
    qint64 m_skipped = 0;
    qint64 m_malformed = 0;
    int m_inFlight = 0;
    quint64 m_generation = 0; // replies from an earlier start() are not counted
    QString m_error;
};

} // namespace Redwire
