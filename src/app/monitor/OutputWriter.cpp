#include "OutputWriter.h"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <unistd.h>

OutputWriter::OutputWriter(int fd, QObject *parent)
    : QObject(parent)
    , m_fd(fd)
{
    m_buffer.reserve(FlushThresholdBytes * 2);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(IdleFlushMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &OutputWriter::flush);
}

OutputWriter::~OutputWriter()
{
    flush();
}

bool OutputWriter::flush()
{
    m_idleTimer.stop();
    m_idleFlushScheduled = false;
    if (m_failed) {
        m_buffer.resize(0);
        return false;
    }
    const char *data = m_buffer.constData();
    qsizetype left = m_buffer.size();
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
        m_failed = true;
        m_readerGone = written < 0 && errno == EPIPE;
        m_error = QString::fromLocal8Bit(std::strerror(written < 0 ? errno : EIO));
        m_buffer.resize(0);
        Q_EMIT failed();
        return false;
    }
    m_buffer.resize(0); // keeps the capacity (clear() would free it): no reallocation per batch
    return true;
}
