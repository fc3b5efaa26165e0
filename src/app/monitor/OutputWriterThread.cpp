#include "OutputWriterThread.h"

#include <cerrno>

#include <poll.h>
#include <unistd.h>

OutputWriterThread::OutputWriterThread(int fd, std::function<void()> onFailure)
    : m_fd(fd)
    , m_onFailure(std::move(onFailure))
    , m_thread([this] { run(); })
{ }

OutputWriterThread::~OutputWriterThread()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_work.notify_one();
    m_thread.join();
}

bool OutputWriterThread::submit(QByteArray &block, bool wait)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    if (m_busy.load(std::memory_order_relaxed)) {
        if (!wait)
            return false;
        m_idle.wait(lock, [this] { return !m_busy.load(std::memory_order_relaxed); });
    }
    if (m_failed.load(std::memory_order_relaxed)) {
        block.resize(0);
        return true;
    }
    m_block.swap(block); // `block` gets the written one back, empty, with its capacity
    m_busy.store(true, std::memory_order_release);
    lock.unlock();
    m_work.notify_one();
    return true;
}

void OutputWriterThread::waitUntilIdle()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    m_idle.wait(lock, [this] { return !m_busy.load(std::memory_order_relaxed); });
}

int OutputWriterThread::errorNumber() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_errno;
}

void OutputWriterThread::run()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        m_work.wait(lock, [this] { return m_busy.load(std::memory_order_relaxed) || m_stopping; });
        if (!m_busy.load(std::memory_order_relaxed))
            return; // stopping, nothing in hand
        lock.unlock();
        const int error = writeAll(m_block);
        m_block.resize(0); // keeps the capacity (clear() would free it): no reallocation per block
        lock.lock();
        const bool firstFailure = error != 0 && !m_failed.load(std::memory_order_relaxed);
        if (firstFailure) {
            m_errno = error;
            m_failed.store(true, std::memory_order_release);
        }
        m_busy.store(false, std::memory_order_release);
        m_idle.notify_all();
        if (firstFailure && m_onFailure) {
            lock.unlock();
            m_onFailure();
            lock.lock();
        }
    }
}

int OutputWriterThread::writeAll(const QByteArray &block)
{
    const char *data = block.constData();
    qsizetype left = block.size();
    while (left > 0) {
        const ssize_t written = ::write(m_fd, data, size_t(left));
        if (written > 0) {
            data += written;
            left -= written;
            continue;
        }
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            // An inherited non-blocking descriptor: wait until the reader takes more.
            pollfd waitFor { m_fd, POLLOUT, 0 };
            ::poll(&waitFor, 1, -1);
            continue;
        }
        return written < 0 ? errno : EIO;
    }
    return 0;
}
