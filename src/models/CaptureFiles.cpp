#include "CaptureFiles.h"

#include "monitor/MessageExport.h"
#include "monitor/MessageRecorder.h"
#include "monitor/RecordingReplay.h"
#include "redis/CommandConnection.h"

#include <QUrl>

namespace Redwire {

namespace {
QString localPath(const QString &pathOrUrl)
{
    const QUrl url(pathOrUrl);
    return url.isLocalFile() ? url.toLocalFile() : pathOrUrl;
}

MessageFormatter::Format formatNamed(const QString &name)
{
    return name == QLatin1String("csv") ? MessageFormatter::Format::Csv : MessageFormatter::Format::JsonLines;
}
} // namespace

CaptureFiles::CaptureFiles(QObject *parent)
    : QObject(parent)
    , m_export(new MessageExport(this))
    , m_recorder(new MessageRecorder(this))
    , m_replay(new RecordingReplay(this))
{
    connect(m_export, &MessageExport::progress, this, [this](qsizetype written, qsizetype total) {
        m_exportPercent = total > 0 ? int(written * 100 / total) : 100;
        Q_EMIT exportChanged();
    });
    connect(m_export, &MessageExport::finished, this, [this](bool ok, const QString &error) {
        m_exportPercent = 100;
        Q_EMIT status(ok ? tr("Export finished.") : error); // the error names the file and the reason
        Q_EMIT exportChanged();
    });
    connect(m_recorder, &MessageRecorder::recordingChanged, this, &CaptureFiles::recordingChanged);
    connect(m_recorder, &MessageRecorder::failed, this,
        [this](const QString &message) { Q_EMIT status(tr("Recording stopped: %1").arg(message)); });
    connect(m_replay, &RecordingReplay::progressed, this, &CaptureFiles::replayChanged);
    connect(m_replay, &RecordingReplay::malformedLine, this, [this](qint64 line, const QString &problem) {
        Q_EMIT status(tr("Replay: line %1 of %2 skipped: %3").arg(line).arg(m_replay->fileName(), problem));
    });
    connect(m_replay, &RecordingReplay::finished, this, [this](bool ok) {
        const QString counts = tr("%1 published, %2 skipped, %3 malformed")
                                   .arg(m_replay->published())
                                   .arg(m_replay->skipped())
                                   .arg(m_replay->malformed());
        if (!ok)
            Q_EMIT status(tr("Replay failed (%1): %2").arg(counts, m_replay->errorString()));
        else if (m_replay->wasStopped())
            Q_EMIT status(tr("Replay stopped: %1.").arg(counts));
        else
            Q_EMIT status(tr("Replay finished: %1.").arg(counts));
        Q_EMIT replayChanged();
    });
}

bool CaptureFiles::isExporting() const
{
    return m_export->isRunning();
}

void CaptureFiles::exportTo(const MessageRingBuffer &buffer, const QString &pathOrUrl, const QString &format)
{
    m_exportPercent = 0;
    if (!m_export->start(buffer, localPath(pathOrUrl), formatNamed(format)))
        Q_EMIT status(m_export->errorString()); // a whole sentence: "Cannot export to <file>: <why>"
    else
        Q_EMIT status(tr("Exporting to %1…").arg(localPath(pathOrUrl)));
    Q_EMIT exportChanged();
}

void CaptureFiles::cancelExport()
{
    m_export->cancel();
}

bool CaptureFiles::isRecording() const
{
    return m_recorder->isRecording();
}

void CaptureFiles::startRecording(const QString &pathOrUrl, const QString &format)
{
    if (!m_recorder->start(localPath(pathOrUrl), formatNamed(format)))
        Q_EMIT status(m_recorder->errorString()); // "Cannot record to <file>: <why>"
    else
        Q_EMIT status(tr("Recording to %1").arg(localPath(pathOrUrl)));
}

void CaptureFiles::stopRecording()
{
    m_recorder->stop();
    Q_EMIT status(tr("Recording stopped."));
}

bool CaptureFiles::isReplaying() const
{
    return m_replay->isRunning();
}

int CaptureFiles::replayPercent() const
{
    return m_replay->percent();
}

qint64 CaptureFiles::replayPublished() const
{
    return m_replay->published();
}

void CaptureFiles::startReplay(CommandConnection *connection, const QString &pathOrUrl, double speed)
{
    if (!connection || !connection->isConnected()) {
        Q_EMIT status(tr("Cannot replay: not connected."));
        return;
    }
    m_replay->setConnection(connection);
    m_replay->setSpeed(speed);
    if (!m_replay->start(localPath(pathOrUrl))) {
        Q_EMIT status(m_replay->errorString()); // "Cannot read <file>: <why>"
        return;
    }
    Q_EMIT status(tr("Replaying %1…").arg(localPath(pathOrUrl)));
    Q_EMIT replayChanged();
}

void CaptureFiles::stopReplay()
{
    m_replay->stop();
}

void CaptureFiles::connectionGone()
{
    m_replay->stop();
    m_replay->setConnection(nullptr);
}

} // namespace Redwire
