// RoomTimeline: merging live and stored messages by stream ID, without gaps or duplicates;
// unstored messages placed by arrival; our pending messages; the memory bound. Each test also
// replays the change signals on a mirror, as a list model would, and checks it matches.
#include "chat/RoomTimeline.h"

#include "TimelineMirror.h"

#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using Added = RoomTimeline::Added;
using Delivery = ChatMessage::Delivery;

namespace {
// A stored message "m<n>" with stream ID n-0.
ChatMessage stored(int n, const QString &sender = QStringLiteral("bob"))
{
    ChatMessage message;
    message.id = QStringLiteral("id%1").arg(n);
    message.streamId = StreamId(quint64(n), 0);
    message.sender = sender;
    message.text = QStringLiteral("m%1").arg(n);
    return message;
}

QList<ChatMessage> storedRange(int from, int to)
{
    QList<ChatMessage> messages;
    for (int n = from; n <= to; ++n)
        messages.append(stored(n));
    return messages;
}

ChatMessage external(const QString &text)
{
    ChatMessage message;
    message.external = true;
    message.text = text;
    return message;
}

ChatMessage pending(const QString &id)
{
    ChatMessage message;
    message.id = id;
    message.sender = QStringLiteral("me");
    message.text = id;
    message.own = true;
    message.delivery = Delivery::Pending;
    return message;
}

// The stored copy of our message `id`, as read back.
ChatMessage echoOf(const QString &id, int n)
{
    ChatMessage message = pending(id);
    message.streamId = StreamId(quint64(n), 0);
    message.delivery = Delivery::Received;
    return message;
}

QStringList texts(const RoomTimeline &timeline)
{
    QStringList texts;
    for (int row = 0; row < timeline.count(); ++row)
        texts.append(timeline.at(row).text);
    return texts;
}

QStringList textsOf(const QList<ChatMessage> &messages)
{
    QStringList texts;
    for (const ChatMessage &message : messages)
        texts.append(message.text);
    return texts;
}

QStringList range(int from, int to)
{
    QStringList texts;
    for (int n = from; n <= to; ++n)
        texts.append(QStringLiteral("m%1").arg(n));
    return texts;
}
} // namespace

class TestRoomTimeline : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void liveInOrder();
    void liveBeforeLatestPage();
    void overlapAndDuplicates();
    void outOfOrder();
    void gapAfterReconnectIsFilled();
    void externalMessagesStayWhereTheyArrived();
    void unstoredBeforeTheFirstPageStaysBelowIt();
    void pendingIsConfirmedByItsEcho();
    void pendingMovesWhenEchoesCrossOver();
    void sentReplyWaitsForStoredCopy();
    void failedSendCanBeDiscarded();
    void forgedStreamIdGivesWayToTheStream();
    void noticeLeftOutOfAPageIsStillConfirmed();
    void boundDropsOldestButNeverPending();
    void byteBoundDropsOldest();
    void olderPagesRespectTheBound();
    void floodTrimsInBatches();
};

