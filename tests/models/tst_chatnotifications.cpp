// ChatNotificationPolicy fed by real rooms (alice and bob on a real redis-server): which messages
// become desktop notifications, read off DesktopNotifier::notified (no notification service here).
#include "models/ChatNotificationPolicy.h"
#include "models/DesktopNotifier.h"
#include "models/NotificationSound.h"

#include "QueuedEvents.h"
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
    void anOlderMessageAfterANewerOneNotifiesNothing();
    void roomInViewMutedOrMentionedFollowTheRules();
    void decide_data();
    void decide();
    void levelNoneSilencesEvenMentions();
    void soundPlaysOnlyWhenOnAndOnlyForNotifications();
    void cleanup();

private:
    // A private redis-server with alice and bob in room "chat", both synced.
    bool startTwoInARoom();

    std::unique_ptr<RedisServerProcess> m_server;
    TwoInARoom m_two;
};

using Level = ChatNotificationPolicy::Level;
using Delivery = ChatNotificationPolicy::Delivery;
Q_DECLARE_METATYPE(ChatNotificationPolicy::Level)
Q_DECLARE_METATYPE(ChatNotificationPolicy::Delivery)

namespace {
struct CountedSound : NotificationSound
{
    int plays = 0;
    void play() override { ++plays; }
};

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

bool TestChatNotifications::startTwoInARoom()
{
    m_server = std::make_unique<RedisServerProcess>();
    if (!m_server->start()) {
        qWarning() << "redis-server:" << m_server->errorString();
        return false;
    }
    m_two = twoInARoom(*m_server);
    return QTest::qWaitFor([this] { return m_two.synced(); }, 10000);
}

void TestChatNotifications::cleanup()
{
    m_two = {};
    m_server.reset();
}

void TestChatNotifications::backgroundRoomNotifiesTheNewestOfABatch()
{
    QVERIFY(startTwoInARoom());
    TwoInARoom &two = m_two;
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

// After a flood, senders are checked newest first and the rest later (RoomSenderChecks): what
// comes back late is older than what was notified already, and stays quiet.
void TestChatNotifications::anOlderMessageAfterANewerOneNotifiesNothing()
{
    QVERIFY(startTwoInARoom());
    TwoInARoom &two = m_two;
    Watched alice;
    alice.policy.watch(two.aliceRoom);
    QSignalSpy notified(&alice.notifier, &DesktopNotifier::notified);
    const auto message = [](const char *text, quint64 ms) {
        ChatMessage m;
        m.kind = ChatEnvelope::Kind::Message;
        m.sender = QStringLiteral("bob");
        m.text = QString::fromLatin1(text);
        m.streamId = StreamId(ms, 0);
        return m;
    };
    Q_EMIT two.aliceRoom->messageArrived(message("newest", 2000));
    QTRY_COMPARE(notified.count(), 1);
    Q_EMIT two.aliceRoom->messageArrived(message("checked late", 1000));
    QVERIFY(RedwireTest::runQueuedEvents());
    QCOMPARE(notified.count(), 1);
    // In one batch too: the newer one is what shows.
    Q_EMIT two.aliceRoom->messageArrived(message("newer still", 3000));
    Q_EMIT two.aliceRoom->messageArrived(message("between", 2500));
    QTRY_COMPARE(notified.count(), 2);
    QVERIFY(RedwireTest::runQueuedEvents());
    QCOMPARE(notified.count(), 2);
    QCOMPARE(notified.last().at(1).toString(), QStringLiteral("bob: newer still"));
    // Messages never stored (a plain PUBLISH) have no place in the stream: each is news.
    ChatMessage external = message("external", 0);
    external.streamId = StreamId();
    Q_EMIT two.aliceRoom->messageArrived(external);
    QTRY_COMPARE(notified.count(), 3);
}

void TestChatNotifications::roomInViewMutedOrMentionedFollowTheRules()
{
    QVERIFY(startTwoInARoom());
    TwoInARoom &two = m_two;
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

// The rule as a table: level x mention x direct x window active x room in view.
void TestChatNotifications::decide_data()
{
    QTest::addColumn<Level>("level");
    QTest::addColumn<bool>("mention");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<bool>("windowActive");
    QTest::addColumn<bool>("inView");
    QTest::addColumn<Delivery>("expected");

    QTest::newRow("all, plain, background room")
        << Level::All << false << false << true << false << Delivery::InWindow;
    QTest::newRow("all, plain, window inactive")
        << Level::All << false << false << false << false << Delivery::Desktop;
    QTest::newRow("all, plain, in view") << Level::All << false << false << true << true << Delivery::Nothing;
    QTest::newRow("all, in view, window inactive")
        << Level::All << false << false << false << true << Delivery::Desktop;
    QTest::newRow("all, mention, in view")
        << Level::All << true << false << true << true << Delivery::Nothing;
    QTest::newRow("mentions, plain") << Level::MentionsAndDirect << false << false << true << false
                                     << Delivery::Nothing;
    QTest::newRow("mentions, plain, inactive")
        << Level::MentionsAndDirect << false << false << false << false << Delivery::Nothing;
    QTest::newRow("mentions, mention")
        << Level::MentionsAndDirect << true << false << true << false << Delivery::InWindow;
    QTest::newRow("mentions, mention, inactive")
        << Level::MentionsAndDirect << true << false << false << false << Delivery::Desktop;
    QTest::newRow("mentions, mention, in view")
        << Level::MentionsAndDirect << true << false << true << true << Delivery::Nothing;
    QTest::newRow("mentions, direct")
        << Level::MentionsAndDirect << false << true << true << false << Delivery::InWindow;
    QTest::newRow("mentions, direct, inactive, in view")
        << Level::MentionsAndDirect << false << true << false << true << Delivery::Desktop;
    QTest::newRow("mentions, direct, in view")
        << Level::MentionsAndDirect << false << true << true << true << Delivery::Nothing;
    QTest::newRow("none, plain") << Level::None << false << false << true << false << Delivery::Nothing;
    QTest::newRow("none, mention") << Level::None << true << false << true << false << Delivery::Nothing;
    QTest::newRow("none, direct, inactive")
        << Level::None << false << true << false << false << Delivery::Nothing;
    QTest::newRow("none, mention, direct, inactive")
        << Level::None << true << true << false << false << Delivery::Nothing;
}

void TestChatNotifications::decide()
{
    QFETCH(Level, level);
    QFETCH(bool, mention);
    QFETCH(bool, direct);
    QFETCH(bool, windowActive);
    QFETCH(bool, inView);
    QFETCH(Delivery, expected);
    QCOMPARE(ChatNotificationPolicy::decide(level, mention, direct, windowActive, inView), expected);
}

// A room set to "none" stays quiet even when it names us; "mentions" lets only the mention through.
void TestChatNotifications::levelNoneSilencesEvenMentions()
{
    QVERIFY(startTwoInARoom());
    TwoInARoom &two = m_two;
    Watched alice;
    Level level = Level::None;
    alice.policy.setLevelSource([&level](const ChatRoom *) { return level; });
    alice.policy.watch(two.aliceRoom);
    QSignalSpy notified(&alice.notifier, &DesktopNotifier::notified);

    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("plain")));
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("alice: look")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(two.aliceRoom).size(), 2, 5000);
    level = Level::MentionsAndDirect;
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("plain again")));
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("alice: now?")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(two.aliceRoom).size(), 4, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 5000);
    QCOMPARE(notified.first().at(0).toString(), QStringLiteral("bob mentioned you in #chat"));
    QCOMPARE(notified.first().at(1).toString(), QStringLiteral("alice: now?"));
    // Nothing more comes: the policy's flush of what arrived was queued before this marker.
    QVERIFY(RedwireTest::runQueuedEvents());
    QCOMPARE(notified.count(), 1);
}

