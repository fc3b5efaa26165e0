#include "ReadMarkers.h"

#include "ChatLogging.h"
#include "RoomAddress.h"

#include "redis/CommandConnection.h"

#include <QPointer>

namespace Redwire {

namespace {
// KEYS: the read-marker hash. ARGV: channel, stream ID, and the channel that tells the user's other
// devices. Sets the field unless it already holds a later ID (another device read further), then
// publishes the conversation's channel there; answers 1 when it wrote.
const QByteArray AdvanceScript
    = "local cur = redis.call('HGET', KEYS[1], ARGV[1])\n"
      "if cur then\n"
      "  local cm, cs = string.match(cur, '^(%d+)-(%d+)$')\n"
      "  local nm, ns = string.match(ARGV[2], '^(%d+)-(%d+)$')\n"
      "  if cm and nm then\n"
      "    cm, cs, nm, ns = tonumber(cm), tonumber(cs), tonumber(nm), tonumber(ns)\n"
      "    if cm > nm or (cm == nm and cs >= ns) then return 0 end\n"
      "  end\n"
      "end\n"
      "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])\n"
      "if ARGV[3] then redis.call('PUBLISH', ARGV[3], ARGV[1]) end\n"
      "return 1\n";
// Reads of the markers asked for in a burst (several devices reading at once) make one.
constexpr int ReloadDelayMs = 100;
} // namespace

ReadMarkers::ReadMarkers(CommandConnection *commands, const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
{
    m_writeTimer.setSingleShot(true);
    m_writeTimer.setInterval(qMax(0, config.readMarkerWriteIntervalMs));
    connect(&m_writeTimer, &QTimer::timeout, this, &ReadMarkers::write);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(ReloadDelayMs);
    connect(&m_reloadTimer, &QTimer::timeout, this, [this] {
        if (m_commands->isConnected())
            load();
    });
    connect(m_commands, &RedisConnection::connected, this, &ReadMarkers::load);
    connect(m_commands, &RedisConnection::stateChanged, this, [this] {
        if (!m_commands->isConnected())
            m_loaded = false;
    });
}

void ReadMarkers::setNickname(const QString &nickname)
{
    m_key = RoomAddress::readMarkersKey(nickname);
    m_movedChannel = RoomAddress::readMarkersMovedChannel(nickname);
    m_markers.clear();
    m_dirty.clear();
    m_loaded = false;
    if (m_commands->isConnected())
        load();
}

StreamId ReadMarkers::marker(const RoomAddress &address) const
{
    return m_markers.value(address.channel());
}

void ReadMarkers::advance(const RoomAddress &address, const StreamId &readUpTo)
{
    if (readUpTo.isNull() || m_key.isEmpty())
        return;
    StreamId &marker = m_markers[address.channel()];
    if (!(marker < readUpTo))
        return;
    marker = readUpTo;
    m_dirty.insert(address.channel());
    if (!m_writeTimer.isActive())
        m_writeTimer.start();
}

void ReadMarkers::flush()
{
    m_writeTimer.stop();
    write();
}

void ReadMarkers::reload()
{
    if (!m_key.isEmpty() && !m_reloadTimer.isActive())
        m_reloadTimer.start();
}

void ReadMarkers::load()
{
    if (m_key.isEmpty())
        return;
    const quint64 generation = ++m_loadGeneration;
    QPointer<ReadMarkers> self(this);
    m_commands->send(
        { "HGETALL", m_key }, [self, generation](const RedisReply &reply, const RedisError &error) {
            if (!self || self->m_loadGeneration != generation)
                return;
            QList<QByteArray> moved;
            if (error.isError() || !reply.isArray()) {
                // NOPERM or a wrong type: unread counts then start from this run's messages only.
                qCWarning(lcChat) << "read markers in" << self->m_key
                                  << "could not be read:" << RedisError::forCommand(reply, error).message();
            } else {
                for (qsizetype i = 0; i + 1 < reply.size(); i += 2) {
                    const StreamId id = StreamId::parse(reply.at(i + 1).bytes());
                    if (id.isNull())
                        continue; // written by something else: ignored
                    const QByteArray channel = reply.at(i).bytes();
                    StreamId &marker = self->m_markers[channel];
                    if (!(marker < id))
                        continue;
                    marker = id;
                    moved.append(channel);
                }
            }
            self->m_loaded = true;
            // Written while disconnected: goes now.
            if (!self->m_dirty.isEmpty() && !self->m_writeTimer.isActive())
                self->m_writeTimer.start();
            Q_EMIT self->loaded();
            for (const QByteArray &channel : std::as_const(moved))
                if (self)
                    Q_EMIT self->markerMoved(channel);
        });
}

void ReadMarkers::write()
{
    if (!m_commands->isConnected())
        return; // kept dirty: written after the next load
    const QSet<QByteArray> dirty = std::exchange(m_dirty, {});
    for (const QByteArray &channel : dirty) {
        const QByteArray id = m_markers.value(channel).toByteArray();
        ++m_writesInFlight;
        m_commands->send({ "EVAL", AdvanceScript, "1", m_key, channel, id, m_movedChannel },
            [self = QPointer<ReadMarkers>(this), key = m_key, channel](
                const RedisReply &reply, const RedisError &error) {
                if (self && --self->m_writesInFlight == 0)
                    QMetaObject::invokeMethod(self.data(), &ReadMarkers::writesSettled, Qt::QueuedConnection);
                // Lost with the connection: written again after the next connect.
                if (self && error.isError() && self->m_key == key)
                    self->m_dirty.insert(channel);
                if (error.isError() || reply.isError())
                    qCWarning(lcChat) << "read marker of" << channel << "in" << key
                                      << "not written:" << RedisError::forCommand(reply, error).message();
            });
    }
}

} // namespace Redwire
