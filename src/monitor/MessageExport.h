#pragma once

#include "MessageFormatter.h"
#include "MonitoredMessage.h"

#include <QObject>
#include <QSaveFile>

#include <memory>
#include <vector>

namespace Redwire {

class MessageRingBuffer;

// Writes what a ring buffer holds to a file, in the background of the event loop: a snapshot is
// taken at start (the buffer keeps changing) and written a few thousand messages per turn, so the
// window stays responsive. The file appears complete or not at all (QSaveFile).
class MessageExport : public QObject
{
    Q_OBJECT
public:
    static constexpr int MessagesPerTurn = 4000;

    explicit MessageExport(QObject *parent = nullptr);
    ~MessageExport() override;

    // Creates the file's folder when it is missing. False (with errorString(), a whole sentence
    // that names the file) when the folder or the file cannot be made, or an export is running.
    bool start(const MessageRingBuffer &buffer, const QString &path, MessageFormatter::Format format);
    void cancel();

    bool isRunning() const { return m_running; }
    qsizetype total() const { return qsizetype(m_snapshot.size()); }
    qsizetype written() const { return m_next; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void progress(qsizetype written, qsizetype total);
    void finished(bool ok, const QString &errorString);

private:
    void writeSome();
    void finish(bool ok, const QString &error);

    std::vector<MonitoredMessage> m_snapshot;
    std::unique_ptr<QSaveFile> m_file;
    std::unique_ptr<MessageFormatter> m_formatter;
    qsizetype m_next = 0;
    bool m_running = false;
    QString m_error;
};

} // namespace Redwire