void TestRoomTimeline::liveInOrder()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    for (int n = 1; n <= 3; ++n)
        QCOMPARE(timeline.addLive(stored(n), 1), Added::New);
    QCOMPARE(texts(timeline), range(1, 3));
    QCOMPARE(timeline.newestStreamId(), StreamId(3, 0));
    QCOMPARE(timeline.oldestStreamId(), StreamId(1, 0));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::liveBeforeLatestPage()
{
    // Subscribe first, then read: messages 5 and 6 come live before the page 1..6 arrives.
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(stored(5), 1);
    timeline.addLive(stored(6), 1);
    const QList<ChatMessage> added = timeline.addStored(storedRange(1, 6), 1);
    QCOMPARE(textsOf(added), range(1, 4));
    QCOMPARE(texts(timeline), range(1, 6));
    QCOMPARE(mirror.inserts(), 3); // 5, 6, then one run of 1..4
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::overlapAndDuplicates()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    QCOMPARE(timeline.addStored(storedRange(1, 5), 1).size(), 5);
    QCOMPARE(timeline.addStored(storedRange(3, 8), 1).size(), 3);
    QCOMPARE(timeline.addStored(storedRange(1, 8), 1).size(), 0);
    QCOMPARE(timeline.addLive(stored(4), 1), Added::Duplicate);
    QCOMPARE(timeline.addLive(stored(8), 1), Added::Duplicate);
    QCOMPARE(texts(timeline), range(1, 8));
    // A page that repeats an entry or goes backwards keeps only what is in order.
    QList<ChatMessage> broken { stored(10), stored(10), stored(9), stored(11) };
    QCOMPARE(textsOf(timeline.addStored(broken, 1)), QStringList({ "m10", "m11" }));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::outOfOrder()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(stored(3), 1);
    timeline.addLive(stored(1), 1);
    timeline.addLive(stored(2), 1);
    QCOMPARE(texts(timeline), range(1, 3));
    timeline.addStored({ stored(7) }, 1);
    timeline.addStored({ stored(5) }, 1);
    timeline.addStored({ stored(4), stored(6) }, 1);
    QCOMPARE(texts(timeline), range(1, 7));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::gapAfterReconnectIsFilled()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    // Epoch 1: 1 and 2 live, then an external message; the subscription drops.
    timeline.addLive(stored(1), 1);
    timeline.addLive(stored(2), 1);
    timeline.addLive(external(QStringLiteral("e1")), 1);
    // Epoch 2: 5 and an external message come live before the catch-up (from 2) answers 3..5.
    timeline.addLive(stored(5), 2);
    timeline.addLive(external(QStringLiteral("e2")), 2);
    const QList<ChatMessage> recovered = timeline.addStored(storedRange(3, 5), 2);
    QCOMPARE(textsOf(recovered), range(3, 4));
    // The missed messages go after what arrived before the gap, before what came after it.
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "e1", "m3", "m4", "m5", "e2" }));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::externalMessagesStayWhereTheyArrived()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addStored(storedRange(10, 11), 1);
    timeline.addLive(external(QStringLiteral("x")), 1);
    timeline.addLive(stored(12), 1);
    timeline.addLive(external(QStringLiteral("y")), 1);
    timeline.addOlder(storedRange(7, 9));
    QCOMPARE(texts(timeline), QStringList({ "m7", "m8", "m9", "m10", "m11", "x", "m12", "y" }));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::unstoredBeforeTheFirstPageStaysBelowIt()
{
    // An external message arrives live before the latest page is read: the page is older.
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(external(QStringLiteral("hello")), 1);
    timeline.addStored(storedRange(1, 2), 1);
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "hello" }));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::pendingIsConfirmedByItsEcho()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(stored(1), 1);
    timeline.addPending(pending(QStringLiteral("p")));
    QCOMPARE(timeline.unplacedCount(), 1);
    timeline.addLive(stored(2), 1); // someone else's message goes above our pending one
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "p" }));
    QCOMPARE(timeline.addLive(echoOf(QStringLiteral("p"), 3), 1), Added::Confirmed);
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "p" }));
    QCOMPARE(timeline.unplacedCount(), 0);
    QCOMPARE(timeline.at(2).delivery, Delivery::Sent);
    QCOMPARE(timeline.at(2).streamId, StreamId(3, 0));
    QCOMPARE(timeline.addLive(echoOf(QStringLiteral("p"), 3), 1), Added::Duplicate);
    QCOMPARE(timeline.addStored({ echoOf(QStringLiteral("p"), 3) }, 1).size(), 0);
    QCOMPARE(timeline.count(), 3);
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::pendingMovesWhenEchoesCrossOver()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addPending(pending(QStringLiteral("p1")));
    timeline.addPending(pending(QStringLiteral("p2")));
    timeline.addPending(pending(QStringLiteral("p3")));
    // p2 is stored first (p1 failed and was retried, say): it moves above p1.
    QCOMPARE(timeline.addLive(echoOf(QStringLiteral("p2"), 5), 1), Added::Confirmed);
    QCOMPARE(texts(timeline), QStringList({ "p2", "p1", "p3" }));
    QCOMPARE(timeline.unplacedCount(), 2);
    QCOMPARE(mirror.moves(), 1);
    QCOMPARE(timeline.addLive(echoOf(QStringLiteral("p3"), 6), 1), Added::Confirmed);
    QCOMPARE(texts(timeline), QStringList({ "p2", "p3", "p1" }));
    QCOMPARE(timeline.addLive(echoOf(QStringLiteral("p1"), 7), 1), Added::Confirmed);
    QCOMPARE(texts(timeline), QStringList({ "p2", "p3", "p1" }));
    QCOMPARE(timeline.unplacedCount(), 0);
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::sentReplyWaitsForStoredCopy()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(stored(1), 1);
    timeline.addPending(pending(QStringLiteral("p")));
    // The script's reply says "stored as 3", but its live copy was lost with the subscription.
    QVERIFY(timeline.setDelivery(QStringLiteral("p"), Delivery::Sent, StreamId(3, 0)));
    QCOMPARE(timeline.unplacedCount(), 1);
    QCOMPARE(timeline.at(1).delivery, Delivery::Sent);
    QVERIFY(!timeline.containsStreamId(StreamId(3, 0)));
    // The catch-up reads 2..4 and places it.
    QList<ChatMessage> page { stored(2), echoOf(QStringLiteral("p"), 3), stored(4) };
    QCOMPARE(textsOf(timeline.addStored(page, 2)), QStringList({ "m2", "m4" }));
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "p", "m4" }));
    QCOMPARE(timeline.unplacedCount(), 0);
    QVERIFY(timeline.containsStreamId(StreamId(3, 0)));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::failedSendCanBeDiscarded()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    timeline.addLive(stored(1), 1);
    timeline.addPending(pending(QStringLiteral("p")));
    QVERIFY(timeline.setDelivery(QStringLiteral("p"), Delivery::Failed, {}, QStringLiteral("NOPERM")));
    QCOMPARE(timeline.at(1).delivery, Delivery::Failed);
    QCOMPARE(timeline.at(1).failureReason, QStringLiteral("NOPERM"));
    timeline.addLive(stored(2), 1);
    QCOMPARE(texts(timeline), QStringList({ "m1", "m2", "p" })); // failed ones stay at the bottom
    QVERIFY(!timeline.removeUnplaced(QStringLiteral("id1"))); // placed messages cannot be removed
    QVERIFY(timeline.removeUnplaced(QStringLiteral("p")));
    QCOMPARE(texts(timeline), range(1, 2));
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::forgedStreamIdGivesWayToTheStream()
{
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    ChatMessage forged = stored(5);
    forged.id = QStringLiteral("forged");
    forged.text = QStringLiteral("fake");
    timeline.addLive(forged, 1);
    timeline.addStored(storedRange(4, 6), 2);
    QCOMPARE(texts(timeline), range(4, 6));
    QCOMPARE(mirror.problems(), QString());
}

