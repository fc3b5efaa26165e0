#include "MonitorController.h"

#include "redis/RedisClient.h"

#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelPalette.h"
#include "monitor/JsonLinesMessageFormatter.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/KeyspaceNotificationConfig.h"
#include "monitor/MessageExport.h"
#include "monitor/MessageRecorder.h"
#include "monitor/PayloadPresentation.h"
#include "monitor/RecordingReplay.h"
#include "monitor/SlowSubscriberWatch.h"
#include "monitor/Utf8Validator.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>
#include <QUrl>

#include <algorithm>

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

bool looksLikePattern(const QString &topic)
{
    return topic.contains(QLatin1Char('*')) || topic.contains(QLatin1Char('?'))
        || topic.contains(QLatin1Char('['));
}
} // namespace

MonitorController::MonitorController(QObject *parent)
    : QObject(parent)
    , m_palette(new ChannelPalette(this))
    , m_messages(new MonitorMessageModel(this))
    , m_statistics(new ChannelStatisticsModel(this))
    , m_topics(new MonitorTopicModel(this))
    , m_export(new MessageExport(this))
    , m_recorder(new MessageRecorder(this))
    , m_replay(new RecordingReplay(this))
{
    m_messages->setPalette(m_palette);
    m_statistics->setPalette(m_palette);
    connect(m_export, &MessageExport::progress, this, [this](qsizetype written, qsizetype total) {
        m_exportPercent = total > 0 ? int(written * 100 / total) : 100;
        Q_EMIT exportChanged();
    });
    connect(m_export, &MessageExport::finished, this, [this](bool ok, const QString &error) {
        m_exportPercent = 100;
        setStatus(ok ? tr("Export finished.") : error); // the error names the file and the reason
        Q_EMIT exportChanged();
    });
    connect(m_recorder, &MessageRecorder::recordingChanged, this, &MonitorController::recordingChanged);
    connect(m_recorder, &MessageRecorder::failed, this,
        [this](const QString &message) { setStatus(tr("Recording stopped: %1").arg(message)); });
    connect(m_replay, &RecordingReplay::progressed, this, &MonitorController::replayChanged);
    connect(m_replay, &RecordingReplay::malformedLine, this, [this](qint64 line, const QString &problem) {
        setStatus(tr("Replay: line %1 of %2 skipped: %3").arg(line).arg(m_replay->fileName(), problem));
    });
    connect(m_replay, &RecordingReplay::finished, this, [this](bool ok) {
        const QString counts = tr("%1 published, %2 skipped, %3 malformed")
                                   .arg(m_replay->published())
                                   .arg(m_replay->skipped())
                                   .arg(m_replay->malformed());
        if (!ok)
            setStatus(tr("Replay failed (%1): %2").arg(counts, m_replay->errorString()));
        else if (m_replay->wasStopped())
            setStatus(tr("Replay stopped: %1.").arg(counts));
        else
            setStatus(tr("Replay finished: %1.").arg(counts));
        Q_EMIT replayChanged();
    });
    m_sampler.setInterval(1000);
    connect(&m_sampler, &QTimer::timeout, this, &MonitorController::sampleRates);
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
    m_monitor->addSink(m_recorder);
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
        [this](const QByteArray &channel, qint64 receivers, const QString &error) {
            setStatus(error.isEmpty()
                    ? tr("Published to %1: %n receiver(s).", "", int(receivers))
                          .arg(QString::fromUtf8(channel))
                    : tr("Publishing to %1 failed: %2").arg(QString::fromUtf8(channel), error));
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
    const QString endpoint = monitorOptions.serverDisplayName();
    connect(
        m_monitor->client(), &RedisClient::serverRespondingChanged, this, [this, endpoint](bool responding) {
            setStatus(responding ? tr("%1 is responding again.").arg(endpoint)
                                 : tr("%1 is not responding. Waiting with the connection open, so "
                                      "nothing it holds for us is lost.")
                                       .arg(endpoint));
        });
    connect(m_monitor->client(), &RedisClient::sentinelEvent, this,
        [this](const QString &, const QByteArray &event, const QByteArray &detail) {
            constexpr qsizetype MaxSentinelEvents = 50;
            m_sentinelEvents.append(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))
                + QStringLiteral("  ") + QString::fromUtf8(event) + QLatin1Char(' ')
                + QString::fromUtf8(detail));
            if (m_sentinelEvents.size() > MaxSentinelEvents)
                m_sentinelEvents.removeFirst();
            Q_EMIT sentinelEventsChanged();
        });
    connect(m_monitor->client(), &RedisClient::masterChanged, this,
        [this](const QString &endpoint, const QString &reason) {
            setStatus(tr("Following the master to %1: %2.").arg(endpoint, reason));
        });
    connect(m_monitor->client(), &RedisClient::sentinelsUnavailable, this,
        [this](const RedisError &error, int nextRetryMs) {
            setStatus(tr("%1 Asking again in %2 s.").arg(error.message()).arg(qMax(1, nextRetryMs / 1000)));
        });
    connect(m_monitor->client(), &RedisClient::livenessUsesPing, this, [this] {
        setStatus(tr("This user may not subscribe to Redwire's heartbeat channel; connection checks "
                     "use PING instead."));
    });
    m_monitor->start();
    resetRateHistory();
    m_sampler.start();
    Q_EMIT startedChanged();
    updateTopics();
    Q_EMIT gapsChanged();
}

