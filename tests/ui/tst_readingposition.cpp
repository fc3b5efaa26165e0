// The reading position in a real window (ChatPage) against a real server, asserting what the
// message delegates show: a 300-message room scrolled up (Page Up) reaches message #1
// with ever older messages and no jumps; a room opened with unread messages shows the "New
// messages" divider above the first unread one and a "Jump to latest (N new)" button; Ctrl+F,
// typing and Enter go to a search result in context; Esc closes the search; plain PUBLISHes (no
// stream ID) that arrived while the room was not in view get the divider too.
#include "models/ChatController.h"
#include "models/MessageListModel.h"

#include "chat/ChatEnvelope.h"
#include "chat/ChatRoom.h"
#include "chat/ChatScripts.h"
#include "chat/ChatSession.h"
#include "chat/RoomAddress.h"
#include "redis/CommandConnection.h"

#include "ChatPageWindow.h"
#include "RedisServerProcess.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QSettings>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using namespace Redwire;

namespace {

using RedwireTest::visibleMessages;
using RedwireTest::visibleTexts;
using Shown = RedwireTest::ShownMessage;

// "m17" -> 17; other rows (joins) -> -1.
int numberOf(const QString &text)
{
    if (!text.startsWith(QLatin1Char('m')))
        return -1;
    bool ok = false;
    const int n = text.mid(1).section(QLatin1Char(' '), 0, 0).toInt(&ok);
    return ok ? n : -1;
}

int topNumber(QQuickItem *view)
{
    for (const QString &text : visibleTexts(view))
        if (numberOf(text) > 0)
            return numberOf(text);
    return -1;
}

int bottomNumber(QQuickItem *view)
{
    const QStringList texts = visibleTexts(view);
    for (auto it = texts.crbegin(); it != texts.crend(); ++it)
        if (numberOf(*it) > 0)
            return numberOf(*it);
    return -1;
}

void typeInto(QWindow *window, const QString &text)
{
    for (const QChar c : text)
        QTest::keyClick(window, c.toLatin1());
}

} // namespace

class TestReadingPosition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void scrollingUpReachesTheBeginningWithoutJumps();
    void unreadDividerAndJumpToLatest();
    void ctrlFSearchJumpsToTheMessage();
    void unreadDividerAbovePlainPublishes();
    void sendingWhileScrolledUpShowsTheMessageSent();

private:
    QList<StreamId> seed(const QString &room, int count, const std::function<QString(int)> &textOf);
    void open(const QString &room);
    void shot(const QString &name) const { m_page.shot(name); }
    QQuickWindow *window() const { return m_page.window(); }

    RedwireTest::ChatPageWindow m_page { QStringLiteral("tst_readingposition") };
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    std::unique_ptr<CommandConnection> m_seeder;
    ChatController *m_chat = nullptr;
    QQuickItem *m_view = nullptr;
};

void TestReadingPosition::init()
{
    QSettings().clear();
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ConnectionOptions options;
    options.port = m_server->port();
    m_seeder = std::make_unique<CommandConnection>(options);
    m_seeder->connectToServer();
    QTRY_VERIFY_WITH_TIMEOUT(m_seeder->isConnected(), 10000);
}

void TestReadingPosition::cleanup()
{
    m_page.close();
    m_chat = nullptr;
    m_view = nullptr;
    m_seeder.reset();
    m_server.reset();
}

QList<StreamId> TestReadingPosition::seed(
    const QString &room, int count, const std::function<QString(int)> &textOf)
{
    const RoomAddress address = RoomAddress::room(room);
    auto ids = std::make_shared<QList<StreamId>>(count);
    auto answered = std::make_shared<int>(0);
    for (int n = 1; n <= count; ++n) {
        const ChatEnvelope envelope
            = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("bob"), textOf(n));
        m_seeder->send(ChatScripts::eval(ChatScripts::send(),
                           { address.historyKey(), address.sentKey(envelope.id.toUtf8()) },
                           { address.channel(), envelope.encode(), "10000", "60000" }),
            [ids, answered, n](const RedisReply &reply, const RedisError &) {
                (*ids)[n - 1] = StreamId::parse(reply.bytes());
                ++*answered;
            });
    }
    if (!QTest::qWaitFor([&] { return *answered == count; }, 60000))
        return {};
    return *ids;
}

