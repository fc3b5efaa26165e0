#include "Outbox.h"

#include "ChatLogging.h"
#include "ChatScripts.h"

#include "redis/CommandConnection.h"

#include <QPointer>
#include <QSet>

namespace Redwire {

Outbox::Outbox(CommandConnection *commands, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_config(config)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &Outbox::flush);
    connect(m_commands, &RedisConnection::connected, this, &Outbox::flush);
}

int Outbox::indexOf(const QString &id) const
{
    for (int i = 0; i < m_items.size(); ++i)
        if (m_items.at(i).id == id)
            return i;
    return -1;
}

const Outbox::Item *Outbox::item(const QString &id) const
{
    const int index = indexOf(id);
    return index >= 0 ? &m_items.at(index) : nullptr;
}

bool Outbox::enqueue(const RoomAddress &address, const QString &id, const QByteArray &envelope)
{
    if (!address.isValid() || id.isEmpty() || contains(id) || !envelope.startsWith('{'))
        return false;
    Item item;
    item.address = address;
    item.id = id;
    item.envelope = envelope;
    m_items.append(item);
    m_ourIds.insert(id);
    Q_EMIT countChanged();
    Q_EMIT itemsChanged();
    flush();
    return true;
}

void Outbox::restore(const QList<Item> &items)
{
    int added = 0;
    for (Item item : items) {
        if (item.id.isEmpty() || contains(item.id))
            continue;
        if (item.state != State::Failed)
            item.state = State::Queued;
        item.attempts = 0;
        m_items.append(item);
        m_ourIds.insert(item.id);
        ++added;
        Q_EMIT restored(item);
    }
    if (added == 0)
        return;
    qCInfo(lcChat) << added << "unsent messages from the last run queued again";
    Q_EMIT countChanged();
    flush();
}

bool Outbox::retry(const QString &id)
{
    const int index = indexOf(id);
    if (index < 0 || m_items.at(index).state != State::Failed)
        return false;
    Item item = m_items.takeAt(index);
    item.state = State::Queued;
    item.failureReason.clear();
    m_items.append(item);
    Q_EMIT queued(item.address, item.id);
    Q_EMIT itemsChanged();
    flush();
    return true;
}

bool Outbox::discard(const QString &id)
{
    const int index = indexOf(id);
    if (index < 0 || m_items.at(index).state != State::Failed)
        return false;
    m_items.removeAt(index);
    Q_EMIT countChanged();
    Q_EMIT itemsChanged();
    return true;
}

// Sends the first queued message of every conversation that has none in flight.
void Outbox::flush()
{
    if (!m_commands->isConnected())
        return;
    QSet<QByteArray> busy;
    for (const Item &item : std::as_const(m_items))
        if (item.state == State::InFlight)
            busy.insert(item.address.channel());
    for (Item &item : m_items) {
        if (item.state != State::Queued || busy.contains(item.address.channel()))
            continue;
        busy.insert(item.address.channel());
        sendItem(item);
    }
}

void Outbox::sendItem(Item &item)
{
    item.state = State::InFlight;
    ++item.attempts;
    const RoomAddress &address = item.address;
    const RoomAddress::Announcement announcement = address.announcement(m_commands->options().topology);
    const QList<QByteArray> command
        = ChatScripts::eval(ChatScripts::send(), { address.historyKey(), address.sentKey(item.id.toUtf8()) },
            { announcement.channel, item.envelope, QByteArray::number(m_config.historyLength),
                QByteArray::number(m_config.sentIdMemoryMs), announcement.verb });
    QPointer<Outbox> self(this);
    const QString id = item.id;
    m_commands->send(command, [self, id](const RedisReply &reply, const RedisError &error) {
        if (self)
            self->handleReply(id, reply, error);
    });
}

void Outbox::handleReply(const QString &id, const RedisReply &reply, const RedisError &error)
{
    const int index = indexOf(id);
    if (index < 0 || m_items.at(index).state != State::InFlight)
        return;
    Item &item = m_items[index];
    const StreamId streamId = reply.isString() ? StreamId::parse(reply.bytes()) : StreamId();
    if (!error.isError() && !streamId.isNull()) {
        const Item done = m_items.takeAt(index);
        Q_EMIT countChanged();
        Q_EMIT itemsChanged();
        Q_EMIT sent(done.address, done.id, streamId);
        flush();
        return;
    }
    const bool refusedLocally = error.code() == RedisError::Code::InvalidArgument
        || error.code() == RedisError::Code::PermissionDenied
        || error.code() == RedisError::Code::Unsupported;
    if ((error.isError() && !refusedLocally) || (!error.isError() && isTransient(reply.bytes()))) {
        // Not refused: it goes again, first of its conversation, after the reconnect (the
        // connected signal) or after a delay when the connection is still up.
        qCInfo(lcChat) << "send of" << id
                       << "will be repeated:" << RedisError::forCommand(reply, error).message();
        item.state = State::Queued;
        if (m_commands->isConnected() && !m_retryTimer.isActive())
            m_retryTimer.start(m_config.transientRetryDelayMs);
        return;
    }
    const QString reason = RedisError::forUnexpectedReply(reply, error).message();
    qCWarning(lcChat) << "send of" << id << "failed:" << reason;
    item.state = State::Failed;
    item.failureReason = reason;
    const RoomAddress address = item.address;
    Q_EMIT itemsChanged();
    Q_EMIT failed(address, id, reason);
    flush();
}

bool Outbox::isTransient(const QByteArray &errorReply)
{
    // MOVED and ASK come back when a cluster's slot kept moving for more redirections than a
    // command follows (a migration in progress): it settles.
    static const char *const transient[] = { "LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN",
        "READONLY", "NOREPLICAS", "MOVED ", "ASK " };
    for (const char *prefix : transient)
        if (errorReply.startsWith(prefix))
            return true;
    return false;
}

} // namespace Redwire
