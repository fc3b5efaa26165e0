#include "MonitorTopicModel.h"

#include "monitor/KeyspaceNotification.h"

#include <algorithm>

namespace Redwire {

namespace {
MonitorTopicModel::Topic topicFor(MonitorTopicModel::Kind kind, const QByteArray &name)
{
    MonitorTopicModel::Topic topic;
    topic.kind = kind;
    topic.name = name;
    topic.text = QString::fromUtf8(name);
    if (kind == MonitorTopicModel::Pattern) {
        if (const auto watch = KeyspaceNotification::parseKeyspacePattern(name)) {
            topic.kind = MonitorTopicModel::Keyspace;
            topic.db = watch->db;
            topic.keyPattern = QString::fromUtf8(watch->key);
        }
    }
    return topic;
}

// Channels first, then shard channels, then patterns (keyspace ones among them).
int groupOf(MonitorTopicModel::Kind kind)
{
    switch (kind) {
    case MonitorTopicModel::Channel:
        return 0;
    case MonitorTopicModel::ShardChannel:
        return 1;
    case MonitorTopicModel::Pattern:
    case MonitorTopicModel::Keyspace:
        break;
    }
    return 2;
}

// By group, then by name: the order the page always showed. Names compare as bytes so that two
// names that decode alike stay distinct.
bool sortsBefore(const MonitorTopicModel::Topic &a, const MonitorTopicModel::Topic &b)
{
    if (groupOf(a.kind) != groupOf(b.kind))
        return groupOf(a.kind) < groupOf(b.kind);
    if (a.text != b.text)
        return a.text < b.text;
    return a.name < b.name;
}

bool sameTopic(const MonitorTopicModel::Topic &a, const MonitorTopicModel::Topic &b)
{
    return groupOf(a.kind) == groupOf(b.kind) && a.name == b.name;
}
} // namespace

MonitorTopicModel::MonitorTopicModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MonitorTopicModel::setTopics(const QList<QByteArray> &channels, const QList<QByteArray> &patterns,
    const QList<QByteArray> &shardChannels)
{
    QList<Topic> wanted;
    wanted.reserve(channels.size() + patterns.size() + shardChannels.size());
    for (const QByteArray &channel : channels)
        wanted.append(topicFor(Channel, channel));
    for (const QByteArray &channel : shardChannels)
        wanted.append(topicFor(ShardChannel, channel));
    for (const QByteArray &pattern : patterns)
        wanted.append(topicFor(Pattern, pattern));
    std::sort(wanted.begin(), wanted.end(), sortsBefore);
    wanted.erase(std::unique(wanted.begin(), wanted.end(), sameTopic), wanted.end());

    // Both lists sorted alike: one walk removes what is gone and inserts what is new.
    const int before = int(m_topics.size());
    int row = 0;
    qsizetype next = 0;
    while (row < m_topics.size() || next < wanted.size()) {
        if (next < wanted.size() && row < m_topics.size() && sameTopic(m_topics.at(row), wanted.at(next))) {
            ++row;
            ++next;
        } else if (next == wanted.size()
            || (row < m_topics.size() && sortsBefore(m_topics.at(row), wanted.at(next)))) {
            beginRemoveRows({}, row, row);
            m_topics.removeAt(row);
            endRemoveRows();
        } else {
            beginInsertRows({}, row, row);
            m_topics.insert(row, wanted.at(next));
            endInsertRows();
            ++row;
            ++next;
        }
    }
    if (m_topics.size() != before)
        Q_EMIT countChanged();
}

const MonitorTopicModel::Topic *MonitorTopicModel::topicAt(int row) const
{
    return row >= 0 && row < m_topics.size() ? &m_topics.at(row) : nullptr;
}

int MonitorTopicModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_topics.size());
}

QVariant MonitorTopicModel::data(const QModelIndex &index, int role) const
{
    const Topic *topic = index.isValid() && !index.parent().isValid() ? topicAt(index.row()) : nullptr;
    if (!topic)
        return {};
    switch (role) {
    case KindRole:
        return topic->kind;
    case NameRole:
        return topic->text;
    case DbRole:
        return topic->db;
    case KeyPatternRole:
        return topic->keyPattern;
    case Qt::DisplayRole:
    case LabelRole:
        switch (topic->kind) {
        case Channel:
            return QStringLiteral("# ") + topic->text;
        case Pattern:
            return QStringLiteral("⁕ ") + topic->text;
        case Keyspace:
            return tr("keys in db %1: %2").arg(QString::number(topic->db), topic->keyPattern);
        case ShardChannel:
            return tr("# %1 (sharded)").arg(topic->text);
        }
        break;
    default:
        break;
    }
    return {};
}

QHash<int, QByteArray> MonitorTopicModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { KindRole, "kind" },
        { NameRole, "name" },
        { DbRole, "db" },
        { KeyPatternRole, "keyPattern" },
        { LabelRole, "label" },
    };
    return names;
}

} // namespace Redwire