// Starts alice's chat in `room` in a window of its own.
void TestReadingPosition::open(const QString &room)
{
    QVERIFY2(m_page.open(*m_server, QStringLiteral("alice"), { room }), qPrintable(m_page.errorString()));
    m_chat = m_page.chat();
    m_view = m_page.messageView();
}

void TestReadingPosition::scrollingUpReachesTheBeginningWithoutJumps()
{
    QCOMPARE(
        seed(QStringLiteral("long"), 300, [](int n) { return QStringLiteral("m%1").arg(n); }).size(), 300);
    open(QStringLiteral("long"));
    QTRY_COMPARE_WITH_TIMEOUT(bottomNumber(m_view), 300, 10000);
    int top = topNumber(m_view);
    // Page Up, as a reader going back would (the keyboard's way; the wheel moves contentY the same).
    int steps = 0;
    while (top != 1 && steps < 1000) {
        ++steps;
        QTest::keyClick(window(), Qt::Key_PageUp);
        // Let the scroll (and a page coming in) settle before looking.
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->property("moving").toBool(), 10000);
        (void)QTest::qWaitFor([&] { return !m_chat->messages()->isLoadingOlder(); }, 10000);
        QVERIFY(QTest::qWaitForWindowExposed(window()));
        const int now = topNumber(m_view);
        QVERIFY2(now > 0, qPrintable(visibleTexts(m_view).join(u',')));
        // Ever older, a little at a time: never back down, never a leap over what was not shown.
        QVERIFY2(now <= top,
            qPrintable(QStringLiteral("step %1: top went from m%2 to m%3").arg(steps).arg(top).arg(now)));
        QVERIFY2(top - now <= 30,
            qPrintable(QStringLiteral("step %1: top jumped from m%2 to m%3").arg(steps).arg(top).arg(now)));
        // Rows shown are consecutive messages.
        int previous = -1;
        for (const QString &text : visibleTexts(m_view)) {
            const int n = numberOf(text);
            if (n < 0)
                continue;
            QVERIFY2(previous < 0 || n == previous + 1, qPrintable(visibleTexts(m_view).join(u',')));
            previous = n;
        }
        if (now == top && top != 1 && !m_chat->messages()->canLoadOlder()
            && m_view->property("atYBeginning").toBool())
            QFAIL(qPrintable(QStringLiteral("stuck at m%1 with no older page to load").arg(top)));
        top = now;
    }
    QCOMPARE(top, 1);
    shot(QStringLiteral("beginning"));
    QVERIFY(!m_chat->messages()->canLoadOlder());
    QCOMPARE(
        m_chat->messages()->data(m_chat->messages()->index(0), MessageListModel::PlainTextRole).toString(),
        QStringLiteral("m1"));
}

