#include "MessageExport.h"

#include "MessageRingBuffer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

namespace Redwire {

MessageExport::MessageExport(QObject *parent)
    : QObject(parent)
{ }

MessageExport::~MessageExport()
{
    if (m_file)
        m_file->cancelWriting();
}

bool MessageExport::start(
    const MessageRingBuffer &buffer, const QString &path, MessageFormatter::Format format)
{
    if (m_running) {
        m_error = tr("An export is already running.");
        return false;
    }
    // The folder may not exist yet: the suggested ~/Documents is missing on many systems.
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder)) {
        m_error = tr("Cannot export to %1: cannot create the folder %2.")
                      .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(folder));
        return false;
    }
    m_file = std::make_unique<QSaveFile>(path);
    if (!m_file->open(QIODevice::WriteOnly)) {
        m_error = tr("Cannot export to %1: %2").arg(QDir::toNativeSeparators(path), m_file->errorString());
        m_file.reset();
        return false;
    }
    m_snapshot.clear();
    m_snapshot.reserve(size_t(buffer.size()));
    for (qsizetype i = 0; i < buffer.size(); ++i)
        m_snapshot.push_back(buffer.at(i));
    m_formatter = MessageFormatter::create(format);
    m_next = 0;
    m_error.clear();
    m_running = true;
    m_file->write(m_formatter->header());
    QTimer::singleShot(0, this, &MessageExport::writeSome);
    return true;
}

void MessageExport::cancel()
{
    if (m_running)
        finish(false, tr("The export was cancelled."));
}

void MessageExport::writeSome()
{
    if (!m_running)
        return;
    QByteArray chunk;
    const qsizetype end = qMin(total(), m_next + MessagesPerTurn);
    for (; m_next < end; ++m_next)
        m_formatter->appendEntry(m_snapshot[size_t(m_next)], chunk);
    if (m_file->write(chunk) != chunk.size()) {
        finish(false, tr("Cannot write %1: %2").arg(m_file->fileName(), m_file->errorString()));
        return;
    }
    Q_EMIT progress(m_next, total());
    if (m_next < total()) {
        QTimer::singleShot(0, this, &MessageExport::writeSome);
        return;
    }
    if (!m_file->commit()) {
        finish(false, tr("Cannot save %1: %2").arg(m_file->fileName(), m_file->errorString()));
        return;
    }
    finish(true, {});
}

void MessageExport::finish(bool ok, const QString &error)
{
    if (!ok && m_file)
        m_file->cancelWriting();
    m_file.reset();
    m_snapshot.clear();
    m_snapshot.shrink_to_fit();
    m_running = false;
    m_error = error;
    Q_EMIT finished(ok, error);
}

} // namespace Redwire
