#include "ClusterTopology.h"

#include "ClusterSlot.h"
#include "RedisReply.h"

#include <QCoreApplication>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct ClusterTopologyText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::ClusterTopology)
};

QByteArray textOf(const RedisReply &reply)
{
    if (reply.isInteger())
        return QByteArray::number(reply.toInteger());
    return reply.isString() || reply.isStatus() ? reply.bytes() : QByteArray();
}

qint64 numberOf(const RedisReply &reply, bool *ok)
{
    if (reply.isInteger()) {
        *ok = true;
        return reply.toInteger();
    }
    return reply.isString() ? reply.bytes().toLongLong(ok) : (*ok = false, 0);
}

// The host a node announced, or the one asked when it announced none.
QString hostOr(const QByteArray &announced, const ServerAddress &asked)
{
    return announced.isEmpty() || announced == "?" ? asked.host : QString::fromUtf8(announced);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}
} // namespace

ClusterTopology::ClusterTopology()
    : m_owner(ClusterSlot::Count, -1)
{ }

int ClusterTopology::addNode(const ClusterNode &node)
{
    for (qsizetype i = 0; i < m_nodes.size(); ++i) {
        if (m_nodes.at(i).address == node.address)
            return int(i);
    }
    m_nodes.append(node);
    return int(m_nodes.size() - 1);
}

void ClusterTopology::assign(qint64 first, qint64 last, int node)
{
    for (qint64 slot = qMax<qint64>(first, 0); slot <= qMin<qint64>(last, ClusterSlot::Count - 1); ++slot)
        m_owner[slot] = qint16(node);
}

bool ClusterTopology::askSlotsInstead(const RedisReply &shardsReply)
{
    if (!shardsReply.isError())
        return false;
    const QByteArray text = shardsReply.bytes().toLower();
    return text.contains("unknown subcommand") || text.startsWith("noperm");
}

// CLUSTER SHARDS: per shard a flat map {"slots": [first, last, ...], "nodes": [{"id", "port",
// "ip", "endpoint", "role", "health", ...}, ...]}.
ClusterTopology ClusterTopology::fromShards(
    const RedisReply &reply, const ServerAddress &asked, bool tls, QString *error)
{
    ClusterTopology topology;
    auto refuse = [&](const QString &why) {
        fail(error, ClusterTopologyText::tr("CLUSTER SHARDS from %1: %2").arg(asked.displayName(), why));
        return ClusterTopology();
    };
    if (!reply.isArray())
        return refuse(ClusterTopologyText::tr("not a list of shards: %1").arg(reply.toDisplayString()));
    for (const RedisReply &shard : reply.elements()) {
        RedisReply slotRanges;
        RedisReply nodes;
        for (qsizetype i = 0; i + 1 < shard.size(); i += 2) {
            const QByteArray field = textOf(shard.at(i));
            if (field == "slots")
                slotRanges = shard.at(i + 1);
            else if (field == "nodes")
                nodes = shard.at(i + 1);
        }
        if (!nodes.isArray())
            return refuse(ClusterTopologyText::tr("a shard without nodes"));
        int owner = -1;
        for (const RedisReply &entry : nodes.elements()) {
            ClusterNode node;
            QByteArray ip;
            QByteArray endpoint;
            qint64 port = 0;
            qint64 tlsPort = 0;
            for (qsizetype i = 0; i + 1 < entry.size(); i += 2) {
                const QByteArray field = textOf(entry.at(i));
                bool ok = false;
                if (field == "id")
                    node.id = textOf(entry.at(i + 1));
                else if (field == "ip")
                    ip = textOf(entry.at(i + 1));
                else if (field == "endpoint")
                    endpoint = textOf(entry.at(i + 1));
                else if (field == "port")
                    port = numberOf(entry.at(i + 1), &ok);
                else if (field == "tls-port")
                    tlsPort = numberOf(entry.at(i + 1), &ok);
                else if (field == "role")
                    node.primary = textOf(entry.at(i + 1)) == "master";
                else if (field == "health") {
                    const QByteArray health = textOf(entry.at(i + 1));
                    node.healthy = health == "online";
                    node.reachable = health != "failed" && health != "fail";
                }
            }
            const qint64 usedPort = tls && tlsPort > 0 ? tlsPort : port;
            if (usedPort <= 0 || usedPort > 65535)
                return refuse(
                    ClusterTopologyText::tr("a node without a port: %1").arg(entry.toDisplayString()));
            node.address = { hostOr(endpoint.isEmpty() ? ip : endpoint, asked), quint16(usedPort) };
            const int index = topology.addNode(node);
            if (node.primary && node.healthy)
                owner = index;
            else if (node.primary && owner < 0)
                owner = index;
        }
        if (owner < 0)
            continue; // a shard whose primary is gone: its slots stay uncovered
        for (qsizetype i = 0; i + 1 < slotRanges.size(); i += 2) {
            bool okFirst = false;
            bool okLast = false;
            const qint64 first = numberOf(slotRanges.at(i), &okFirst);
            const qint64 last = numberOf(slotRanges.at(i + 1), &okLast);
            if (!okFirst || !okLast || first > last)
                return refuse(ClusterTopologyText::tr("a slot range that is not one: %1")
                                  .arg(slotRanges.toDisplayString()));
            topology.assign(first, last, owner);
        }
    }
    if (topology.isEmpty())
        return refuse(ClusterTopologyText::tr("no nodes"));
    return topology;
}

