#pragma once

#include "ChatMessage.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <deque>

namespace Redwire {

class RoomTimeline;
class SenderVerifier;

// When the sender of each of a room's messages is checked (docs/ARCHITECTURE.md, "Checking
// senders lazily"). A signature costs ten times the decoding of its message, so a signed message
// is marked Pending unchecked when it arrives and checked by priority: first those that can
// raise a notification, then the rows the view shows, then those an unread count waits for.
// Each event-loop turn checks a few at most, so a flood never stalls the GUI; a checked row is
// updated in the timeline (its model emits dataChanged). Messages that wait for a verdict (to be
// counted, to notify) are handed back by verdictsReached once judged, forgeries left out.
class RoomSenderChecks : public QObject
{
    Q_OBJECT
public:
    enum class Priority {
        Notify, // can raise a notification: checked in the next turn
        Shown, // on screen or near it: checked at the idle pace, newest request first
        Count, // an unread count waits for it: checked at the idle pace, in order
    };
    // Signature checks per turn for messages that can notify (one takes 0.06 to 0.5 ms), at most
    // one such turn per frame, oldest first (a flood has a pace of its own, below).
    static constexpr int NotifyChecksPerTurn = 8;
    static constexpr int NotifyIntervalMs = 16;
    // In a flood (over FloodPerSecond signed messages a second) a room set to notify of every
    // message would have every message checked first: instead this many per turn, newest first.
    // A batch of messages gives one notification, the newest (ChatNotificationPolicy): checking
    // the oldest first only made what notified seconds stale. One turn every
    // NotifyIntervalInAFloodMs: at most 20 checks a second (bench_chat_verify: a check in the
    // paced receive path costs about 250 us of CPU, three times one back to back).
    static constexpr int NotifyChecksPerTurnInAFlood = 1;
    static constexpr int NotifyIntervalInAFloodMs = 50;
    // For everything else, this many every IdleIntervalMs (40 a second): a bounded share of a
    // core whatever arrives (docs/PERFORMANCE.md).
    static constexpr int IdleChecksPerTurn = 2;
    static constexpr int IdleIntervalMs = 50;
    // Over this many signed messages a second (a flood), the idle pace halves and the notify pace
    // drops to NotifyChecksPerTurnInAFlood.
    static constexpr int FloodPerSecond = 1000;
    static constexpr int IdleChecksPerTurnInAFlood = 1;
    // Messages looked up per turn at most (checked or found judged already).
    static constexpr int LookupsPerTurn = 32;
    // Rows asked for by the view: the newest requests; older ones have scrolled away.
    static constexpr int MaxShownRequests = 64;
    // Messages waiting for a verdict; what comes over it is let go unjudged (logged).
    static constexpr int MaxWaiting = 2000;

    RoomSenderChecks(RoomTimeline *timeline, const QByteArray &channel, QObject *parent = nullptr);

    void setVerifier(SenderVerifier *verifier);
    // Judged, and signed with our own key: ours, although not sent by this client in this run.
    bool signedByUs(const ChatMessage &judged) const;
    SenderVerifier *verifier() const { return m_verifier; }

    // Judges what costs nothing now (unsigned, unreadable signatures); a signature to check
    // leaves the message Pending and unassessed.
    void judgeCheaply(ChatMessage &message);
    // Judges now, whatever it costs (changes, before they apply).
    void judgeNow(ChatMessage &message);
    // `message` is to be counted or notified once judged: verdictsReached hands it back.
    void awaitVerdict(const ChatMessage &message, Priority priority);
    // The view shows (or is about to show) the message with this ID: checks it soon.
    void shown(const QString &id);
    // The keys of `nickname` arrived, or its pin changed: its messages waiting for keys (and
    // those marked KEY CHANGED when `pinReplaced`) are judged again.
    void senderKeysChanged(const QString &nickname, bool pinReplaced);

    int waitingCount() const { return int(m_waiting.size()); }
    int queuedCount() const { return int(m_notify.size() + m_shown.size() + m_count.size()); }
    // Whether signed messages arrive faster than FloodPerSecond (as of the last turn).
    bool flooded() const { return m_flooded; }

Q_SIGNALS:
    // Messages that awaited a verdict and are not forged, as each is judged.
    void verdictsReached(const QList<Redwire::ChatMessage> &messages);

private:
    bool mayMentionUs(const ChatMessage &judged) const;
    struct Waiting
    {
        ChatMessage message;
        Priority priority;
    };
    void schedule();
    void runNotifyTurn();
    void runIdleTurn();
    void updateFlood();
    bool check(const QString &id);
    void enqueue(const QString &id, Priority priority);
    void markForCheck(int row);
    void logLetGo();

    RoomTimeline *m_timeline;
    const QByteArray m_channel;
    SenderVerifier *m_verifier = nullptr;
    std::deque<Waiting> m_waiting; // in the order awaited
    int m_letGo = 0; // over MaxWaiting since the last log line
    QElapsedTimer m_lastNotifyTurn;
    qint64 m_arrivals = 0; // signed messages since m_arrivalWindow started
    QElapsedTimer m_arrivalWindow;
    bool m_flooded = false;
    QList<QString> m_notify;
    QList<QString> m_shown; // newest last
    QList<QString> m_count;
    QSet<QString> m_queued;
    QTimer m_notifyTurn;
    QTimer m_idleTurn;
};

} // namespace Redwire
