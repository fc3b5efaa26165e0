// TypingIndicator: outgoing notices rate-limited, incoming typing state with a timeout. Time is a
// ManualClock moved by the test: every assertion follows a step of the clock, none waits.
#include "chat/TypingIndicator.h"

#include "ManualClock.h"

#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using RedwireTest::ManualClock;

namespace {
ChatConfig shortConfig()
{
    ChatConfig config;
    config.typingIntervalMs = 200;
    config.typingTimeoutMs = 150;
    return config;
}
} // namespace

class TestTypingIndicator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void outgoingIsRateLimited();
    void incomingExpires();
    void expiryIsPerSender();
    void messageEndsTyping();
    void renewedNoticeExtendsTyping();
    void steadyClockExpiresOnItsOwn();
};

void TestTypingIndicator::outgoingIsRateLimited()
{
    ManualClock clock;
    TypingIndicator typing(shortConfig());
    typing.setClock(&clock);
    QVERIFY(typing.localTyping()); // the first keystroke announces at once
    QVERIFY(!typing.localTyping()); // the next ones within the interval do not
    clock.advance(199);
    QVERIFY(!typing.localTyping());
    clock.advance(1); // the interval has passed
    QVERIFY(typing.localTyping());
    QVERIFY(!typing.localTyping());
    // Sending the message re-arms it.
    clock.advance(50);
    typing.localMessageSent();
    QVERIFY(typing.localTyping());
    QVERIFY(!typing.localTyping());
}

void TestTypingIndicator::incomingExpires()
{
    ManualClock clock;
    TypingIndicator typing(shortConfig());
    typing.setClock(&clock);
    QSignalSpy changed(&typing, &TypingIndicator::typingUsersChanged);
    typing.noticeReceived(QStringLiteral("alice"));
    typing.noticeReceived(QStringLiteral("bob"));
    QCOMPARE(typing.typingUsers(), QStringList({ "alice", "bob" }));
    QCOMPARE(changed.count(), 2);
    clock.advance(149);
    QCOMPARE(typing.typingUsers(), QStringList({ "alice", "bob" }));
    QCOMPARE(changed.count(), 2);
    clock.advance(1); // the timeout, to the millisecond
    QCOMPARE(typing.typingUsers(), QStringList());
    QCOMPARE(changed.count(), 3);
}

void TestTypingIndicator::expiryIsPerSender()
{
    ManualClock clock;
    TypingIndicator typing(shortConfig());
    typing.setClock(&clock);
    typing.noticeReceived(QStringLiteral("alice"));
    clock.advance(100);
    typing.noticeReceived(QStringLiteral("bob"));
    clock.advance(50); // alice's notice is 150 ms old, bob's 50
    QCOMPARE(typing.typingUsers(), QStringList({ "bob" }));
    clock.advance(100);
    QCOMPARE(typing.typingUsers(), QStringList());
}

void TestTypingIndicator::messageEndsTyping()
{
    TypingIndicator typing(shortConfig());
    typing.noticeReceived(QStringLiteral("alice"));
    typing.noticeReceived(QStringLiteral("bob"));
    typing.messageReceivedFrom(QStringLiteral("alice"));
    QCOMPARE(typing.typingUsers(), QStringList({ "bob" }));
    typing.messageReceivedFrom(QStringLiteral("nobody"));
    QCOMPARE(typing.typingUsers(), QStringList({ "bob" }));
    typing.clear();
    QCOMPARE(typing.typingUsers(), QStringList());
}

void TestTypingIndicator::renewedNoticeExtendsTyping()
{
    ChatConfig config = shortConfig();
    config.typingTimeoutMs = 600;
    ManualClock clock;
    TypingIndicator typing(config);
    typing.setClock(&clock);
    QSignalSpy changed(&typing, &TypingIndicator::typingUsersChanged);
    typing.noticeReceived(QStringLiteral("alice"));
    // Renewed every 100 ms for two timeouts: never expires meanwhile.
    for (int step = 0; step < 12; ++step) {
        clock.advance(100);
        QCOMPARE(typing.typingUsers(), QStringList({ "alice" }));
        typing.noticeReceived(QStringLiteral("alice"));
    }
    QCOMPARE(changed.count(), 1);
    clock.advance(599);
    QCOMPARE(typing.typingUsers(), QStringList({ "alice" }));
    clock.advance(1);
    QCOMPARE(typing.typingUsers(), QStringList());
    QCOMPARE(changed.count(), 2);
}

// Without a test clock the expiry timer does the work: the state ends by itself.
void TestTypingIndicator::steadyClockExpiresOnItsOwn()
{
    TypingIndicator typing(shortConfig());
    QSignalSpy changed(&typing, &TypingIndicator::typingUsersChanged);
    typing.noticeReceived(QStringLiteral("alice"));
    QCOMPARE(changed.count(), 1);
    QVERIFY(changed.wait(10000));
    QCOMPARE(typing.typingUsers(), QStringList());
}

QTEST_GUILESS_MAIN(TestTypingIndicator)
#include "tst_typingindicator.moc"
