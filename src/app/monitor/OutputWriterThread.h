#pragma once

#include <QByteArray>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

// A thread that writes blocks of output to a file descriptor, one at a time and in the order
// given, so that the file system's (or the pipe's) time overlaps with reading from Redis. The
// caller hands a block over and gets back the previous, written one (empty, its capacity kept): a
// double buffer. After a write error nothing more is written and `onFailure` runs once, on the
// writer thread.
class OutputWriterThread
{
public:
    OutputWriterThread(int fd, std::function<void()> onFailure);
    // Writes the block in hand (if any), then ends the thread.
    ~OutputWriterThread();
    OutputWriterThread(const OutputWriterThread &) = delete;
    OutputWriterThread &operator=(const OutputWriterThread &) = delete;

    // Still writing the block handed over last; cheap enough to ask per line.
    bool isBusy() const { return m_busy.load(std::memory_order_acquire); }
    // Swaps `block` with the written one and starts writing it. When the thread is busy: waits
    // for it with `wait` (back-pressure from a slow reader), else returns false and takes nothing.
    // After a failure the block is dropped.
    bool submit(QByteArray &block, bool wait);
    // Waits until every block handed over is written or failed.
    void waitUntilIdle();

    bool hasFailed() const { return m_failed.load(std::memory_order_acquire); }
    // The errno of the failed write (EPIPE: the reader is gone); 0 before a failure.
    int errorNumber() const;

private:
    void run();
    // 0, or the errno of the write that failed.
    int writeAll(const QByteArray &block);

    const int m_fd;
    const std::function<void()> m_onFailure;
    mutable std::mutex m_mutex;
    std::condition_variable m_work; // the writer waits for a block or the end
    std::condition_variable m_idle; // the caller waits for the writer to finish a block
    QByteArray m_block; // the writer's while m_busy
    std::atomic<bool> m_busy { false };
    std::atomic<bool> m_failed { false };
    bool m_stopping = false;
    int m_errno = 0;
    std::thread m_thread;
};