// CLUSTER SLOTS: per range [first, last, [ip, port, id, ...] (the primary), [ip, port, id] ...].
ClusterTopology ClusterTopology::fromSlots(
    const RedisReply &reply, const ServerAddress &asked, QString *error)
{
    ClusterTopology topology;
    auto refuse = [&](const QString &why) {
        fail(error, ClusterTopologyText::tr("CLUSTER SLOTS from %1: %2").arg(asked.displayName(), why));
        return ClusterTopology();
    };
    if (!reply.isArray())
        return refuse(ClusterTopologyText::tr("not a list of slot ranges: %1").arg(reply.toDisplayString()));
    for (const RedisReply &range : reply.elements()) {
        bool okFirst = false;
        bool okLast = false;
        const qint64 first = range.size() >= 3 ? numberOf(range.at(0), &okFirst) : 0;
        const qint64 last = range.size() >= 3 ? numberOf(range.at(1), &okLast) : 0;
        if (!okFirst || !okLast || first > last)
            return refuse(
                ClusterTopologyText::tr("a range that is not one: %1").arg(range.toDisplayString()));
        for (qsizetype n = 2; n < range.size(); ++n) {
            const RedisReply &entry = range.at(n);
            bool okPort = false;
            const qint64 port = entry.size() >= 2 ? numberOf(entry.at(1), &okPort) : 0;
            if (!okPort || port <= 0 || port > 65535)
                return refuse(
                    ClusterTopologyText::tr("a node without a port: %1").arg(entry.toDisplayString()));
            ClusterNode node;
            node.address = { hostOr(textOf(entry.at(0)), asked), quint16(port) };
            node.id = entry.size() >= 3 ? textOf(entry.at(2)) : QByteArray();
            node.primary = n == 2;
            const int index = topology.addNode(node);
            if (n == 2)
                topology.assign(first, last, index);
        }
    }
    if (topology.isEmpty())
        return refuse(ClusterTopologyText::tr("no slot is served"));
    return topology;
}

const ClusterNode *ClusterTopology::ownerOf(quint16 slot) const
{
    const int index = slot < m_owner.size() ? m_owner.at(slot) : -1;
    return index >= 0 ? &m_nodes.at(index) : nullptr;
}

void ClusterTopology::moveSlot(quint16 slot, const ServerAddress &to)
{
    if (slot >= ClusterSlot::Count)
        return;
    ClusterNode node;
    node.address = to;
    node.primary = true;
    const int index = addNode(node);
    m_nodes[index].primary = true;
    m_nodes[index].healthy = true;
    m_nodes[index].reachable = true;
    m_owner[slot] = qint16(index);
}

int ClusterTopology::coveredSlots() const
{
    return int(std::count_if(m_owner.cbegin(), m_owner.cend(), [](qint16 owner) { return owner >= 0; }));
}

QList<ServerAddress> ClusterTopology::slotOwners() const
{
    QList<bool> owns(m_nodes.size(), false);
    for (const qint16 owner : m_owner) {
        if (owner >= 0)
            owns[owner] = true;
    }
    QList<ServerAddress> result;
    for (qsizetype i = 0; i < m_nodes.size(); ++i) {
        if (owns.at(i))
            result.append(m_nodes.at(i).address);
    }
    return result;
}

QList<ServerAddress> ClusterTopology::addresses() const
{
    QList<ServerAddress> result;
    for (const int pass : { 0, 1, 2 }) {
        for (const ClusterNode &node : m_nodes) {
            const int rank = !node.healthy ? 2 : node.primary ? 0 : 1;
            if (rank == pass)
                result.append(node.address);
        }
    }
    return result;
}

} // namespace Redwire