// The sound goes with the notifications that are shown (banner or desktop), only with the user's
// setting on, once per burst; the room being read makes neither.
void TestChatNotifications::soundPlaysOnlyWhenOnAndOnlyForNotifications()
{
    QVERIFY(startTwoInARoom());
    TwoInARoom &two = m_two;
    Watched alice;
    CountedSound sound;
    alice.policy.setSound(&sound);
    alice.policy.watch(two.aliceRoom);
    QSignalSpy notified(&alice.notifier, &DesktopNotifier::notified);

    // Off (the default): a notification, no sound.
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("quiet")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 1, 5000);
    QCOMPARE(sound.plays, 0);

    // On: the notification plays it.
    alice.policy.setSoundOn(true);
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("loud")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 2, 5000);
    QCOMPARE(sound.plays, 1);

    // On, but the room is being read: no notification, no sound.
    alice.current = two.aliceRoom;
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("read here")));
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("alice: and this")));
    QTRY_COMPARE_WITH_TIMEOUT(conversation(two.aliceRoom).size(), 4, 5000);
    QCOMPARE(notified.count(), 2);
    QCOMPARE(sound.plays, 1);

    // Off again: nothing plays.
    alice.current = nullptr;
    alice.policy.setSoundOn(false);
    QVERIFY(two.bobRoom->sendMessage(QStringLiteral("alice: quiet again")));
    QTRY_COMPARE_WITH_TIMEOUT(notified.count(), 3, 5000);
    QCOMPARE(sound.plays, 1);
}

QTEST_GUILESS_MAIN(TestChatNotifications)
#include "tst_chatnotifications.moc"