void TestReadingPosition::unreadDividerAndJumpToLatest()
{
    const QList<StreamId> ids
        = seed(QStringLiteral("news"), 120, [](int n) { return QStringLiteral("m%1").arg(n); });
    QCOMPARE(ids.size(), 120);
    // alice read up to m60 (on another device, or before a restart).
    m_server->cli({ QStringLiteral("HSET"), QStringLiteral("redwire:{user:alice}:read"),
        QStringLiteral("news"), QString::fromLatin1(ids.at(59).toByteArray()) });
    open(QStringLiteral("news"));
    // The divider is above m61, on screen, with what was read before it just above.
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->messages()->firstUnreadRow() >= 0, true, 10000);
    QQuickItem *divided = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const Shown &shown : visibleMessages(m_view))
                if (shown.item->property("firstUnread").toBool())
                    divided = shown.item;
            return divided != nullptr;
        }(),
        10000);
    QCOMPARE(divided->property("plainText").toString(), QStringLiteral("m61"));
    auto *divider = divided->findChild<QQuickItem *>(QStringLiteral("unreadDivider"));
    QVERIFY(divider && divider->isVisible());
    QTRY_VERIFY(topNumber(m_view) <= 61 && topNumber(m_view) >= 55);
    // Only one divider.
    int dividers = 0;
    for (const Shown &shown : visibleMessages(m_view))
        dividers += shown.item->property("firstUnread").toBool() ? 1 : 0;
    QCOMPARE(dividers, 1);

    auto *jump = m_page.find(QStringLiteral("jumpToLatest"));
    QVERIFY(jump);
    QTRY_VERIFY(jump->isVisible());
    QTRY_COMPARE(jump->property("text").toString(),
        QStringLiteral("Jump to latest (%1 new)").arg(120 - bottomNumber(m_view)));
    shot(QStringLiteral("divider"));
    // Not read yet: the marker stays.
    QCOMPARE(m_server->cli({ QStringLiteral("HGET"), QStringLiteral("redwire:{user:alice}:read"),
                 QStringLiteral("news") }),
        ids.at(59).toByteArray());

    // Three more arrive below.
    const int below = 120 - bottomNumber(m_view);
    for (int n = 121; n <= 123; ++n)
        m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("news"), QStringLiteral("m%1").arg(n) });
    QTRY_COMPARE_WITH_TIMEOUT(
        jump->property("text").toString(), QStringLiteral("Jump to latest (%1 new)").arg(below + 3), 10000);
    QCOMPARE(bottomNumber(m_view), 120 - below); // the view held still

    // The button: to the bottom, following again, and the latest is read.
    QTest::mouseClick(window(), Qt::LeftButton, Qt::NoModifier,
        jump->mapToScene(QPointF(jump->width() / 2, jump->height() / 2)).toPoint());
    QTRY_COMPARE_WITH_TIMEOUT(bottomNumber(m_view), 123, 10000);
    QTRY_VERIFY(!jump->isVisible());
    // (The live ones were plain PUBLISHes, never stored: m120, or alice's join after it, is newest.)
    QTRY_VERIFY_WITH_TIMEOUT(StreamId::parse(m_server->cli({ QStringLiteral("HGET"),
                                 QStringLiteral("redwire:{user:alice}:read"), QStringLiteral("news") }))
            >= ids.at(119),
        10000);
}

void TestReadingPosition::ctrlFSearchJumpsToTheMessage()
{
    const QList<StreamId> ids = seed(QStringLiteral("zoo"), 300, [](int n) {
        return n == 7 ? QStringLiteral("m7 at the Zebra crossing") : QStringLiteral("m%1").arg(n);
    });
    QCOMPARE(ids.size(), 300);
    open(QStringLiteral("zoo"));
    QTRY_COMPARE_WITH_TIMEOUT(bottomNumber(m_view), 300, 10000);
    auto *bar = m_page.find(QStringLiteral("searchBar"));
    QVERIFY(bar);
    QVERIFY(!bar->isVisible());
    QTest::keyClick(window(), Qt::Key_F, Qt::ControlModifier);
    QTRY_VERIFY(bar->isVisible());
    QTRY_COMPARE(window()->activeFocusItem() ? window()->activeFocusItem()->objectName() : QString(),
        QStringLiteral("searchField"));
    typeInto(window(), QStringLiteral("zEBRA"));
    QTest::keyClick(window(), Qt::Key_Return);
    // Found on the server (m7 is far above the first page), loaded in context, highlighted.
    QTRY_VERIFY_WITH_TIMEOUT(
        visibleTexts(m_view).contains(QStringLiteral("m7 at the Zebra crossing")), 15000);
    QQuickItem *found = nullptr;
    for (const Shown &shown : visibleMessages(m_view))
        if (shown.text == QStringLiteral("m7 at the Zebra crossing"))
            found = shown.item;
    QVERIFY(found);
    QVERIFY(found->property("highlighted").toBool());
    // In context: its neighbours are shown with it.
    QVERIFY(visibleTexts(m_view).contains(QStringLiteral("m8")));
    auto *status = m_page.find(QStringLiteral("searchStatus"));
    QVERIFY(status);
    QTRY_VERIFY(status->property("text").toString().contains(QStringLiteral("1 found")));
    shot(QStringLiteral("search"));

    QTest::keyClick(window(), Qt::Key_Escape);
    QTRY_VERIFY(!bar->isVisible());
    QTRY_VERIFY([&] {
        for (QQuickItem *item = window()->activeFocusItem(); item; item = item->parentItem())
            if (item->objectName() == QStringLiteral("composer"))
                return true;
        return false;
    }());
}

