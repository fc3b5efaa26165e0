#include "MessageSearchModel.h"

#include "chat/ChatRoom.h"

#include <QDateTime>
#include <QLocale>

#include <utility>

namespace Redwire {

MessageSearchModel::MessageSearchModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void MessageSearchModel::setRoom(
    ChatRoom *room, CommandConnection *commands, const QString &nickname, const ChatConfig &config)
{
    if (m_search) {
        beginResetModel(); // a different room: different results
        delete std::exchange(m_search, nullptr);
        endResetModel();
    }
    if (room && commands) {
        m_search = new MessageSearch(
            commands, room->timeline(), room->address().historyKey(), nickname, config, this);
        connect(m_search, &MessageSearch::hitsAdded, this, [this](int first, int last) {
            beginInsertRows({}, first, last);
            endInsertRows();
        });
        connect(m_search, &MessageSearch::hitsCleared, this, [this] {
            beginResetModel();
            endResetModel();
        });
        connect(m_search, &MessageSearch::progressChanged, this, &MessageSearchModel::progressChanged);
        // The room goes away (left): so does its search.
        connect(room, &QObject::destroyed, m_search, [this] { setRoom(nullptr, nullptr, {}, {}); });
    }
    Q_EMIT progressChanged();
}

int MessageSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_search ? 0 : int(m_search->hits().size());
}

QHash<int, QByteArray> MessageSearchModel::roleNames() const
{
    static const QHash<int, QByteArray> names {
        { StreamIdRole, "streamId" },
        { SenderRole, "sender" },
        { PlainTextRole, "plainText" },
        { TimestampRole, "timestamp" },
        { ExternalRole, "external" },
    };
    return names;
}

QVariant MessageSearchModel::data(const QModelIndex &index, int role) const
{
    if (!m_search || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MessageSearch::Hit &hit = m_search->hits().at(index.row());
    switch (role) {
    case StreamIdRole:
        return QString::fromLatin1(hit.streamId.toByteArray());
    case SenderRole:
    case Qt::DisplayRole:
        return hit.sender;
    case PlainTextRole:
        return hit.text;
    case TimestampRole:
        return QDateTime::fromMSecsSinceEpoch(hit.timestampMs);
    case ExternalRole:
        return hit.external;
    default:
        return {};
    }
}

QString MessageSearchModel::text() const
{
    return m_search ? m_search->text() : QString();
}

bool MessageSearchModel::isSearching() const
{
    return m_search && m_search->isRunning();
}

int MessageSearchModel::searchedCount() const
{
    return m_search ? m_search->searchedCount() : 0;
}

bool MessageSearchModel::isComplete() const
{
    return m_search && m_search->isComplete();
}

bool MessageSearchModel::canSearchFurther() const
{
    return m_search && !m_search->text().isEmpty() && !m_search->isRunning() && !m_search->isComplete();
}

QString MessageSearchModel::statusText() const
{
    if (!m_search || m_search->text().isEmpty())
        return {};
    const QString searched = QLocale().toString(m_search->searchedCount());
    const int found = int(m_search->hits().size());
    if (!m_search->error().isEmpty())
        return m_search->error();
    if (m_search->isRunning())
        return tr("Searching… %1 messages searched, %n found", nullptr, found).arg(searched);
    if (m_search->isComplete())
        return tr("Searched all %1 messages: %n found", nullptr, found).arg(searched);
    return tr("Searched %1 messages: %n found", nullptr, found).arg(searched);
}

void MessageSearchModel::search(const QString &text)
{
    if (m_search)
        m_search->start(text);
}

void MessageSearchModel::searchFurther()
{
    if (m_search)
        m_search->searchFurther();
}

QString MessageSearchModel::streamIdAt(int row) const
{
    if (!m_search || row < 0 || row >= m_search->hits().size())
        return {};
    return QString::fromLatin1(m_search->hits().at(row).streamId.toByteArray());
}

void MessageSearchModel::clear()
{
    if (m_search)
        m_search->start({});
}

} // namespace Redwire
