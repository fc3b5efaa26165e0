#include "MonitorSession.h"

#include "OutputWriter.h"
#include "StatisticsReport.h"

#include "monitor/ChannelMonitor.h"
#include "monitor/CsvMessageFormatter.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/KeyspaceNotificationConfig.h"
#include "monitor/MessageFilter.h"
#include "monitor/MessageFormatter.h"
#include "monitor/SubscriptionGap.h"
#include "monitor/TextMessageFormatter.h"

#include "redis/ClusterShardSubscribers.h"
#include "redis/RedisClient.h"

#include <QCoreApplication>
#include <QDateTime>

#include <cstdio>

using namespace Redwire;

namespace {
void writeStderr(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}
} // namespace

MonitorSession::MonitorSession(const MonitorOptions &options, OutputWriter *output, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_endpoint(options.connection.serverDisplayName())
    , m_output(output)
    , m_monitor(new ChannelMonitor(options.connection, this))
{
    // No history, no server polling: the command line only passes messages on (and counts them).
    m_monitor->setBufferEnabled(false);
    m_monitor->setServerPollingEnabled(false);
    m_monitor->setStatisticsEnabled(options.statsIntervalMs > 0);
    m_monitor->setTimestampsEnabled(options.printMessages);
    m_monitor->setFilterAppliesToStatistics(true);
    m_monitor->setInternalChannelsShown(options.includeInternal);
    if (!options.channelRegex.isEmpty() || !options.payloadPattern.isEmpty()) {
        MessageFilter filter;
        if (!options.channelRegex.isEmpty())
            filter.setChannelFilter(options.channelRegex, MessageFilter::ChannelSyntax::RegularExpression);
        if (!options.payloadPattern.isEmpty())
            filter.setPayloadFilter(options.payloadPattern,
                options.payloadPatternIsRegex ? MessageFilter::PayloadSyntax::RegularExpression
                                              : MessageFilter::PayloadSyntax::Substring);
        m_monitor->setFilter(filter);
    }
    if (options.printMessages) {
        m_formatter = MessageFormatter::create(options.format);
        if (auto *text = dynamic_cast<TextMessageFormatter *>(m_formatter.get()))
            text->setShowPatterns(
                options.patterns.size() + options.channels.size() + options.shardChannels.size() > 1);
        if (auto *csv = dynamic_cast<CsvMessageFormatter *>(m_formatter.get()))
            csv->setKeyspaceColumns(!options.keyPatterns.isEmpty());
    }
    if (m_formatter || options.count > 0)
        m_monitor->addSink(this);

    for (const QByteArray &pattern : options.patterns)
        m_topicsWanted += m_monitor->subscribePattern(pattern) ? 1 : 0;
    for (const QByteArray &channel : options.channels)
        m_topicsWanted += m_monitor->subscribeChannel(channel) ? 1 : 0;
    for (const QByteArray &channel : options.shardChannels)
        m_topicsWanted += m_monitor->subscribeShardChannel(channel) ? 1 : 0;
    for (const QByteArray &keys : options.keyPatterns)
        m_topicsWanted += m_monitor->subscribePattern(
                              KeyspaceNotification::keyspacePattern(options.connection.database, keys))
            ? 1
            : 0;

    RedisClient *client = m_monitor->client();
    if (!options.keyPatterns.isEmpty()) {
        m_keyspaceConfig = new KeyspaceNotificationConfig(client->commands(), this);
        connect(m_keyspaceConfig, &KeyspaceNotificationConfig::changed, this,
            &MonitorSession::keyspaceConfigChanged);
        m_keyspaceConfig->check(); // once connected
    }
    watch(client->subscriber(), true);
    watch(client->commands(), false);
    connect(client->subscriber(), &SubscriberConnection::subscribed, this, &MonitorSession::topicConfirmed);
    if (ClusterShardSubscribers *shards = client->clusterShardSubscribers()) {
        connect(shards, &ClusterShardSubscribers::subscribed, this, &MonitorSession::topicConfirmed);
        connect(shards, &ClusterShardSubscribers::channelsInterrupted, this,
            [this, shards](
                const ServerAddress &node, const QList<QByteArray> &channels, const QString &reason) {
                QStringList names;
                QStringList patterns;
                const QList<QByteArray> everyPrimary = shards->everyPrimaryPatterns();
                for (const QByteArray &channel : channels)
                    (everyPrimary.contains(channel) ? patterns : names)
                        .append(QString::fromUtf8(TextMessageFormatter::terminalSafe(channel)));
                const QString why = QString::fromUtf8(TextMessageFormatter::terminalSafe(reason.toUtf8()));
                if (!names.isEmpty())
                    note(tr("sharded channel(s) %1 on %2 interrupted (%3); subscribing where the slot is "
                            "served now")
                             .arg(names.join(QLatin1String(", ")), node.displayName(), why));
                if (!patterns.isEmpty())
                    note(tr("key events of %1 interrupted (%2); subscribing on every primary again")
                             .arg(node.displayName(), why));
            });
    }
    connect(m_monitor, &ChannelMonitor::subscriptionFailed, this, &MonitorSession::topicRefused);
    // A signal, not the sink: it comes in order with the messages, and --format none pays nothing.
    connect(m_monitor, &ChannelMonitor::gapRecorded, this, &MonitorSession::reportGap);
    connect(m_monitor, &ChannelMonitor::resubscribed, this, [this](int topics) {
        m_reconnecting = false;
        note(tr("reconnected to %1; resubscribed to %n topic(s)", nullptr, topics).arg(m_endpoint));
    });
    connect(client, &RedisClient::heartbeatMissed, this, [this](int silenceMs) {
        note(tr("the server answers, but the subscriber connection heard nothing for %1 ms; "
                "reconnecting")
                 .arg(silenceMs));
    });
    connect(client, &RedisClient::serverRespondingChanged, this, [this, client](bool responding) {
        if (responding)
            note(tr("%1 is responding again").arg(m_endpoint));
        else
            note(tr("%1 is not responding (nothing heard for %2 s); keeping the connection open")
                     .arg(m_endpoint)
                     .arg(double(client->subscriberSilenceMs()) / 1000, 0, 'f', 1));
    });
    // The connections follow the master (Sentinel) or move to another node (Cluster): `where`
    // names the server in later notes; the first time is not a move.
    auto moved = [this](const QString &where, const QString &movingNote) {
        return [this, where, movingNote](const QString &endpoint, const QString &reason) {
            const bool first = m_endpoint == m_options.connection.serverDisplayName();
            m_endpoint = where.arg(endpoint);
            if (!first)
                note(movingNote.arg(endpoint, reason));
        };
    };
    connect(client, &RedisClient::masterChanged, this,
        moved(tr("%1 (master of %2)").arg(QStringLiteral("%1"), m_options.connection.sentinelMaster),
            tr("following the master to %1: %2")));
    connect(client, &RedisClient::clusterNodeChanged, this,
        moved(tr("%1 (a node of the cluster)"), tr("moving to cluster node %1: %2")));
    connect(client, &RedisClient::sentinelEvent, this,
        [this](const QString &sentinel, const QByteArray &event, const QByteArray &detail) {
            note(tr("sentinel %1: %2 %3")
                     .arg(sentinel, QString::fromUtf8(TextMessageFormatter::terminalSafe(event)),
                         QString::fromUtf8(TextMessageFormatter::terminalSafe(detail))));
        });
    // No sentinel named the master, no cluster node answered: fatal before the first connection
    // (or without --reconnect), else a note while asking again.
    auto unavailable = [this](const QString &fatal) {
        return [this, fatal](const RedisError &failure, int nextRetryMs) {
            if (!m_options.reconnect || (!m_subscriberEverConnected && !m_commandsEverConnected)) {
                error(fatal.arg(failure.message()));
                m_monitor->finishOpenGap(failure);
                finish(CannotConnect);
                return;
            }
            note(tr("%1; asking again in %2 ms").arg(failure.message()).arg(nextRetryMs));
        };
    };
    connect(client, &RedisClient::sentinelsUnavailable, this, unavailable(tr("cannot find the master: %1")));
    connect(client, &RedisClient::clusterUnavailable, this, unavailable(tr("cannot reach the cluster: %1")));
    connect(client, &RedisClient::livenessUsesPing, this, [this] {
        note(tr("this user may not subscribe to Redwire's heartbeat channel; connection checks use PING"));
    });
    connect(output, &OutputWriter::failed, this, [this] {
        if (m_output->readerGone()) {
            finish(Done);
            return;
        }
        error(tr("cannot write the output: %1").arg(m_output->errorString()));
        finish(ConnectionLost);
    });

    m_durationTimer.setSingleShot(true);
    m_durationTimer.setTimerType(Qt::PreciseTimer); // a coarse timer may end a run up to 5% early
    connect(&m_durationTimer, &QTimer::timeout, this, [this] { finish(Done); });
    connect(&m_statsTimer, &QTimer::timeout, this, &MonitorSession::printStatistics);
}

MonitorSession::~MonitorSession() = default;

void MonitorSession::watch(RedisConnection *connection, bool isSubscriber)
{
    connect(connection, &RedisConnection::connected, this, [this, isSubscriber] {
        (isSubscriber ? m_subscriberEverConnected : m_commandsEverConnected) = true;
    });
    connect(connection, &RedisConnection::errorOccurred, this,
        [this, isSubscriber](const RedisError &error, int, int nextRetryDelayMs) {
            connectionFailed(isSubscriber, error, nextRetryDelayMs);
        });
}

void MonitorSession::start()
{
    if (m_topicsWanted == 0) {
        error(tr("nothing to subscribe to"));
        QMetaObject::invokeMethod(
            this, [this] { finish(UsageError); }, Qt::QueuedConnection);
        return;
    }
    if (m_formatter) {
        m_output->buffer() += m_formatter->header();
        m_output->appended();
    }
    m_runClock.start();
    if (m_options.durationMs > 0)
        m_durationTimer.start(std::chrono::milliseconds(m_options.durationMs));
    if (m_options.statsIntervalMs > 0)
        m_statsTimer.start(std::chrono::milliseconds(m_options.statsIntervalMs));
    m_monitor->start();
}

void MonitorSession::terminate()
{
    finish(Done);
}

// The hot path: one formatted line appended to the output buffer, or only a count.
void MonitorSession::messageAccepted(const MessageView &message)
{
    if (m_countReached)
        return;
    if (m_formatter) {
        m_formatter->append(message, m_output->buffer());
        m_output->appended();
    }
    if (m_options.count > 0 && ++m_printed >= m_options.count) {
        // Not from inside the delivery: the rest of this batch is ignored, then the loop ends.
        m_countReached = true;
        QMetaObject::invokeMethod(
            this, [this] { finish(Done); }, Qt::QueuedConnection);
    }
}

void MonitorSession::connectionFailed(bool isSubscriber, const RedisError &failure, int nextRetryDelayMs)
{
    if (m_finishing)
        return;
    const QString endpoint = m_endpoint;
    const bool everConnected = isSubscriber ? m_subscriberEverConnected : m_commandsEverConnected;
    if (!everConnected || failure.isPermanent()) {
        error(tr("cannot connect to %1: %2").arg(endpoint, failure.message()));
        m_monitor->finishOpenGap(failure); // e.g. the password changed while reconnecting
        finish(CannotConnect);
        return;
    }
    if (nextRetryDelayMs < 0) {
        error(tr("connection to %1 lost: %2").arg(endpoint, failure.message()));
        m_monitor->finishOpenGap(failure); // the subscriber may not have noticed yet
        finish(ConnectionLost);
        return;
    }
    if (!isSubscriber)
        return; // the subscriber's notes tell the story; the two share the server
    if (!m_reconnecting)
        note(tr("connection to %1 lost (%2); reconnecting in %3 ms")
                 .arg(endpoint, failure.message())
                 .arg(nextRetryDelayMs));
    else
        note(tr("still cannot reach %1 (%2); next attempt in %3 ms")
                 .arg(endpoint, failure.message())
                 .arg(nextRetryDelayMs));
    m_reconnecting = true;
}

void MonitorSession::topicConfirmed()
{
    if (++m_topicsConfirmed != m_topicsWanted - m_topicsRefused)
        return;
    note(tr("subscribed to %n topic(s) on %1", nullptr, m_topicsConfirmed).arg(m_endpoint));
}

void MonitorSession::topicRefused(
    SubscriberConnection::TopicKind, const QByteArray &name, const RedisError &failure)
{
    error(tr("cannot subscribe to %1: %2")
              .arg(QString::fromUtf8(TextMessageFormatter::terminalSafe(name)), failure.message()));
    if (++m_topicsRefused >= m_topicsWanted)
        finish(CannotConnect);
}

void MonitorSession::reportGap(const SubscriptionGap &gap)
{
    auto iso
        = [](qint64 ms) { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs); };
    const QString reason = QString::fromUtf8(TextMessageFormatter::terminalSafe(gap.reason.toUtf8()));
    error(gap.resumed ? tr("gap: messages published from %1 to %2 may be missing: %3")
                            .arg(iso(gap.sinceMs), iso(gap.timeMs), reason)
                      : tr("gap: not subscribed since %1, and still not at the end (%2): messages published "
                           "since were not received: %3")
                            .arg(iso(gap.sinceMs), iso(gap.timeMs), reason));
    if (m_formatter && !m_countReached) {
        m_formatter->appendGap(gap, m_output->buffer());
        m_output->appended();
    }
}

