#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

class OutputWriterThread;

// Buffered output to a file descriptor (stdout): callers append to buffer() and call
// appended(); the lines go out in blocks of 256 KiB or more, written by a thread of their own
// (OutputWriterThread) while the event loop goes on reading, and at most 100 ms after the last
// append when the stream goes quiet. While the writer is still busy with the block before, lines
// collect up to 1 MiB; then appended() waits for it: that is the back-pressure a slow pipe asks
// for, and it keeps memory flat. After a write error (EPIPE: the reader is gone) nothing more is
// written and failed() is emitted once, from the event loop.
class OutputWriter : public QObject
{
    Q_OBJECT
public:
    static constexpr qsizetype FlushThresholdBytes = 256 * 1024;
    static constexpr qsizetype MaxCollectedBytes = 1024 * 1024;
    static constexpr int IdleFlushMs = 100;

    explicit OutputWriter(int fd, QObject *parent = nullptr);
    // Writes what is buffered and waits for it.
    ~OutputWriter() override;

    QByteArray &buffer() { return m_buffer; }
    void appended()
    {
        if (m_buffer.size() >= FlushThresholdBytes)
            handOver();
        else if (!m_idleFlushScheduled)
            scheduleIdleFlush();
    }
    // Writes everything appended so far and waits until it is out; false after a write error.
    bool flush();
    bool hasFailed() const;
    // True when the reader went away (EPIPE), as opposed to another error.
    bool readerGone() const;
    QString errorString() const;

Q_SIGNALS:
    void failed();

private:
    void handOver();
    void scheduleIdleFlush();
    void idleFlush();
    void reportFailure();

    QByteArray m_buffer;
    QTimer m_idleTimer;
    bool m_idleFlushScheduled = false; // m_idleTimer is running (cheaper to ask per message)
    bool m_failureReported = false;
    std::unique_ptr<OutputWriterThread> m_thread;
};