// A join shown live, whose stored copy the page held but did not add (one join per stay is
// shown): the stream holds its ID, so it keeps it. A claim with another envelope ID does not.
void TestRoomTimeline::noticeLeftOutOfAPageIsStillConfirmed()
{
    RoomTimeline timeline;
    timeline.addLive(stored(5), 1);
    ChatMessage forged = stored(6);
    forged.id = QStringLiteral("forged");
    timeline.addLive(forged, 1);
    timeline.addStored(storedRange(1, 4), 1);
    const QHash<StreamId, QString> heldElsewhere { { StreamId(5, 0), QStringLiteral("id5") },
        { StreamId(6, 0), QStringLiteral("id6") } };
    QCOMPARE(timeline.dropUnconfirmedStreamIds(StreamId(0, 0), StreamId(6, 0), heldElsewhere), 1);
    QVERIFY(timeline.containsStreamId(StreamId(5, 0)));
    QVERIFY(!timeline.containsStreamId(StreamId(6, 0)));
    // Confirmed once: a later check of the same range leaves it alone.
    QCOMPARE(timeline.dropUnconfirmedStreamIds(StreamId(0, 0), StreamId(6, 0)), 0);
    QVERIFY(timeline.containsStreamId(StreamId(5, 0)));
}

void TestRoomTimeline::boundDropsOldestButNeverPending()
{
    RoomTimeline timeline(10);
    TimelineMirror mirror(&timeline);
    for (int n = 1; n <= 15; ++n)
        timeline.addLive(stored(n), 1);
    QCOMPARE(texts(timeline), range(6, 15));
    QVERIFY(!timeline.containsStreamId(StreamId(5, 0)));
    // A dropped message read again (an older page) comes back.
    QVERIFY(timeline.isFull());
    for (int i = 0; i < 12; ++i)
        timeline.addPending(pending(QStringLiteral("p%1").arg(i)));
    timeline.addLive(stored(16), 1);
    QCOMPARE(timeline.unplacedCount(), 12);
    QCOMPARE(timeline.count(), 12); // every placed message gave way; the pending ones stay
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::byteBoundDropsOldest()
{
    const qint64 cost = stored(1).memoryCost();
    RoomTimeline timeline(1000, cost * 4 + cost / 2);
    TimelineMirror mirror(&timeline);
    timeline.addStored(storedRange(1, 9), 1);
    QCOMPARE(texts(timeline), range(6, 9));
    QVERIFY(timeline.memoryBytes() <= cost * 4 + cost / 2);
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::olderPagesRespectTheBound()
{
    RoomTimeline timeline(10);
    TimelineMirror mirror(&timeline);
    timeline.addStored(storedRange(50, 57), 1);
    // Room for two more: the newest two of the older page go in, above everything.
    const QList<ChatMessage> added = timeline.addOlder(storedRange(40, 49));
    QCOMPARE(textsOf(added), range(48, 49));
    QCOMPARE(texts(timeline), range(48, 57));
    QVERIFY(timeline.isFull());
    QCOMPARE(timeline.addOlder(storedRange(30, 39)).size(), 0);
    QCOMPARE(mirror.problems(), QString());
}

void TestRoomTimeline::floodTrimsInBatches()
{
    // At the bound a flood must not remove one row per message (each removal is a model change
    // the view lays out): down to a sixteenth below the bound at once.
    RoomTimeline timeline(1600);
    TimelineMirror mirror(&timeline);
    QSignalSpy removed(&timeline, &RoomTimeline::messagesRemoved);
    for (int n = 1; n <= 4800; ++n)
        timeline.addLive(stored(n), 1);
    QVERIFY(timeline.count() <= 1600);
    QVERIFY(timeline.count() >= 1500);
    QVERIFY2(removed.count() <= 32, qPrintable(QString::number(removed.count())));
    QCOMPARE(timeline.at(timeline.count() - 1).text, QStringLiteral("m4800"));
    QCOMPARE(mirror.problems(), QString());
}

QTEST_GUILESS_MAIN(TestRoomTimeline)
#include "tst_roomtimeline.moc"