// Key events only arrive when the server publishes them: say so when it does not (even with
// --quiet: the run would otherwise wait in silence), and turn them on when asked to.
void MonitorSession::keyspaceConfigChanged()
{
    using State = KeyspaceNotificationConfig::State;
    if (m_keyspaceConfig->isEnabling())
        return;
    QString text;
    if (m_keyspaceConfig->state() == State::Off && m_options.enableKeyspaceEvents && !m_keyspaceEnableTried) {
        m_keyspaceEnableTried = true;
        note(tr("keyspace notifications are off; turning them on (%1)")
                 .arg(KeyspaceNotificationConfig::enableCommand(m_keyspaceConfig->flags())));
        m_keyspaceConfig->enable();
        return;
    }
    if (m_keyspaceConfig->state() == State::On) {
        if (m_keyspaceEnableTried && m_keyspaceNote != QLatin1String("on"))
            note(tr("keyspace notifications are on (notify-keyspace-events %1)")
                     .arg(QString::fromLatin1(m_keyspaceConfig->flags())));
        m_keyspaceNote = QStringLiteral("on");
        return;
    }
    text = m_keyspaceConfig->message();
    if (m_keyspaceConfig->state() == State::Off && !m_keyspaceEnableTried)
        text += QLatin1Char(' ')
            + tr("Run with --enable-keyspace-events, or have an administrator run: %1")
                  .arg(KeyspaceNotificationConfig::enableCommand(m_keyspaceConfig->flags()));
    if (text.isEmpty() || text == m_keyspaceNote)
        return;
    m_keyspaceNote = text;
    error(tr("warning: %1").arg(text));
}

void MonitorSession::printStatistics()
{
    writeStderr(StatisticsReport::report(m_monitor->statistics(), QDateTime::currentMSecsSinceEpoch()));
}

void MonitorSession::note(const QString &text)
{
    if (!m_options.quiet && !m_finishing)
        writeStderr("redwire-monitor: " + text.toUtf8() + '\n');
}

void MonitorSession::error(const QString &text)
{
    writeStderr("redwire-monitor: " + text.toUtf8() + '\n');
}

void MonitorSession::finish(int exitCode)
{
    if (m_finishing)
        return;
    m_monitor->finishOpenGap(); // still not subscribed again: the gap ends with the run
    m_finishing = true;
    m_countReached = true;
    m_durationTimer.stop();
    m_statsTimer.stop();
    if (m_options.statsIntervalMs > 0) {
        printStatistics();
        writeStderr(StatisticsReport::summary(m_monitor->statistics(), m_runClock.elapsed()));
    }
    // A write error found only now (the last lines, or a block the writer thread was still
    // writing) fails the run as one found earlier does; failed() has said why.
    if (!m_output->flush() && !m_output->readerGone() && exitCode == Done)
        exitCode = ConnectionLost;
    Q_EMIT finished(exitCode);
}
