#pragma once

#include "ChatConfig.h"
#include "RoomAddress.h"
#include "StreamId.h"

#include <QList>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Redwire {

class CommandConnection;
class RedisError;
class RedisReply;

// Our messages on their way to the server. Each is stored and published by the send script
// (ChatScripts::send), which remembers the envelope ID: a send repeated after a lost reply is not
// stored twice. Sends to one conversation go one at a time, in the order they were queued; while
// disconnected they wait and go out after the reconnect. A lost connection or a transient server
// error (LOADING, BUSY, ...) keeps a message queued; any other error reply fails it, and it stays
// here, failed, until retry() or discard().
class Outbox : public QObject
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum class State { Queued, InFlight, Failed };
    Q_ENUM(State)

    struct Item
    {
        RoomAddress address;
        QString id; // the envelope's ID
        QByteArray envelope; // JSON, without "sid"
        State state = State::Queued;
        QString failureReason;
        int attempts = 0;
    };

    Outbox(CommandConnection *commands, const ChatConfig &config, QObject *parent = nullptr);

    // Queues a message; sends it now when connected. False (with nothing queued) when the ID is
    // already here or the envelope is not an object.
    bool enqueue(const RoomAddress &address, const QString &id, const QByteArray &envelope);
    // Messages kept from an earlier run (OutboxStore): queued again (failed ones stay failed)
    // and announced with restored(); IDs already here are skipped.
    void restore(const QList<Item> &items);
    // Queues a failed message again, behind the others of its conversation.
    bool retry(const QString &id);
    // Forgets a failed message.
    bool discard(const QString &id);

    int count() const { return int(m_items.size()); }
    // Whether this client queued the envelope `id` (in this run): what makes a message "own".
    // A nickname proves nothing; anyone can publish under it.
    bool queuedByUs(const QString &id) const { return m_ourIds.contains(id); }
    bool contains(const QString &id) const { return indexOf(id) >= 0; }
    const Item *item(const QString &id) const;
    QList<Item> items() const { return m_items; }

Q_SIGNALS:
    void sent(const Redwire::RoomAddress &address, const QString &id, const Redwire::StreamId &streamId);
    void failed(const Redwire::RoomAddress &address, const QString &id, const QString &reason);
    // A failed message queued again (retry).
    void queued(const Redwire::RoomAddress &address, const QString &id);
    void countChanged();
    // A message from an earlier run is queued (see restore()).
    void restored(const Redwire::Outbox::Item &item);
    // The items changed in a way worth keeping (added, stored, failed, retried, discarded).
    void itemsChanged();

private:
    int indexOf(const QString &id) const;
    void flush();
    void sendItem(Item &item);
    void handleReply(const QString &id, const RedisReply &reply, const RedisError &error);
    static bool isTransient(const QByteArray &errorReply);

    CommandConnection *m_commands;
    const ChatConfig m_config;
    QList<Item> m_items;
    QSet<QString> m_ourIds;
    QTimer m_retryTimer;
};

} // namespace Redwire
