#include "PubSubServerPoller.h"

#include "redis/CommandConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QPointer>
#include <QSet>

Q_LOGGING_CATEGORY(lcMonitorPoll, "redwire.monitor.poll")

namespace Redwire {

namespace {
// The answers of the nodes that gave one of the expected shape. When none did: empty, and
// `problem` says why (the first node's reason).
QList<RedisReply> usableAnswers(
    const QList<CommandConnection::NodeReply> &replies, bool (*usable)(const RedisReply &), QString *problem)
{
    QList<RedisReply> answers;
    for (const CommandConnection::NodeReply &node : replies) {
        if (!node.error.isError() && usable(node.reply))
            answers.append(node.reply);
        else
            qCDebug(lcMonitorPoll) << "PUBSUB poll: no usable answer from" << node.node.displayName() << ":"
                                   << RedisError::forUnexpectedReply(node.reply, node.error).message();
    }
    if (answers.isEmpty() && !replies.isEmpty())
        *problem = RedisError::forUnexpectedReply(replies.first().reply, replies.first().error).message();
    return answers;
}

bool isInteger(const RedisReply &reply)
{
    return reply.isInteger();
}

bool isArray(const RedisReply &reply)
{
    return reply.isArray();
}

// NUMSUB / SHARDNUMSUB answers ([name, count, name, count ...]) from every node, added up.
QHash<QByteArray, qint64> summedCounts(const QList<RedisReply> &answers)
{
    QHash<QByteArray, qint64> counts;
    for (const RedisReply &answer : answers)
        for (qsizetype i = 0; i + 1 < answer.size(); i += 2)
            counts[answer.at(i).bytes()] += answer.at(i + 1).toInteger();
    return counts;
}

bool isPairs(const RedisReply &reply)
{
    return reply.isArray() && reply.size() % 2 == 0;
}
} // namespace

PubSubServerPoller::PubSubServerPoller(CommandConnection *commands, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
{
    m_timer.setInterval(2000);
    connect(&m_timer, &QTimer::timeout, this, &PubSubServerPoller::pollNow);
}

void PubSubServerPoller::setIntervalMs(int intervalMs)
{
    m_timer.setInterval(qMax(100, intervalMs));
}

void PubSubServerPoller::start()
{
    m_timer.start();
    pollNow();
}

void PubSubServerPoller::stop()
{
    m_timer.stop();
}

void PubSubServerPoller::pollNow()
{
    if (m_polling || !m_commands->isConnected())
        return;
    m_polling = true;
    m_failed = false;
    const QList<QByteArray> shardChannels
        = m_shardChannelSource ? m_shardChannelSource() : QList<QByteArray>();
    m_repliesLeft = shardChannels.isEmpty() ? 2 : 3;
    if (shardChannels.isEmpty())
        m_shardSubscribers.clear();
    // On a cluster each node knows only its own clients: every node is asked, and the answers
    // add up (channels listed once, subscribers and patterns summed).
    askEveryNode({ "PUBSUB", "NUMPAT" }, isInteger, [this](const QList<RedisReply> &answers) {
        qint64 patterns = 0;
        for (const RedisReply &answer : answers)
            patterns += answer.toInteger();
        m_patternCount = patterns;
        finishPoll();
    });
    askEveryNode({ "PUBSUB", "CHANNELS" }, isArray, [this](const QList<RedisReply> &answers) {
        QList<QByteArray> channels;
        QSet<QByteArray> listed;
        for (const RedisReply &answer : answers)
            for (const RedisReply &element : answer.elements())
                if (!listed.contains(element.bytes())) {
                    listed.insert(element.bytes());
                    channels.append(element.bytes());
                }
        channelsAnswered(channels);
    });
    if (!shardChannels.isEmpty())
        askShardSubscribers(shardChannels);
}

// Not part of the poll's success: a server before Redis 7 (or an ACL user refused the
// subcommand) leaves the shard counts unknown and the rest of the poll stands.
void PubSubServerPoller::askShardSubscribers(const QList<QByteArray> &shardChannels)
{
    QList<QByteArray> args { "PUBSUB", "SHARDNUMSUB" };
    args.append(shardChannels.mid(0, MaxChannelsPerPoll));
    m_commands->sendToEveryNode(args,
        [this, self = QPointer<PubSubServerPoller>(this)](
            const QList<CommandConnection::NodeReply> &replies) {
            if (!self)
                return;
            QString problem;
            const QList<RedisReply> answers = usableAnswers(replies, isPairs, &problem);
            if (answers.isEmpty())
                qCDebug(lcMonitorPoll) << "PUBSUB SHARDNUMSUB not answered:" << problem;
            m_shardSubscribers = summedCounts(answers);
            finishPoll();
        });
}

// `use` gets the answers of the nodes that gave a usable one; when none did, the poll fails (and
// this part of it is finished) with the first node's reason.
void PubSubServerPoller::askEveryNode(const QList<QByteArray> &args, bool (*usable)(const RedisReply &),
    std::function<void(const QList<RedisReply> &answers)> use)
{
    m_commands->sendToEveryNode(args,
        [this, self = QPointer<PubSubServerPoller>(this), usable, use = std::move(use)](
            const QList<CommandConnection::NodeReply> &replies) {
            if (!self)
                return; // gone with a poll in flight (its connection fails what was pending later)
            QString problem;
            const QList<RedisReply> answers = usableAnswers(replies, usable, &problem);
            if (answers.isEmpty()) {
                fail(problem);
                finishPoll();
                return;
            }
            use(answers);
        });
}

void PubSubServerPoller::channelsAnswered(const QList<QByteArray> &channels)
{
    m_serverChannels = channels;
    // NUMSUB for those the caller cares about (the channels it saw, by name or through a pattern)
    // and the listed ones, once each; a window of them in turn when they do not all fit.
    QList<QByteArray> wanted;
    QSet<QByteArray> seen;
    auto want = [&](const QByteArray &channel) {
        if (!seen.contains(channel)) {
            seen.insert(channel);
            wanted.append(channel);
        }
    };
    if (m_channelSource)
        for (const QByteArray &channel : m_channelSource())
            want(channel);
    for (const QByteArray &channel : channels)
        want(channel);
    if (wanted.isEmpty()) {
        m_subscribers.clear();
        finishPoll();
        return;
    }
    QList<QByteArray> args { "PUBSUB", "NUMSUB" };
    const qsizetype count = qMin<qsizetype>(wanted.size(), MaxChannelsPerPoll);
    const qsizetype first = wanted.size() > MaxChannelsPerPoll ? m_nextChannel % wanted.size() : 0;
    args.reserve(2 + count);
    for (qsizetype i = 0; i < count; ++i)
        args.append(wanted.at((first + i) % wanted.size()));
    m_nextChannel = first + count;
    askEveryNode(args, isPairs, [this](const QList<RedisReply> &answers) {
        m_subscribers = summedCounts(answers);
        finishPoll();
    });
}

void PubSubServerPoller::fail(const QString &message)
{
    m_failed = true;
    m_error = message;
}

void PubSubServerPoller::finishPoll()
{
    if (--m_repliesLeft > 0)
        return;
    m_polling = false;
    if (m_failed) {
        qCDebug(lcMonitorPoll) << "PUBSUB poll failed:" << m_error;
        Q_EMIT pollFailed(m_error);
        return;
    }
    m_error.clear();
    Q_EMIT updated();
}

} // namespace Redwire
