#include "MonitorController.h"

#include "CaptureFiles.h"
#include "ChannelRateChart.h"
#include "MonitorSelection.h"
#include "ServerNotices.h"

#include "redis/RedisClient.h"

#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelPalette.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/KeyspaceNotificationConfig.h"
#include "monitor/MessageRecorder.h"
#include "monitor/SlowSubscriberWatch.h"

#include <QDateTime>

#include <algorithm>

namespace Redwire {

MonitorController::MonitorController(QObject *parent)
    : QObject(parent)
    , m_palette(new ChannelPalette(this))
    , m_messages(new MonitorMessageModel(this))
    , m_statistics(new ChannelStatisticsModel(this))
    , m_topics(new MonitorTopicModel(this))
    , m_files(new CaptureFiles(this))
    , m_selection(new MonitorSelection(this))
    , m_chart(new ChannelRateChart(m_palette, this))
    , m_serverNotices(new ServerNotices(this))
{
    m_messages->setPalette(m_palette);
    m_statistics->setPalette(m_palette);
    connect(m_files, &CaptureFiles::exportChanged, this, &MonitorController::exportChanged);
    connect(m_files, &CaptureFiles::recordingChanged, this, &MonitorController::recordingChanged);
    connect(m_files, &CaptureFiles::replayChanged, this, &MonitorController::replayChanged);
    connect(m_files, &CaptureFiles::status, this, &MonitorController::setStatus);
    connect(m_selection, &MonitorSelection::changed, this, &MonitorController::selectionChanged);
    connect(m_chart, &ChannelRateChart::sampled, this, &MonitorController::countersChanged);
    connect(m_chart, &ChannelRateChart::changed, this, &MonitorController::rateHistoryChanged);
    connect(m_serverNotices, &ServerNotices::notice, this, &MonitorController::setStatus);
    connect(m_serverNotices, &ServerNotices::sentinelEventsChanged, this,
        &MonitorController::sentinelEventsChanged);
}

MonitorController::~MonitorController()
{
    stop();
}

void MonitorController::start(const ConnectionOptions &options)
{
    stop();
    ConnectionOptions monitorOptions = options;
    monitorOptions.clientName = QStringLiteral("redwire-monitor");
    m_monitor = new ChannelMonitor(monitorOptions, this);
    m_database = monitorOptions.database;
    m_keyspaceConfig = new KeyspaceNotificationConfig(m_monitor->client()->commands(), m_monitor);
    connect(m_keyspaceConfig, &KeyspaceNotificationConfig::changed, this,
        &MonitorController::keyspaceNotificationsChanged);
    connect(m_keyspaceConfig, &KeyspaceNotificationConfig::enableFailed, this, &MonitorController::setStatus);
    m_monitor->setBufferCapacity(m_bufferCapacity);
    m_monitor->setInternalChannelsShown(m_internalShown);
    m_monitor->addSink(m_files->recorder());
    m_messages->setMonitor(m_monitor);
    m_statistics->setMonitor(m_monitor);
    connect(m_monitor, &ChannelMonitor::connectedChanged, this, &MonitorController::connectedChanged);
    connect(m_monitor, &ChannelMonitor::pausedChanged, this, &MonitorController::pausedChanged);
    connect(m_monitor, &ChannelMonitor::bufferChanged, this, &MonitorController::countersChanged);
    connect(m_monitor, &ChannelMonitor::subscriptionFailed, this,
        [this](SubscriberConnection::TopicKind, const QByteArray &name, const RedisError &error) {
            setStatus(tr("%1: %2").arg(QString::fromUtf8(name), error.message()));
            updateTopics();
        });
    connect(m_monitor, &ChannelMonitor::published, this,
        [this](const QByteArray &channel, qint64 receivers, const RedisError &error) {
            setStatus(!error
                    ? tr("Published to %1: %n receiver(s).", "", int(receivers))
                          .arg(QString::fromUtf8(channel))
                    : tr("Publishing to %1 failed: %2").arg(QString::fromUtf8(channel), error.message()));
        });
    connect(m_monitor, &ChannelMonitor::gapOpened, this, [this](qint64 sinceMs) {
        setStatus(tr("Subscription interrupted since %1: messages published now may be missed.")
                      .arg(QDateTime::fromMSecsSinceEpoch(sinceMs).toString(QStringLiteral("HH:mm:ss.zzz"))));
        Q_EMIT gapsChanged();
    });
    connect(m_monitor, &ChannelMonitor::gapRecorded, this, [this](const SubscriptionGap &gap) {
        auto time = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz"));
        };
        setStatus(tr("Messages published from %1 to %2 may be missing: %3")
                      .arg(time(gap.sinceMs), time(gap.timeMs), gap.reason));
        Q_EMIT gapsChanged();
    });
    if (SlowSubscriberWatch *watch = m_monitor->slowSubscriberWatch())
        connect(watch, &SlowSubscriberWatch::changed, this, &MonitorController::slowSubscriberChanged);
    m_serverNotices->follow(m_monitor->client(), monitorOptions.serverDisplayName());
    m_monitor->start();
    m_chart->setStatistics(&m_monitor->statistics());
    Q_EMIT startedChanged();
    updateTopics();
    Q_EMIT gapsChanged();
}

