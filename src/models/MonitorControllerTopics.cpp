#include "MonitorController.h"

#include "monitor/ChannelMonitor.h"
#include "monitor/KeyspaceNotification.h"
#include "monitor/KeyspaceNotificationConfig.h"

#include <algorithm>

// MonitorController's subscriptions: what the page's topic field and chips add and remove.
namespace Redwire {

namespace {
bool looksLikePattern(const QString &topic)
{
    return topic.contains(QLatin1Char('*')) || topic.contains(QLatin1Char('?'))
        || topic.contains(QLatin1Char('['));
}
} // namespace

void MonitorController::updateTopics()
{
    if (m_monitor)
        m_topics->setTopics(m_monitor->channels(), m_monitor->patterns(), m_monitor->shardChannels());
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

bool MonitorController::addShardChannel(const QString &channel)
{
    const QString trimmed = channel.trimmed();
    if (!m_monitor || trimmed.isEmpty())
        return false;
    const bool ok = m_monitor->subscribeShardChannel(trimmed.toUtf8());
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

void MonitorController::removeTopic(int row)
{
    const MonitorTopicModel::Topic *topic = m_topics->topicAt(row);
    if (!m_monitor || !topic)
        return;
    if (topic->kind == MonitorTopicModel::Channel)
        m_monitor->unsubscribeChannel(topic->name);
    else if (topic->kind == MonitorTopicModel::ShardChannel)
        m_monitor->unsubscribeShardChannel(topic->name);
    else
        m_monitor->unsubscribePattern(topic->name);
    updateTopics();
}

} // namespace Redwire