void MonitorController::stop()
{
    if (!m_monitor)
        return;
    m_sampler.stop();
    m_replay->stop();
    m_replay->setConnection(nullptr);
    m_monitor->finishOpenGap(); // into the recording too
    m_recorder->stop();
    m_export->cancel();
    m_monitor->removeSink(m_recorder);
    m_messages->setMonitor(nullptr);
    m_statistics->setMonitor(nullptr);
    m_monitor->stop();
    delete m_monitor; // and the keyspace config it owns
    m_monitor = nullptr;
    m_keyspaceConfig = nullptr;
    resetRateHistory();
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

void MonitorController::updateTopics()
{
    if (m_monitor)
        m_topics->setTopics(m_monitor->channels(), m_monitor->patterns());
    else
        m_topics->setTopics({}, {});
    Q_EMIT topicsChanged();
}

bool MonitorController::addTopic(const QString &topic, bool forceChannel)
{
    const QString trimmed = topic.trimmed();
    if (!m_monitor || trimmed.isEmpty())
        return false;
    const bool ok = !forceChannel && looksLikePattern(trimmed)
        ? m_monitor->subscribePattern(trimmed.toUtf8())
        : m_monitor->subscribeChannel(trimmed.toUtf8());
    updateTopics();
    return ok;
}

bool MonitorController::addKeyWatch(const QString &keyPattern)
{
    if (!m_monitor)
        return false;
    const bool ok = m_monitor->subscribePattern(
        KeyspaceNotification::keyspacePattern(m_database, keyPattern.trimmed().toUtf8()));
    if (ok)
        m_keyspaceConfig->check();
    updateTopics();
    return ok;
}

bool MonitorController::isKeyspaceWatched() const
{
    if (!m_monitor)
        return false;
    const QList<QByteArray> patterns = m_monitor->patterns();
    return std::any_of(patterns.cbegin(), patterns.cend(),
        [](const QByteArray &pattern) { return KeyspaceNotification::mayBe(pattern); });
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

void MonitorController::removeTopic(int row)
{
    const MonitorTopicModel::Topic *topic = m_topics->topicAt(row);
    if (!m_monitor || !topic)
        return;
    if (topic->kind == MonitorTopicModel::Channel)
        m_monitor->unsubscribeChannel(topic->name);
    else
        m_monitor->unsubscribePattern(topic->name);
    updateTopics();
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
    resetRateHistory();
    Q_EMIT countersChanged();
}

bool MonitorController::isRecording() const
{
    return m_recorder->isRecording();
}

bool MonitorController::isExporting() const
{
    return m_export->isRunning();
}

void MonitorController::exportTo(const QString &pathOrUrl, const QString &format)
{
    if (!m_monitor)
        return;
    m_exportPercent = 0;
    if (!m_export->start(m_monitor->buffer(), localPath(pathOrUrl), formatNamed(format)))
        setStatus(m_export->errorString()); // a whole sentence: "Cannot export to <file>: <why>"
    else
        setStatus(tr("Exporting to %1…").arg(localPath(pathOrUrl)));
    Q_EMIT exportChanged();
}

void MonitorController::startRecording(const QString &pathOrUrl, const QString &format)
{
    if (!m_recorder->start(localPath(pathOrUrl), formatNamed(format)))
        setStatus(m_recorder->errorString()); // "Cannot record to <file>: <why>"
    else
        setStatus(tr("Recording to %1").arg(localPath(pathOrUrl)));
}

void MonitorController::stopRecording()
{
    m_recorder->stop();
    setStatus(tr("Recording stopped."));
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
    const MonitoredMessage *entry = m_messages->messageAt(row);
    if (!entry) {
        clearSelection();
        return;
    }
    m_selectedPosition = m_messages->positionAt(row);
    m_selectedDetail = m_messages->payloadDetail(row);
    m_selectedKind = m_messages->payloadKind(row);
    m_selectedMessage = *entry;
    m_selectedChannel = m_messages->data(m_messages->index(row), MonitorMessageModel::ChannelRole).toString();
    m_selectedVia
        = m_messages->data(m_messages->index(row), MonitorMessageModel::SubscriptionsRole).toString();
    m_selectedTime = QDateTime::fromMSecsSinceEpoch(entry->timestampMs)
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    m_selectedRaw = entry->isGap() ? m_selectedDetail : PayloadPresentation::raw(entry->payload);
    const QString time
        = QDateTime::fromMSecsSinceEpoch(entry->timestampMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    if (entry->isGap()) {
        m_selectedTitle = tr("Gap in the subscription, back at %1").arg(time);
    } else if (const auto notification = KeyspaceNotification::mayBe(entry->channel)
            ? KeyspaceNotification::parse(entry->channel, entry->payload)
            : std::nullopt) {
        const QModelIndex index = m_messages->index(row);
        // One arg() call: a key that holds "%3" stays as it is.
        m_selectedTitle
            = tr("Key %1 in db %2: %3 at %4")
                  .arg(m_messages->data(index, MonitorMessageModel::KeyspaceKeyRole).toString(),
                      QString::number(notification->db),
                      m_messages->data(index, MonitorMessageModel::KeyspaceEventRole).toString(), time);
    } else {
        const QString subscriptions
            = m_messages->data(m_messages->index(row), MonitorMessageModel::SubscriptionsRole).toString();
        m_selectedTitle
            = tr("%1 at %2, %n byte(s), via %3", "", int(entry->payload.size()))
                  .arg(m_messages->data(m_messages->index(row), MonitorMessageModel::ChannelRole).toString(),
                      time, subscriptions.isEmpty() ? tr("a subscription since dropped") : subscriptions);
    }
    Q_EMIT selectionChanged();
}

void MonitorController::clearSelection()
{
    if (m_selectedPosition < 0 && m_selectedDetail.isEmpty())
        return;
    m_selectedPosition = -1;
    m_selectedTitle.clear();
    m_selectedDetail.clear();
    m_selectedKind.clear();
    m_selectedChannel.clear();
    m_selectedVia.clear();
    m_selectedTime.clear();
    m_selectedRaw.clear();
    m_selectedMessage = {};
    Q_EMIT selectionChanged();
}

void MonitorController::copySelectedPayload()
{
    if (m_selectedPosition < 0 || m_selectedMessage.isGap())
        return;
    const QByteArray &payload = m_selectedMessage.payload;
    const bool text = Utf8Validator::isValid(payload);
    QGuiApplication::clipboard()->setText(
        text ? QString::fromUtf8(payload) : QString::fromLatin1(payload.toHex()));
    setStatus(text ? tr("Payload copied.") : tr("Payload copied as hex digits (it is not text)."));
}

void MonitorController::copySelectedAsJson()
{
    if (m_selectedPosition < 0)
        return;
    JsonLinesMessageFormatter formatter;
    QByteArray line;
    if (m_selectedMessage.isGap())
        formatter.appendGap(*m_selectedMessage.gap, line);
    else
        formatter.append(m_selectedMessage, line);
    line.chop(1); // the newline
    QGuiApplication::clipboard()->setText(QString::fromUtf8(line));
    setStatus(tr("Message copied as JSON."));
}

bool MonitorController::isReplaying() const
{
    return m_replay->isRunning();
}

int MonitorController::replayPercent() const
{
    return m_replay->percent();
}

double MonitorController::replayPublished() const
{
    return double(m_replay->published());
}

void MonitorController::startReplay(const QString &pathOrUrl, double speed)
{
    if (!m_monitor || !m_monitor->client()->commands()->isConnected()) {
        setStatus(tr("Cannot replay: not connected."));
        return;
    }
    m_replay->setConnection(m_monitor->client()->commands());
    m_replay->setSpeed(speed);
    if (!m_replay->start(localPath(pathOrUrl))) {
        setStatus(m_replay->errorString()); // "Cannot read <file>: <why>"
        return;
    }
    setStatus(tr("Replaying %1…").arg(localPath(pathOrUrl)));
    Q_EMIT replayChanged();
}

void MonitorController::stopReplay()
{
    m_replay->stop();
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
    m_sampler.setInterval(qMax(10, intervalMs));
}

void MonitorController::setStatus(const QString &message)
{
    m_statusMessage = message;
    Q_EMIT statusMessageChanged();
}

// Once a second: a sample of every channel's rate; the chart shows the channels with the most
// messages in the last minute, on a scale that fits the highest rate among them.
void MonitorController::sampleRates()
{
    if (!m_monitor)
        return;
    const ChannelStatistics &stats = m_monitor->statistics();
    m_history.sample(stats, QDateTime::currentMSecsSinceEpoch());
    QVariantList series;
    double peak = 0;
    for (const ChannelRateHistory::Series &entry : m_history.busiest(ChartedChannels)) {
        const ChannelStatistics::Channel &channel = stats.channel(entry.channelIndex);
        QVariantList points;
        points.reserve(entry.rates.size());
        for (double rate : entry.rates)
            points.append(rate);
        peak = std::max(peak, entry.peak);
        series.append(QVariantMap {
            { QStringLiteral("channel"),
                channel.isOverflow ? tr("(other channels)") : QString::fromUtf8(channel.name) },
            { QStringLiteral("color"), m_palette->colorFor(channel.name) },
            { QStringLiteral("peak"), entry.peak },
            { QStringLiteral("points"), points },
        });
    }
    const double ceiling = ChannelRateHistory::niceCeiling(peak);
    Q_EMIT countersChanged();
    // An unchanged chart is not repainted: nothing is drawn while nothing arrives.
    if (series == m_rateHistory && ceiling == m_rateCeiling)
        return;
    m_rateHistory = series;
    m_rateCeiling = ceiling;
    Q_EMIT rateHistoryChanged();
}

void MonitorController::resetRateHistory()
{
    if (m_monitor)
        m_history.reset(m_monitor->statistics(), QDateTime::currentMSecsSinceEpoch());
    const bool changed = !m_rateHistory.isEmpty() || m_rateCeiling != 1;
    m_rateHistory.clear();
    m_rateCeiling = 1;
    if (changed)
        Q_EMIT rateHistoryChanged();
}

} // namespace Redwire
