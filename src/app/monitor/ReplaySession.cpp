#include "ReplaySession.h"

#include "OutputWriter.h"

#include "monitor/RecordingReplay.h"
#include "monitor/TextMessageFormatter.h"

#include "redis/CommandConnection.h"
#include "redis/RedisClient.h"

#include <cstdio>

using namespace Redwire;

namespace {
void writeStderr(const QString &text)
{
    const QByteArray bytes = "redwire-monitor: " + text.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}
} // namespace

ReplaySession::ReplaySession(const MonitorOptions &options, OutputWriter *output, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_output(output)
    , m_replay(new RecordingReplay(this))
{
    m_replay->setSpeed(options.replaySpeed);
    m_replay->setDryRun(options.dryRun);
    connect(
        m_replay, &RecordingReplay::malformedLine, this, [this](qint64 lineNumber, const QString &problem) {
            writeStderr(tr("%1:%2: malformed line skipped: %3")
                            .arg(m_options.replayFile)
                            .arg(lineNumber)
                            .arg(problem));
        });
    connect(m_replay, &RecordingReplay::messageDue, this, &ReplaySession::printDue);
    connect(m_replay, &RecordingReplay::finished, this, &ReplaySession::replayFinished);
    m_progressTimer.setInterval(ProgressIntervalMs);
    connect(&m_progressTimer, &QTimer::timeout, this, &ReplaySession::printProgress);
    connect(output, &OutputWriter::failed, this, [this] {
        if (!m_output->readerGone())
            writeStderr(tr("cannot write the output: %1").arg(m_output->errorString()));
        m_replay->stop();
    });
}

ReplaySession::~ReplaySession() = default;

void ReplaySession::start()
{
    if (m_options.dryRun) {
        startReplay();
        return;
    }
    ConnectionOptions connection = m_options.connection;
    connection.reconnect.enabled = false; // a replay that lost its connection stops, it does not resend
    if (connection.topology == Topology::Cluster) {
        // A PUBLISH reaches the whole cluster from any node; an SPUBLISH goes to the primary
        // serving its channel's slot: the cluster client's commands do both.
        m_cluster = new RedisClient(connection, this);
        m_connection = m_cluster->commands();
        connect(m_cluster, &RedisClient::clusterUnavailable, this, [this](const RedisError &error) {
            if (m_started)
                return;
            writeStderr(tr("cannot reach the cluster: %1").arg(error.message()));
            finish(CannotConnect);
        });
    } else {
        m_connection = new CommandConnection(connection, this);
    }
    connect(m_connection, &RedisConnection::connected, this, [this] {
        if (!m_started)
            startReplay();
    });
    connect(m_connection, &RedisConnection::errorOccurred, this, [this](const RedisError &error) {
        if (m_started)
            return; // the PUBLISHes in flight fail, and the replay says so
        writeStderr(
            tr("cannot connect to %1: %2").arg(m_options.connection.endpointDisplayName(), error.message()));
        finish(CannotConnect);
    });
    if (m_cluster)
        m_cluster->connectToServer();
    else
        m_connection->connectToServer();
}

void ReplaySession::startReplay()
{
    m_started = true;
    m_replay->setConnection(m_connection);
    if (!m_replay->start(m_options.replayFile)) {
        writeStderr(m_replay->errorString());
        finish(UsageError);
        return;
    }
    if (!m_options.quiet && !m_options.dryRun)
        m_progressTimer.start();
}

void ReplaySession::terminate()
{
    if (m_replay->isRunning())
        m_replay->stop();
    else
        finish(Done);
}

void ReplaySession::printDue(
    qint64 offsetMs, const QByteArray &channel, const QByteArray &payload, bool sharded)
{
    QByteArray &out = m_output->buffer();
    out += '+' + QByteArray::number(double(offsetMs) / 1000.0, 'f', 3)
        + (sharded ? " s SPUBLISH " : " s PUBLISH ");
    out += TextMessageFormatter::terminalSafe(channel);
    out += ' ';
    out += TextMessageFormatter::terminalSafe(payload);
    out += '\n';
    m_output->appended();
}

void ReplaySession::printProgress()
{
    writeStderr(tr("replaying %1: %2 published, %3% of the file read")
                    .arg(m_options.replayFile)
                    .arg(m_replay->published())
                    .arg(m_replay->percent()));
}

void ReplaySession::replayFinished(bool ok)
{
    m_progressTimer.stop();
    if (!ok)
        writeStderr(m_replay->errorString());
    QString summary;
    if (m_options.dryRun)
        summary = tr("dry run finished: would publish %1, skipped %2, malformed %3");
    else if (!ok)
        summary = tr("replay failed: published %1, skipped %2, malformed %3");
    else if (m_replay->wasStopped())
        summary = tr("replay stopped: published %1, skipped %2, malformed %3");
    else
        summary = tr("replay finished: published %1, skipped %2, malformed %3");
    writeStderr(summary.arg(m_replay->published()).arg(m_replay->skipped()).arg(m_replay->malformed()));
    if (!ok)
        finish(ConnectionLost);
    else if (m_replay->malformed() > 0)
        finish(MalformedInput);
    else
        finish(Done);
}

void ReplaySession::finish(int exitCode)
{
    if (m_finishing)
        return;
    m_finishing = true;
    m_progressTimer.stop();
    m_output->flush();
    if (m_cluster)
        m_cluster->disconnectFromServer();
    else if (m_connection)
        m_connection->disconnectFromServer();
    Q_EMIT finished(exitCode);
}
