#include "OutputWriter.h"

#include "OutputWriterThread.h"

#include <cerrno>
#include <cstring>

OutputWriter::OutputWriter(int fd, QObject *parent)
    : QObject(parent)
{
    // Both halves of the double buffer hold a full collection without reallocating.
    m_buffer.reserve(MaxCollectedBytes + FlushThresholdBytes);
    m_idleTimer.setSingleShot(true);
    m_idleTimer.setInterval(IdleFlushMs);
    connect(&m_idleTimer, &QTimer::timeout, this, &OutputWriter::idleFlush);
    m_thread = std::make_unique<OutputWriterThread>(fd, [this] {
        // On the writer thread: the event loop reports it.
        QMetaObject::invokeMethod(this, &OutputWriter::reportFailure, Qt::QueuedConnection);
    });
    QByteArray spare;
    spare.reserve(MaxCollectedBytes + FlushThresholdBytes);
    m_thread->submit(spare, true); // gives the thread its half (an empty block: nothing written)
    m_thread->waitUntilIdle();
}

OutputWriter::~OutputWriter()
{
    flush();
    m_thread.reset(); // joined before the QObject goes: no failure report can outlive us
}

bool OutputWriter::hasFailed() const
{
    return m_thread->hasFailed();
}

bool OutputWriter::readerGone() const
{
    return m_thread->errorNumber() == EPIPE;
}

QString OutputWriter::errorString() const
{
    const int error = m_thread->errorNumber();
    return error ? QString::fromLocal8Bit(std::strerror(error)) : QString();
}

void OutputWriter::handOver()
{
    // The writer is still busy with the block before: go on collecting, up to a bound.
    if (m_buffer.size() < MaxCollectedBytes && m_thread->isBusy()) {
        if (!m_idleFlushScheduled)
            scheduleIdleFlush();
        return;
    }
    m_idleTimer.stop();
    m_idleFlushScheduled = false;
    m_thread->submit(m_buffer, true);
    if (m_thread->hasFailed())
        reportFailure();
}

void OutputWriter::scheduleIdleFlush()
{
    m_idleFlushScheduled = true;
    m_idleTimer.start();
}

// The stream went quiet: what is buffered goes out now, without waiting for it to be written.
void OutputWriter::idleFlush()
{
    m_idleFlushScheduled = false;
    if (m_buffer.isEmpty())
        return;
    if (!m_thread->submit(m_buffer, false))
        scheduleIdleFlush(); // the writer is still busy: try again later
    else if (m_thread->hasFailed())
        reportFailure();
}

bool OutputWriter::flush()
{
    m_idleTimer.stop();
    m_idleFlushScheduled = false;
    if (!m_buffer.isEmpty())
        m_thread->submit(m_buffer, true);
    m_thread->waitUntilIdle();
    if (m_thread->hasFailed()) {
        m_buffer.resize(0);
        reportFailure();
        return false;
    }
    return true;
}

void OutputWriter::reportFailure()
{
    if (m_failureReported || !m_thread || !m_thread->hasFailed())
        return;
    m_failureReported = true;
    Q_EMIT failed();
}
