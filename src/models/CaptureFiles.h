#pragma once

#include <QObject>
#include <QString>

namespace Redwire {

class CommandConnection;
class MessageExport;
class MessageRecorder;
class MessageRingBuffer;
class RecordingReplay;

// The monitor's files: exporting what the buffer holds, recording what arrives, and publishing a
// recording again. Paths may be local file URLs (from a file dialog); formats are "jsonl" or
// "csv". What happens is told as a sentence (status) for the status line.
class CaptureFiles : public QObject
{
    Q_OBJECT
public:
    explicit CaptureFiles(QObject *parent = nullptr);

    // The monitor's sink for recording.
    MessageRecorder *recorder() const { return m_recorder; }

    bool isExporting() const;
    int exportPercent() const { return m_exportPercent; }
    void exportTo(const MessageRingBuffer &buffer, const QString &pathOrUrl, const QString &format);
    void cancelExport();

    bool isRecording() const;
    void startRecording(const QString &pathOrUrl, const QString &format);
    void stopRecording();

    bool isReplaying() const;
    int replayPercent() const;
    qint64 replayPublished() const;
    // Publishes over `connection` (null: not connected, refused), paced as recorded.
    void startReplay(CommandConnection *connection, const QString &pathOrUrl, double speed);
    void stopReplay();
    // The monitor's connection goes: a replay stops and forgets it.
    void connectionGone();

Q_SIGNALS:
    void exportChanged();
    void recordingChanged();
    void replayChanged();
    void status(const QString &message);

private:
    MessageExport *m_export;
    MessageRecorder *m_recorder;
    RecordingReplay *m_replay;
    int m_exportPercent = 0;
};

} // namespace Redwire
