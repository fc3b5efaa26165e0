#pragma once

#include "../ConnectionRole.h"
#include "HiredisCompat.h"

#include <QByteArray>
#include <QSet>
#include <QString>

#include <functional>

namespace Redwire {

// Checks every reply while hiredis's reader builds it, through the reader's table of object
// functions, and refuses the shapes that hiredis's async layer would assert on or misread (see
// docs/HIREDIS.md): unsolicited replies, malformed Pub/Sub frames, confirmations for topics we never
// asked for, RESP3 types, absurd array sizes. A refusal makes the reader fail, hiredis drops the
// connection, and refusal() says why. What it accepts it builds as ReplyNodes.
class ReplyGuard
{
public:
    struct Hooks;

    // What a Pub/Sub frame is, as seen while the reader built it.
    enum class Frame {
        Unknown,
        Message,
        PatternMessage,
        Subscribe,
        Unsubscribe,
        Pong,
        ShardMessage,
        ShardSubscribe,
        ShardUnsubscribe,
    };

    // What one reply may hold: array elements, and bytes in all (strings plus per-object overhead).
    ReplyGuard(ConnectionRole role, qint64 maxArrayElements, qint64 maxReplyBytes);

    static constexpr int MaxNesting = 7;
    static constexpr qint64 ObjectOverhead = 16;
    ReplyGuard(const ReplyGuard &) = delete;
    ReplyGuard &operator=(const ReplyGuard &) = delete;

    void install(redisAsyncContext *context);

    // The topics we sent (P)SUBSCRIBE for; confirmations for anything else are refused.
    void topicRequested(bool pattern, const QByteArray &name);
    // A PING with this token was sent on a subscribed connection: its ["pong", token] frame is
    // accepted (once per PING) and reported to the listener while the reader builds it. hiredis
    // before 1.1 never hands that frame to a callback (docs/HIREDIS.md, 4), so this is where we see it.
    void pingSent(const QByteArray &token);
    void setPongListener(std::function<void()> listener) { m_pongListener = std::move(listener); }
    // Sharded Pub/Sub. hiredis's async layer (0.14 and 1.x alike) knows neither SSUBSCRIBE nor its
    // frames: on a connection already subscribed to a classic channel it looks them up as classic
    // messages, finds no callback and drops them (docs/HIREDIS.md, 2). The guard reads them as
    // they are built and reports each complete frame to the listener: the kind, the shard channel,
    // and the payload (ShardMessage) or the subscription count (the others). Frames for shard
    // channels we never asked for are refused, as for classic ones.
    void shardChannelRequested(const QByteArray &name) { m_shardChannels.insert(name); }
    using ShardFrameListener = std::function<void(Frame, const QByteArray &channel, const QByteArray &payload, qint64 count)>;
    void setShardFrameListener(ShardFrameListener listener) { m_shardListener = std::move(listener); }

    const QString &refusal() const { return m_refusal; }
    // The kind of the last reply built: hiredis dispatches each reply before it reads the next,
    // so in a callback this is the kind of the reply in hand (Unknown for anything not Pub/Sub).
    Frame lastFrame() const { return m_frame; }
    bool lastFrameIsPattern() const { return m_framePattern; }

private:
    enum class Route { Ordered, PubSub };
    bool checkTopLevel(int type, qint64 elements);
    bool checkChild(const redisReadTask *task, int type, const char *str, size_t len);
    bool checkShardFrameEnd(int type, const char *str, size_t len);
    static bool isShard(Frame frame)
    {
        return frame == Frame::ShardMessage || frame == Frame::ShardSubscribe || frame == Frame::ShardUnsubscribe;
    }
    bool refuse(const QString &why);

    const ConnectionRole m_role;
    const qint64 m_maxArrayElements;
    const qint64 m_maxReplyBytes;
    qint64 m_replyBytes = 0;
    redisAsyncContext *m_context = nullptr;
    Route m_route = Route::Ordered;
    qint64 m_topElements = 0;
    qint64 m_pendingInteger = 0;
    Frame m_frame = Frame::Unknown;
    bool m_framePattern = false;
    QByteArray m_frameTopic;
    QSet<QByteArray> m_channels;
    QSet<QByteArray> m_patterns;
    QSet<QByteArray> m_shardChannels;
    ShardFrameListener m_shardListener;
    QByteArray m_pingToken;
    qint64 m_pingsOutstanding = 0;
    std::function<void()> m_pongListener;
    QString m_refusal;
};

} // namespace Redwire
