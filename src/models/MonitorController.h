#pragma once

#include "MonitorSelection.h"
#include "MonitorTopicModel.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/ChannelPalette.h"
#include "monitor/ChannelRateHistory.h"
#include "monitor/ChannelStatisticsModel.h"
#include "monitor/KeyspaceNotificationConfig.h"
#include "monitor/MonitorMessageModel.h"
#include "monitor/SlowSubscriberWatch.h"
#include "redis/ConnectionOptions.h"

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

class ChannelMonitor;
class ChannelPalette;
class CaptureFiles;
class ChannelRateChart;
class ServerNotices;

// What the Monitor page talks to: the ChannelMonitor engine (src/monitor) and its two models,
// the filters, pause, export and recording, publishing a test message, the slow-subscriber
// warning, breaks in the subscription (gaps), and the rate history of the busiest channels for the
// chart.
class MonitorController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the application")
    Q_PROPERTY(bool started READ isStarted NOTIFY startedChanged)
    Q_PROPERTY(bool connected READ isConnected NOTIFY connectedChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(Redwire::MonitorMessageModel *messages READ messages CONSTANT)
    Q_PROPERTY(Redwire::ChannelStatisticsModel *statistics READ statistics CONSTANT)
    // The subscriptions, one row each (channel, pattern or key watch).
    Q_PROPERTY(Redwire::MonitorTopicModel *topics READ topics CONSTANT)
    Q_PROPERTY(int heldCount READ heldCount NOTIFY countersChanged)
    Q_PROPERTY(qulonglong droppedCount READ droppedCount NOTIFY countersChanged)
    // Breaks in the subscription so far: messages may have been missed in each (not counted).
    Q_PROPERTY(int gapCount READ gapCount NOTIFY gapsChanged)
    Q_PROPERTY(bool subscriptionInterrupted READ isSubscriptionInterrupted NOTIFY gapsChanged)
    Q_PROPERTY(int bufferCapacity READ bufferCapacity WRITE setBufferCapacity NOTIFY countersChanged)
    // Unknown while not started.
    Q_PROPERTY(Redwire::SlowSubscriberWatch::Level slowSubscriberLevel READ slowSubscriberLevel NOTIFY
            slowSubscriberChanged)
    Q_PROPERTY(QString slowSubscriberMessage READ slowSubscriberMessage NOTIFY slowSubscriberChanged)
    Q_PROPERTY(bool recording READ isRecording NOTIFY recordingChanged)
    Q_PROPERTY(bool exporting READ isExporting NOTIFY exportChanged)
    Q_PROPERTY(int exportPercent READ exportPercent NOTIFY exportChanged)
    Q_PROPERTY(QString statusMessage READ statusMessage NOTIFY statusMessageChanged)
    // Through Sentinel: the newest events the sentinels published about the master, oldest first
    // ("13:10:37  +switch-master mymaster 127.0.0.1 6379 127.0.0.1 6380"), at most 50.
    Q_PROPERTY(QStringList sentinelEvents READ sentinelEvents NOTIFY sentinelEventsChanged)
    Q_PROPERTY(QVariantList rateHistory READ rateHistory NOTIFY rateHistoryChanged)
    // The top of the chart's scale: 1, 2 or 5 times a power of ten, at least the highest rate charted.
    Q_PROPERTY(double rateCeiling READ rateCeiling NOTIFY rateHistoryChanged)
    Q_PROPERTY(int rateHistorySamples READ rateHistorySamples CONSTANT)
    // Redwire's own `__redwire:…` channels (other clients' heartbeats): hidden unless shown.
    Q_PROPERTY(bool internalChannelsShown READ internalChannelsShown WRITE setInternalChannelsShown NOTIFY
            internalChannelsShownChanged)
    // The entry the user clicked, kept (a copy) until another is clicked, even after the buffer
    // drops it: its buffer position (-1: none), a header line, its full text and its kind.
    Q_PROPERTY(double selectedPosition READ selectedPosition NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedTitle READ selectedTitle NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedDetail READ selectedDetail NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedKind READ selectedKind NOTIFY selectionChanged)
    // Keyspace watches (addKeyWatch): whether there is one, and whether the server publishes what
    // they listen to (notify-keyspace-events; Unknown while not started), with a sentence when
    // not on or when turning them on was refused.
    Q_PROPERTY(bool keyspaceWatched READ isKeyspaceWatched NOTIFY topicsChanged)
    Q_PROPERTY(Redwire::KeyspaceNotificationConfig::State keyspaceNotifications READ keyspaceNotifications
            NOTIFY keyspaceNotificationsChanged)
    Q_PROPERTY(QString keyspaceMessage READ keyspaceMessage NOTIFY keyspaceNotificationsChanged)
    Q_PROPERTY(bool keyspaceEnabling READ isKeyspaceEnabling NOTIFY keyspaceNotificationsChanged)
    // The selected message's header fields, and its payload as it came (text as is, binary as a
    // hex dump) where selectedDetail is the pretty form (JSON indented, MessagePack decoded).
    Q_PROPERTY(QString selectedChannel READ selectedChannel NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedVia READ selectedVia NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedTime READ selectedTime NOTIFY selectionChanged)
    Q_PROPERTY(QString selectedRaw READ selectedRaw NOTIFY selectionChanged)
    // A recording being published again (Replay…): its progress, 0 to 100, and what is sent so far.
    Q_PROPERTY(bool replaying READ isReplaying NOTIFY replayChanged)
    Q_PROPERTY(int replayPercent READ replayPercent NOTIFY replayChanged)
    Q_PROPERTY(double replayPublished READ replayPublished NOTIFY replayChanged)
    // The view's theme: channel colours take the shade readable on its background.
    Q_PROPERTY(
        bool darkBackground READ hasDarkBackground WRITE setDarkBackground NOTIFY darkBackgroundChanged)
public:
    static constexpr int HistorySeconds = ChannelRateHistory::DefaultSamples;

    explicit MonitorController(QObject *parent = nullptr);
    ~MonitorController() override;

    bool isStarted() const { return m_monitor != nullptr; }
    bool isConnected() const;
    bool isPaused() const;
    void setPaused(bool paused);
    bool hasDarkBackground() const;
    void setDarkBackground(bool dark);
    MonitorMessageModel *messages() const { return m_messages; }
    ChannelStatisticsModel *statistics() const { return m_statistics; }
    MonitorTopicModel *topics() const { return m_topics; }
    int heldCount() const;
    qulonglong droppedCount() const;
    int gapCount() const;
    bool isSubscriptionInterrupted() const;
    int bufferCapacity() const { return m_bufferCapacity; }
    void setBufferCapacity(int capacity);
    SlowSubscriberWatch::Level slowSubscriberLevel() const;
    QString slowSubscriberMessage() const;
    bool isRecording() const;
    bool isExporting() const;
    int exportPercent() const;
    QString statusMessage() const { return m_statusMessage; }
    QStringList sentinelEvents() const;
    // [{channel, color, peak, points: [msgs/s, ...oldest first]}]: the channels with the most
    // messages in the last minute, the busiest first; one point per second, up to a minute of them.
    QVariantList rateHistory() const;
    double rateCeiling() const;
    int rateHistorySamples() const { return HistorySeconds; }
    ChannelMonitor *monitor() const { return m_monitor; }
    // How often the chart's rates are sampled (default once a second); for tests.
    void setRateSampleIntervalMs(int intervalMs);
    bool internalChannelsShown() const { return m_internalShown; }
    void setInternalChannelsShown(bool shown);
    double selectedPosition() const { return double(m_selection->position()); }
    QString selectedTitle() const { return m_selection->title(); }
    QString selectedDetail() const { return m_selection->detail(); }
    QString selectedKind() const { return m_selection->kind(); }
    bool isKeyspaceWatched() const;
    KeyspaceNotificationConfig::State keyspaceNotifications() const;
    QString keyspaceMessage() const;
    bool isKeyspaceEnabling() const;
    QString selectedChannel() const { return m_selection->channel(); }
    QString selectedVia() const { return m_selection->via(); }
    QString selectedTime() const { return m_selection->time(); }
    QString selectedRaw() const { return m_selection->raw(); }
    bool isReplaying() const;
    int replayPercent() const;
    double replayPublished() const;

    Q_INVOKABLE void start(const Redwire::ConnectionOptions &options);
    Q_INVOKABLE void stop();
    // A topic with glob characters (* ? [) is a pattern unless asked otherwise.
    Q_INVOKABLE bool addTopic(const QString &topic, bool forceChannel = false);
    // Sharded Pub/Sub (SSUBSCRIBE, Redis 7): the messages SPUBLISHed to this channel.
    Q_INVOKABLE bool addShardChannel(const QString &channel);
    // Unsubscribes the topic in that row of `topics`.
    Q_INVOKABLE void removeTopic(int row);
    // Watches changes to keys matching `keyPattern` (empty: every key) in the connection's
    // database: a pattern subscription to its keyspace channels.
    Q_INVOKABLE bool addKeyWatch(const QString &keyPattern);
    // CONFIG SET notify-keyspace-events, for a user allowed to; a refusal is keyspaceMessage.
    Q_INVOKABLE void enableKeyspaceNotifications();
    // Returns an error message for a bad regular expression, or an empty string.
    Q_INVOKABLE QString setFilter(
        const QString &channel, bool channelIsRegex, const QString &payload, bool payloadIsRegex);
    Q_INVOKABLE void clear();
    Q_INVOKABLE void exportTo(const QString &pathOrUrl, const QString &format);
    Q_INVOKABLE void startRecording(const QString &pathOrUrl, const QString &format);
    Q_INVOKABLE void stopRecording();
    Q_INVOKABLE void publish(const QString &channel, const QString &payload);
    Q_INVOKABLE QString payloadDetail(int row) const;
    Q_INVOKABLE QString payloadKind(int row) const;
    Q_INVOKABLE void selectRow(int row);
    Q_INVOKABLE void clearSelection();
    // The clipboard gets the selected payload (text as is, binary as hex digits), or the selected
    // entry as a JSON Lines record (the format Record writes).
    Q_INVOKABLE void copySelectedPayload();
    Q_INVOKABLE void copySelectedAsJson();
    // Publishes a JSON Lines recording again over the monitor's connection, paced as recorded
    // (speed 2: twice as fast; 0: as fast as possible).
    Q_INVOKABLE void startReplay(const QString &pathOrUrl, double speed = 1);
    Q_INVOKABLE void stopReplay();

Q_SIGNALS:
    void startedChanged();
    void connectedChanged();
    void pausedChanged();
    void darkBackgroundChanged();
    void topicsChanged();
    void countersChanged();
    void gapsChanged();
    void slowSubscriberChanged();
    void recordingChanged();
    void exportChanged();
    void statusMessageChanged();
    void sentinelEventsChanged();
    void rateHistoryChanged();
    void internalChannelsShownChanged();
    void selectionChanged();
    void keyspaceNotificationsChanged();
    void replayChanged();

private:
    void setStatus(const QString &message);
    // The topics model made to match the monitor's subscriptions, then topicsChanged.
    void updateTopics();

    ChannelMonitor *m_monitor = nullptr;
    KeyspaceNotificationConfig *m_keyspaceConfig = nullptr; // with the monitor
    int m_database = 0;
    ChannelPalette *m_palette;
    MonitorMessageModel *m_messages;
    ChannelStatisticsModel *m_statistics;
    MonitorTopicModel *m_topics;
    CaptureFiles *m_files;
    MonitorSelection *m_selection;
    ChannelRateChart *m_chart;
    int m_bufferCapacity = 100000;
    QString m_statusMessage;
    ServerNotices *m_serverNotices;
    bool m_internalShown = false;
};

} // namespace Redwire
