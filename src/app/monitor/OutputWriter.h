#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

// Buffered output to a file descriptor (stdout): callers append to buffer() and call
// appended(); bytes go out in 64 KiB writes, and at most 100 ms after the last append when the
// stream goes quiet. Writes block when the reader is slower than Redis: that is the back-pressure
// a pipe asks for, and it keeps memory flat. After a write error (EPIPE: the reader is gone)
// nothing more is written and failed() is emitted once.
class OutputWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype FlushThresholdBytes = 64 * 1024;
    static constexpr int IdleFlushMs = 100;

    explicit OutputWriter(int fd, QObject *parent = nullptr);
    ~OutputWriter() override;

    QByteArray &buffer() { return m_buffer; }
    void appended()
    {
        if (m_buffer.size() >= FlushThresholdBytes) {
            flush();
        } else if (!m_idleFlushScheduled) {
            m_idleFlushScheduled = true;
            m_idleTimer.start();
        }
    }
    bool flush();
    bool hasFailed() const { return m_failed; }
    // True when the reader went away (EPIPE), as opposed to another error.
    bool readerGone() const { return m_readerGone; }
    QString errorString() const { return m_error; }

Q_SIGNALS:
    void failed();

private:
    int m_fd;
    QByteArray m_buffer;
    QTimer m_idleTimer;
    bool m_idleFlushScheduled = false; // m_idleTimer is running (cheaper to ask per message)
    bool m_failed = false;
    bool m_readerGone = false;
    QString m_error;
};
