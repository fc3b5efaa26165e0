#pragma once

#include "MessageFormatter.h"
#include "MessageSink.h"

#include <QFile>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Redwire {

// Appends every message it is given to a file while the monitor runs (JSON Lines, CSV or text),
// and a line for every break in the subscription.
// Writes are batched: at most every 200 ms, or sooner once 256 KiB are waiting. A write error
// stops the recording and says why.
class MessageRecorder : public QObject, public MessageSink
{
    Q_OBJECT
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
public:
    explicit MessageRecorder(QObject *parent = nullptr);
    ~MessageRecorder() override;

    // Opens `path` for appending (a CSV header is written when the file is empty), creating its
    // folder when it is missing.
    bool start(const QString &path, MessageFormatter::Format format);
    void stop();
    // Writes what is waiting now.
    bool flush();

    bool isRecording() const { return m_file.isOpen(); }
    QString path() const { return m_file.fileName(); }
    quint64 messagesRecorded() const { return m_messages; }
    QString errorString() const { return m_error; }

    void messageAccepted(const MessageView &message) override;
    void gapRecorded(const SubscriptionGap &gap) override;

Q_SIGNALS:
    void recordingChanged(bool recording);
    void failed(const QString &message);

private:
    void fail(const QString &message);

    QFile m_file;
    std::unique_ptr<MessageFormatter> m_formatter;
    QByteArray m_pending;
    QTimer m_flushTimer { this };
    quint64 m_messages = 0;
    QString m_error;
};

} // namespace Redwire
