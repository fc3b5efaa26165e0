#include "MessageRecorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Redwire {

namespace {
constexpr qsizetype FlushThresholdBytes = 256 * 1024;
constexpr int FlushIntervalMs = 200;

} // namespace

MessageRecorder::MessageRecorder(QObject *parent)
    : QObject(parent)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &MessageRecorder::flush);
}

MessageRecorder::~MessageRecorder()
{
    flush();
}

bool MessageRecorder::start(const QString &path, MessageFormatter::Format format)
{
    stop();
    m_error.clear();
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        m_error = tr("Cannot record to %1: cannot create the folder %2.")
                      .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(folder));
        return false;
    }
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append)) {
        m_error = tr("Cannot record to %1: %2").arg(QDir::toNativeSeparators(path), m_file.errorString());
        return false;
    }
    m_formatter = MessageFormatter::create(format);
    m_messages = 0;
    if (m_file.size() == 0)
        m_pending = m_formatter->header();
    Q_EMIT recordingChanged(true);
    return true;
}

void MessageRecorder::stop()
{
    if (!m_file.isOpen())
        return;
    flush();
    m_flushTimer.stop();
    m_file.close();
    Q_EMIT recordingChanged(false);
}

bool MessageRecorder::flush()
{
    if (m_pending.isEmpty() || !m_file.isOpen())
        return true;
    const qint64 written = m_file.write(m_pending);
    if (written != m_pending.size() || !m_file.flush()) {
        fail(tr("Recording to %1 stopped: %2").arg(m_file.fileName(), m_file.errorString()));
        return false;
    }
    m_pending.resize(0); // keeps the capacity
    return true;
}

void MessageRecorder::messageAccepted(const MessageView &message)
{
    if (!m_file.isOpen())
        return;
    m_formatter->append(message, m_pending);
    ++m_messages;
    if (m_pending.size() >= FlushThresholdBytes)
        flush();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void MessageRecorder::gapRecorded(const SubscriptionGap &gap)
{
    if (!m_file.isOpen())
        return;
    m_formatter->appendGap(gap, m_pending);
    flush(); // rare, and worth having on disk at once
}

void MessageRecorder::fail(const QString &message)
{
    m_error = message;
    m_pending.clear();
    m_flushTimer.stop();
    m_file.close();
    Q_EMIT recordingChanged(false);
    Q_EMIT failed(message);
}

} // namespace Redwire
