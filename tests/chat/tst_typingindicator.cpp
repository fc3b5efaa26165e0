// TypingIndicator: outgoing notices rate-limited, incoming typing state with a timeout.
#include "chat/TypingIndicator.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;

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
    void messageEndsTyping();
    void renewedNoticeExtendsTyping();
};

void TestTypingIndicator::outgoingIsRateLimited()
{
    TypingIndicator typing(shortConfig());
    QElapsedTimer clock;
    clock.start();
    QVERIFY(typing.localTyping()); // the first keystroke announces at once
    QVERIFY(!typing.localTyping()); // the next ones within the interval do not
    QVERIFY(!typing.localTyping());
    bool due = false; // the QTRY macros evaluate their expression again at the end
    QTRY_VERIFY_WITH_TIMEOUT((due = due || typing.localTyping()), 2000);
    QVERIFY(clock.elapsed() >= 200);
    QVERIFY(!typing.localTyping());
    // Sending the message re-arms it.
    typing.localMessageSent();
    QVERIFY(typing.localTyping());
    QVERIFY(!typing.localTyping());
}

void TestTypingIndicator::incomingExpires()
{
    TypingIndicator typing(shortConfig());
    QSignalSpy changed(&typing, &TypingIndicator::typingUsersChanged);
    typing.noticeReceived(QStringLiteral("alice"));
    typing.noticeReceived(QStringLiteral("bob"));
    QCOMPARE(typing.typingUsers(), QStringList({ "alice", "bob" }));
    QCOMPARE(changed.count(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(typing.typingUsers(), QStringList(), 2000);
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
    TypingIndicator typing(config);
    QElapsedTimer clock;
    clock.start();
    typing.noticeReceived(QStringLiteral("alice"));
    // Renewed every 100 ms for 600 ms: never expires meanwhile.
    while (clock.elapsed() < 600) {
        QTest::qWait(100);
        QCOMPARE(typing.typingUsers(), QStringList({ "alice" }));
        typing.noticeReceived(QStringLiteral("alice"));
    }
    QTRY_COMPARE_WITH_TIMEOUT(typing.typingUsers(), QStringList(), 2000);
}

QTEST_GUILESS_MAIN(TestTypingIndicator)
#include "tst_typingindicator.moc"