// Messages published by hand (no stream ID) while alice was in another room: the divider goes
// above the first of them, by the order they arrived in.
void TestReadingPosition::unreadDividerAbovePlainPublishes()
{
    open(QStringLiteral("plain"));
    // Published by hand, they reach only a subscriber: wait for ours.
    QTRY_VERIFY_WITH_TIMEOUT(
        m_server->cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), QStringLiteral("plain") })
            .endsWith("1"),
        10000);
    for (const char *text : { "seen 1", "seen 2" })
        m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("plain"), QString::fromLatin1(text) });
    QTRY_VERIFY_WITH_TIMEOUT(visibleTexts(m_view).contains(QStringLiteral("seen 2")), 10000);
    m_chat->joinRoom(QStringLiteral("elsewhere"));
    QTRY_COMPARE(m_chat->currentRoom(), QStringLiteral("elsewhere"));
    for (const char *text : { "new 1", "new 2", "new 3" })
        m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("plain"), QString::fromLatin1(text) });
    ChatRoom *plain = m_chat->session()->room(QStringLiteral("plain"));
    QVERIFY(plain);
    QTRY_COMPARE_WITH_TIMEOUT(plain->unreadCount(), 3, 10000);

    m_chat->joinRoom(QStringLiteral("plain")); // back to it
    QTRY_COMPARE(m_chat->currentRoom(), QStringLiteral("plain"));
    QQuickItem *divided = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            divided = nullptr;
            for (const Shown &shown : visibleMessages(m_view))
                if (shown.item->property("firstUnread").toBool())
                    divided = shown.item;
            return divided != nullptr;
        }(),
        10000);
    QCOMPARE(divided->property("plainText").toString(), QStringLiteral("new 1"));
    auto *divider = divided->findChild<QQuickItem *>(QStringLiteral("unreadDivider"));
    QVERIFY(divider && divider->isVisible());
    int dividers = 0;
    for (const Shown &shown : visibleMessages(m_view))
        dividers += shown.item->property("firstUnread").toBool() ? 1 : 0;
    QCOMPARE(dividers, 1);
    shot(QStringLiteral("divider-plain"));

    // Read now: leaving and coming back shows no divider.
    m_chat->joinRoom(QStringLiteral("elsewhere"));
    m_chat->joinRoom(QStringLiteral("plain"));
    QTRY_COMPARE(m_chat->currentRoom(), QStringLiteral("plain"));
    QTRY_COMPARE(m_chat->messages()->firstUnreadRow(), -1);
}

// Reading older messages and then sending: the view goes down to what was just sent, as in any chat
// (it stayed where it was, so the sent message, and whether it went out, could not be seen).
void TestReadingPosition::sendingWhileScrolledUpShowsTheMessageSent()
{
    QCOMPARE(
        seed(QStringLiteral("busy"), 120, [](int n) { return QStringLiteral("m%1").arg(n); }).size(), 120);
    open(QStringLiteral("busy"));
    QTRY_COMPARE_WITH_TIMEOUT(bottomNumber(m_view), 120, 10000);
    auto *jump = m_page.find(QStringLiteral("jumpToLatest"));
    QVERIFY(jump);
    for (int i = 0; i < 3; ++i) {
        QTest::keyClick(window(), Qt::Key_PageUp);
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->property("moving").toBool(), 10000);
    }
    QTRY_VERIFY(jump->isVisible());
    QVERIFY(bottomNumber(m_view) < 120);

    typeInto(window(), QStringLiteral("mine"));
    QTest::keyClick(window(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(
        visibleTexts(m_view).value(visibleTexts(m_view).size() - 1), QStringLiteral("mine"), 10000);
    QTRY_VERIFY(!jump->isVisible());
    QVERIFY(m_view->property("atYEnd").toBool());
}

QTEST_MAIN(TestReadingPosition)
#include "tst_readingposition.moc"