QStringList MonitorController::sentinelEvents() const
{
    return m_serverNotices->sentinelEvents();
}

void MonitorController::stop()
{
    if (!m_monitor)
        return;
    m_chart->setStatistics(nullptr);
    m_files->connectionGone();
    m_monitor->finishOpenGap(); // into the recording too
    m_files->recorder()->stop();
    m_files->cancelExport();
    m_monitor->removeSink(m_files->recorder());
    m_messages->setMonitor(nullptr);
    m_statistics->setMonitor(nullptr);
    m_monitor->stop();
    delete m_monitor; // and the keyspace config it owns
    m_monitor = nullptr;
    m_keyspaceConfig = nullptr;
    Q_EMIT startedChanged();
    Q_EMIT connectedChanged();
    updateTopics();
    Q_EMIT gapsChanged();
    Q_EMIT keyspaceNotificationsChanged();
}

bool MonitorController::isConnected() const
{
    return m_monitor && m_monitor->isConnected();
}

bool MonitorController::hasDarkBackground() const
{
    return m_palette->background() == NamePalette::Background::Dark;
}

void MonitorController::setDarkBackground(bool dark)
{
    if (dark == hasDarkBackground())
        return;
    m_palette->setBackground(dark ? NamePalette::Background::Dark : NamePalette::Background::Light);
    Q_EMIT darkBackgroundChanged();
}

bool MonitorController::isPaused() const
{
    return m_monitor && m_monitor->isPaused();
}

void MonitorController::setPaused(bool paused)
{
    if (m_monitor)
        m_monitor->setPaused(paused);
}

KeyspaceNotificationConfig::State MonitorController::keyspaceNotifications() const
{
    return m_keyspaceConfig ? m_keyspaceConfig->state() : KeyspaceNotificationConfig::State::Unknown;
}

QString MonitorController::keyspaceMessage() const
{
    return m_keyspaceConfig ? m_keyspaceConfig->message() : QString();
}

bool MonitorController::isKeyspaceEnabling() const
{
    return m_keyspaceConfig && m_keyspaceConfig->isEnabling();
}

void MonitorController::enableKeyspaceNotifications()
{
    if (m_keyspaceConfig)
        m_keyspaceConfig->enable();
}

QString MonitorController::setFilter(
    const QString &channel, bool channelIsRegex, const QString &payload, bool payloadIsRegex)
{
    MessageFilter filter;
    QString error;
    if (!filter.setChannelFilter(channel,
            channelIsRegex ? MessageFilter::ChannelSyntax::RegularExpression
                           : MessageFilter::ChannelSyntax::Glob,
            &error))
        return error;
    if (!filter.setPayloadFilter(payload,
            payloadIsRegex ? MessageFilter::PayloadSyntax::RegularExpression
                           : MessageFilter::PayloadSyntax::Substring,
            Qt::CaseInsensitive, &error))
        return error;
    // A view over what was captured: the buffer keeps everything subscribed.
    m_messages->setFilter(filter);
    return {};
}

int MonitorController::heldCount() const
{
    return m_monitor ? int(m_monitor->heldCount()) : 0;
}

