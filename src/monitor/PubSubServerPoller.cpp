#include "PubSubServerPoller.h"

#include "redis/CommandConnection.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSet>

Q_LOGGING_CATEGORY(lcMonitorPoll, "redwire.monitor.poll")

namespace Redwire {

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
    m_repliesLeft = 2;
    m_commands->send({ "PUBSUB", "NUMPAT" }, [this](const RedisReply &reply, const RedisError &error) {
        if (!error.isError() && reply.isInteger())
            m_patternCount = reply.toInteger();
        else
            fail(RedisError::forUnexpectedReply(reply, error).message());
        finishPoll();
    });
    m_commands->send({ "PUBSUB", "CHANNELS" }, [this](const RedisReply &reply, const RedisError &error) {
        if (error.isError() || !reply.isArray()) {
            fail(RedisError::forUnexpectedReply(reply, error).message());
            finishPoll();
            return;
        }
        QList<QByteArray> channels;
        channels.reserve(reply.size());
        for (const RedisReply &element : reply.elements())
            channels.append(element.bytes());
        channelsAnswered(channels);
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
    m_commands->send(args, [this](const RedisReply &reply, const RedisError &error) {
        if (error.isError() || !reply.isArray() || reply.size() % 2 != 0) {
            fail(RedisError::forUnexpectedReply(reply, error).message());
        } else {
            m_subscribers.clear();
            for (qsizetype i = 0; i + 1 < reply.size(); i += 2)
                m_subscribers.insert(reply.at(i).bytes(), reply.at(i + 1).toInteger());
        }
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
