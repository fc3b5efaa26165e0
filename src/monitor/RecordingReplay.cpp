#include "RecordingReplay.h"

#include "BoundedLineReader.h"
#include "RecordingLine.h"

#include "redis/CommandConnection.h"

#include <QLoggingCategory>

#include <QLocale>

#include <cmath>
#include <limits>

namespace Redwire {

Q_LOGGING_CATEGORY(lcReplay, "redwire.monitor.replay")

namespace {
// Lines read or messages sent per turn of the event loop: a fast replay keeps the UI responsive.
constexpr int BatchSize = 1000;
} // namespace

RecordingReplay::RecordingReplay(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &RecordingReplay::pump);
}

RecordingReplay::~RecordingReplay() = default;

void RecordingReplay::setConnection(CommandConnection *connection)
{
    m_connection = connection;
}

void RecordingReplay::setSpeed(double speed)
{
    m_speed = std::isfinite(speed) && speed > 0 ? speed : 0;
}

void RecordingReplay::setDryRun(bool dryRun)
{
    m_dryRun = dryRun;
}

void RecordingReplay::setMaxInFlight(int count)
{
    m_maxInFlight = qMax(1, count);
}

void RecordingReplay::setMaxLineBytes(qint64 bytes)
{
    m_maxLineBytes = qMax<qint64>(1, bytes);
}

bool RecordingReplay::start(const QString &path)
{
    if (m_running) {
        m_error = tr("A replay is already running.");
        return false;
    }
    m_reader = std::make_unique<BoundedLineReader>(m_maxLineBytes);
    if (!m_reader->open(path)) {
        m_error = tr("Cannot read %1: %2").arg(path, m_reader->errorString());
        m_reader.reset();
        return false;
    }
    ++m_generation;
    m_fileName = path;
    m_finalPercent = 0;
    m_running = true;
    m_stopped = m_atEnd = m_failed = m_havePending = m_haveFirst = false;
    m_published = m_skipped = m_malformed = 0;
    m_inFlight = 0;
    m_error.clear();
    qCDebug(lcReplay) << "replaying" << path << (m_dryRun ? "(dry run)" : "") << "speed" << m_speed;
    m_timer.start(0);
    return true;
}

void RecordingReplay::stop()
{
    if (!m_running || m_stopped)
        return;
    m_stopped = true;
    m_havePending = false;
    m_timer.start(0); // finished() comes from the event loop, not from inside the caller
}

int RecordingReplay::percent() const
{
    if (!m_reader)
        return m_finalPercent;
    if (m_reader->size() <= 0)
        return m_atEnd ? 100 : 0;
    return int(qBound(qint64(0), m_reader->bytesRead() * 100 / m_reader->size(), qint64(100)));
}

// Reads one line: a message becomes the pending one; other lines are counted.
void RecordingReplay::readLine()
{
    QByteArray bytes;
    switch (m_reader->next(&bytes)) {
    case BoundedLineReader::Result::End:
        m_atEnd = true;
        return;
    case BoundedLineReader::Result::Error:
        fail(tr("Cannot read %1: %2").arg(m_reader->fileName(), m_reader->errorString()));
        return;
    case BoundedLineReader::Result::TooLong:
        ++m_malformed;
        Q_EMIT malformedLine(m_reader->lineNumber(),
            tr("longer than %1 bytes; skipped").arg(QLocale::c().toString(m_maxLineBytes)));
        return;
    case BoundedLineReader::Result::Line:
        break;
    }
    const RecordingLine line = RecordingLine::parse(bytes);
    switch (line.kind) {
    case RecordingLine::Kind::Blank:
        return;
    case RecordingLine::Kind::Event:
        ++m_skipped;
        return;
    case RecordingLine::Kind::Malformed:
        ++m_malformed;
        Q_EMIT malformedLine(m_reader->lineNumber(), line.problem);
        return;
    case RecordingLine::Kind::Message:
        m_havePending = true;
        m_pendingTimestampMs = line.timestampMs;
        m_pendingChannel = line.channel;
        m_pendingPayload = line.payload;
        m_pendingSharded = line.sharded;
        return;
    }
}

// When the pending message is due, in ms after the first message; the first one starts the clock.
qint64 RecordingReplay::pendingDueMs()
{
    if (!m_haveFirst) {
        m_haveFirst = true;
        m_firstTimestampMs = m_pendingTimestampMs;
        m_clock.start();
        return 0;
    }
    // A recording's clock can step back (NTP): such a message is due at once.
    const qint64 recordedOffset = qMax<qint64>(0, m_pendingTimestampMs - m_firstTimestampMs);
    return m_speed > 0 ? qint64(std::llround(double(recordedOffset) / m_speed)) : 0;
}

void RecordingReplay::pump()
{
    if (!m_running)
        return;
    for (int step = 0; !m_stopped && !m_failed; ++step) {
        if (step >= BatchSize) {
            m_timer.start(0);
            break;
        }
        if (!m_havePending) {
            if (m_atEnd)
                break;
            readLine();
            continue;
        }
        if (m_dryRun) {
            const qint64 dueMs = pendingDueMs();
            m_havePending = false;
            ++m_published;
            Q_EMIT messageDue(dueMs, m_pendingChannel, m_pendingPayload, m_pendingSharded);
            continue;
        }
        if (m_inFlight >= m_maxInFlight)
            break; // the next reply pumps again
        if (!m_haveFirst || m_speed <= 0) {
            pendingDueMs();
        } else {
            const qint64 waitMs = pendingDueMs() - m_clock.elapsed();
            if (waitMs > 0) {
                m_timer.start(int(qMin<qint64>(waitMs, std::numeric_limits<int>::max())));
                break;
            }
        }
        publishPending();
    }
    Q_EMIT progressed();
    finishIfDone();
}

void RecordingReplay::publishPending()
{
    m_havePending = false;
    if (!m_connection) {
        fail(tr("Not connected."));
        return;
    }
    ++m_inFlight;
    const QPointer<RecordingReplay> self(this);
    const quint64 generation = m_generation;
    const QByteArray verb = m_pendingSharded ? QByteArrayLiteral("SPUBLISH") : QByteArrayLiteral("PUBLISH");
    m_connection->send({ verb, m_pendingChannel, m_pendingPayload },
        [self, generation](const RedisReply &reply, const RedisError &error) {
            if (!self || self->m_generation != generation)
                return;
            if (const RedisError failure = RedisError::forCommand(reply, error))
                self->publishReplied(false, failure.message());
            else
                self->publishReplied(true, {});
        });
}

void RecordingReplay::publishReplied(bool ok, const QString &error)
{
    --m_inFlight;
    if (ok)
        ++m_published;
    else if (!m_failed)
        fail(tr("Publishing failed: %1").arg(error));
    if (m_failed || m_stopped) {
        Q_EMIT progressed();
        finishIfDone();
    } else {
        pump();
    }
}

void RecordingReplay::fail(const QString &error)
{
    qCWarning(lcReplay) << error;
    m_failed = true;
    m_error = error;
    m_havePending = false;
    m_timer.stop();
}

void RecordingReplay::finishIfDone()
{
    if (!m_running || m_inFlight > 0)
        return;
    if (!(m_stopped || m_failed || (m_atEnd && !m_havePending)))
        return;
    m_finalPercent = percent();
    m_running = false;
    m_timer.stop();
    m_reader.reset();
    Q_EMIT finished(!m_failed);
}

} // namespace Redwire