qulonglong MonitorController::droppedCount() const
{
    return m_monitor ? m_monitor->bufferDroppedCount() + m_monitor->pauseDroppedCount() : 0;
}

int MonitorController::gapCount() const
{
    return m_monitor ? int(m_monitor->gapCount()) : 0;
}

bool MonitorController::isSubscriptionInterrupted() const
{
    return m_monitor && m_monitor->isGapOpen();
}

void MonitorController::setBufferCapacity(int capacity)
{
    capacity = std::clamp(capacity, 100, 10'000'000);
    if (capacity == m_bufferCapacity)
        return;
    m_bufferCapacity = capacity;
    if (m_monitor)
        m_monitor->setBufferCapacity(capacity);
    Q_EMIT countersChanged();
}

SlowSubscriberWatch::Level MonitorController::slowSubscriberLevel() const
{
    const SlowSubscriberWatch *watch = m_monitor ? m_monitor->slowSubscriberWatch() : nullptr;
    return watch ? watch->level() : SlowSubscriberWatch::Level::Unknown;
}

QString MonitorController::slowSubscriberMessage() const
{
    const SlowSubscriberWatch *watch = m_monitor ? m_monitor->slowSubscriberWatch() : nullptr;
    return watch ? watch->message() : QString();
}

void MonitorController::clear()
{
    clearSelection();
    if (m_monitor)
        m_monitor->clear();
    m_chart->reset();
    Q_EMIT countersChanged();
}

bool MonitorController::isRecording() const
{
    return m_files->isRecording();
}

bool MonitorController::isExporting() const
{
    return m_files->isExporting();
}

int MonitorController::exportPercent() const
{
    return m_files->exportPercent();
}

void MonitorController::exportTo(const QString &pathOrUrl, const QString &format)
{
    if (m_monitor)
        m_files->exportTo(m_monitor->buffer(), pathOrUrl, format);
}

void MonitorController::startRecording(const QString &pathOrUrl, const QString &format)
{
    m_files->startRecording(pathOrUrl, format);
}

void MonitorController::stopRecording()
{
    m_files->stopRecording();
}

void MonitorController::publish(const QString &channel, const QString &payload)
{
    if (m_monitor && !channel.trimmed().isEmpty())
        m_monitor->publish(channel.trimmed().toUtf8(), payload.toUtf8());
}

QString MonitorController::payloadDetail(int row) const
{
    return m_messages->payloadDetail(row);
}

QString MonitorController::payloadKind(int row) const
{
    return m_messages->payloadKind(row);
}

void MonitorController::selectRow(int row)
{
    m_selection->select(m_messages, row);
}

void MonitorController::clearSelection()
{
    m_selection->clear();
}

void MonitorController::copySelectedPayload()
{
    const QString done = m_selection->copyPayload();
    if (!done.isEmpty())
        setStatus(done);
}

void MonitorController::copySelectedAsJson()
{
    const QString done = m_selection->copyAsJson();
    if (!done.isEmpty())
        setStatus(done);
}

bool MonitorController::isReplaying() const
{
    return m_files->isReplaying();
}

int MonitorController::replayPercent() const
{
    return m_files->replayPercent();
}

double MonitorController::replayPublished() const
{
    return double(m_files->replayPublished());
}

void MonitorController::startReplay(const QString &pathOrUrl, double speed)
{
    m_files->startReplay(m_monitor ? m_monitor->client()->commands() : nullptr, pathOrUrl, speed);
}

void MonitorController::stopReplay()
{
    m_files->stopReplay();
}

void MonitorController::setInternalChannelsShown(bool shown)
{
    if (shown == m_internalShown)
        return;
    m_internalShown = shown;
    if (m_monitor)
        m_monitor->setInternalChannelsShown(shown);
    Q_EMIT internalChannelsShownChanged();
}

void MonitorController::setRateSampleIntervalMs(int intervalMs)
{
    m_chart->setIntervalMs(intervalMs);
}

void MonitorController::setStatus(const QString &message)
{
    m_statusMessage = message;
    Q_EMIT statusMessageChanged();
}

QVariantList MonitorController::rateHistory() const
{
    return m_chart->series();
}

double MonitorController::rateCeiling() const
{
    return m_chart->ceiling();
}

} // namespace Redwire
