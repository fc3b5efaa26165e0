// ChatNotificationPolicy fed by real rooms (alice and bob on a real redis-server): which messages
// become desktop notifications, read off DesktopNotifier::notified (no notification service here).
#include "models/ChatNotificationPolicy.h"
#include "models/DesktopNotifier.h"

#include "SessionTestSupport.h"

#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

class TestChatNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backgroundRoomNotifiesTheNewestOfABatch();
    void roomInViewMutedOrMentionedFollowTheRules();
};

namespace {
struct Watched
{
    DesktopNotifier notifier;
    ChatNotificationPolicy policy { &notifier };
    const ChatRoom *current = nullptr;
    bool muted = false;
    Watched()
    {
        policy.setCurrentRoomSource([this] { return current; });
        policy.setMutedCheck([this](const ChatRoom *) { return muted; });
    }
};
} // namespace

void TestChatNotifications::backgroundRoomNotifiesTheNewestOfABatch()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    TwoInARoom two = twoInARoom(server);
    QTRY_VERIFY_WITH_TIMEOUT(two.synced(), 10000);
    Watched alice;
    alice.policy.watch(two.aliceRoom);
    QSignalSpy notified(&alice.notifier, &DesktopNotifier::notified);

    for (const char *text : { "one", "two", "three" })
        QVERIFY(two.bobRoom->sendMessage(QString::fromLatin1(text)));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(two.aliceRoom).size(), 3, 5000);
    QTRY_VERIFY(!notified.isEmpty());
    // However the three arrived (one batch or more), at most one notification each, the newest last.
    QVERIFY(notified.count() <= 3);
    QCOMPARE(notified.last().at(0).toString(), QStringLiteral("#chat"));
    QCOMPARE(notified.last().at(1).toString(), QStringLiteral("bob: three"));
}

void TestChatNotifications::roomInViewMutedOrMentionedFollowTheRules()
{
    RedisServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    TwoInARoom two = twoInARoom(server);
    QTRY_VERIFY_WITH_TIMEOUT(two.synced(), 10000);
    Watched alice;
    alice.policy.watch(two.aliceRoom);
    QSignalSpy notified(&alice.notifier, &DesktopNotifier::notified);

    // In view in the active window: nothing.
    alice.current = two.aliceRoom;
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("seen")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(two.aliceRoom).size(), 1, 5000);
    // Muted: nothing either, but a mention still notifies.
    alice.current = nullptr;
    alice.muted = true;
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("muted")));
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("alice: look")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 5000);
    QCOMPARE(notified.first().at(0).toString(), QStringLiteral("bob mentioned you in #chat"));
    QCOMPARE(conversation(two.aliceRoom).size(), 3);
    // The window in the background: the room shown is not being read.
    alice.muted = false;
    alice.current = two.aliceRoom;
    alice.policy.setWindowActive(false);
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("away")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, 5000);
    QCOMPARE(notified.last().at(1).toString(), QStringLiteral("bob: away"));
}

QTEST_GUILESS_MAIN(TestChatNotifications)
#include "tst_chatnotifications.moc"
