// The chat page in a real window against a real server, with a second user (an engine session):
// alice edits her message through the message menu and the composer, and the delegate shows the
// new text and "(edited)"; bob's reply shows a quote whose click scrolls back to the original and
// lights it up; a reaction chip counts both users and toggles alice's.
#include "models/ChatController.h"
#include "models/MessageListModel.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/RoomTimeline.h"

#include "ChatPageWindow.h"
#include "RedisServerProcess.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using namespace Redwire;

namespace {
// An item by objectName among the visual descendants (items a Repeater makes are not QObject
// children of the delegate).
QQuickItem *findItem(QQuickItem *root, const QString &name)
{
    if (!root)
        return nullptr;
    for (QQuickItem *child : root->childItems()) {
        if (child->objectName() == name)
            return child;
        if (QQuickItem *found = findItem(child, name))
            return found;
    }
    return nullptr;
}
} // namespace

class TestMessageActions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void editThroughTheMenu();
    void replyQuoteGoesToTheOriginal();
    void reactionChipsCountAndToggle();

private:
    QQuickWindow *window() const { return m_page.window(); }
    QQuickItem *delegateFor(const QString &messageId) const
    {
        return RedwireTest::delegateFor(m_view, messageId);
    }
    QString idOf(const QString &text) const { return RedwireTest::idOfText(m_chat->messages(), text); }
    void click(QQuickItem *item)
    {
        QVERIFY(item);
        m_page.click(item);
    }
    void hover(QQuickItem *item)
    {
        QVERIFY(item);
        m_page.hover(item);
    }
    bool inViewport(QQuickItem *delegate) const;
    void shot(const QString &name) const { m_page.shot(name); }

    RedwireTest::ChatPageWindow m_page { QStringLiteral("tst_messageactions") };
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    ChatController *m_chat = nullptr;
    std::unique_ptr<ChatSession> m_bob;
    ChatRoom *m_bobRoom = nullptr;
    QQuickItem *m_view = nullptr;
};

void TestMessageActions::init()
{
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ConnectionOptions options;
    options.host = m_server->host();
    options.port = m_server->port();
    m_bob = std::make_unique<ChatSession>();
    m_bob->setConnectionOptions(options);
    m_bob->setNickname(QStringLiteral("bob"));
    m_bob->connectToServer();
    m_bobRoom = m_bob->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY_WITH_TIMEOUT(m_bobRoom->isSynced(), 10000);

    QVERIFY2(m_page.open(*m_server, QStringLiteral("alice"), { QStringLiteral("chat") }),
        qPrintable(m_page.errorString()));
    m_chat = m_page.chat();
    m_view = m_page.messageView();
    QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ "PUBSUB", "NUMSUB", "chat" }).endsWith("2"), 10000);
}

void TestMessageActions::cleanup()
{
    m_page.close();
    m_chat = nullptr;
    m_view = nullptr;
    m_bob.reset();
    m_server.reset();
}

bool TestMessageActions::inViewport(QQuickItem *delegate) const
{
    const qreal top = m_view->property("contentY").toReal();
    return delegate && delegate->y() + delegate->height() > top && delegate->y() < top + m_view->height();
}

void TestMessageActions::editThroughTheMenu()
{
    QVERIFY(m_chat->send(QStringLiteral("helo wrold")));
    QTRY_VERIFY_WITH_TIMEOUT(!idOf(QStringLiteral("helo wrold")).isEmpty(), 10000);
    const QString id = idOf(QStringLiteral("helo wrold"));
    QTRY_VERIFY_WITH_TIMEOUT(delegateFor(id), 10000);
    // Sent (stored): the message is no longer pending when alice edits it.
    QTRY_COMPARE_WITH_TIMEOUT(
        delegateFor(id)->property("delivery").toInt(), int(MessageListModel::Sent), 10000);

    QQuickItem *row = delegateFor(id);
    hover(row);
    auto *more = row->findChild<QQuickItem *>(QStringLiteral("moreButton"));
    QVERIFY(more);
    QTRY_VERIFY_WITH_TIMEOUT(more->isVisible(), 5000);
    click(more);
    auto *edit = m_page.find(QStringLiteral("editMenuItem"));
    QVERIFY(edit);
    QTRY_VERIFY_WITH_TIMEOUT(edit->isVisible() && edit->isEnabled() && edit->height() > 0, 5000);
    shot(QStringLiteral("edit-menu"));
    click(edit);

    auto *input = m_page.find(QStringLiteral("composerInput"));
    QVERIFY(input);
    QTRY_COMPARE_WITH_TIMEOUT(input->property("text").toString(), QStringLiteral("helo wrold"), 5000);
    QTRY_VERIFY(input->hasActiveFocus());
    auto *modeBar = m_page.find(QStringLiteral("composerModeBar"));
    QVERIFY(modeBar && modeBar->isVisible());
    input->setProperty("text", QStringLiteral("hello world"));
    QTest::keyClick(window(), Qt::Key_Return);

    // The same row shows the new text and the marker, for alice at once and for bob.
    QTRY_COMPARE_WITH_TIMEOUT(
        delegateFor(id)->property("plainText").toString(), QStringLiteral("hello world"), 10000);
    auto *marker = delegateFor(id)->findChild<QQuickItem *>(QStringLiteral("editedMarker"));
    QVERIFY(marker);
    QTRY_VERIFY(marker->isVisible());
    QCOMPARE(marker->property("text").toString(), QStringLiteral("(edited)"));
    QTRY_COMPARE_WITH_TIMEOUT(input->property("text").toString(), QString(), 5000);
    QVERIFY(!modeBar->isVisible());
    const int bobRow = m_bobRoom->timeline()->rowOfId(id);
    QVERIFY(bobRow >= 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_bobRoom->timeline()->at(m_bobRoom->timeline()->rowOfId(id)).text,
        QStringLiteral("hello world"), 10000);
    QVERIFY(m_bobRoom->timeline()->at(m_bobRoom->timeline()->rowOfId(id)).edited);
    // One row: the edit is not a message of its own.
    QCOMPARE(m_chat->messages()->rowOfId(id), m_chat->messages()->rowCount() - 1);
    shot(QStringLiteral("edited"));
}

void TestMessageActions::replyQuoteGoesToTheOriginal()
{
    QVERIFY(m_chat->send(QStringLiteral("the original question")));
    QTRY_VERIFY_WITH_TIMEOUT(!idOf(QStringLiteral("the original question")).isEmpty(), 10000);
    const QString original = idOf(QStringLiteral("the original question"));
    QTRY_VERIFY_WITH_TIMEOUT(m_bobRoom->timeline()->rowOfId(original) >= 0, 10000);
    // Enough of bob's messages to push the original out of view, then his reply.
    for (int n = 1; n <= 40; ++n)
        QVERIFY(m_bobRoom->sendMessage(QStringLiteral("filler %1").arg(n)));
    QVERIFY(m_bobRoom->sendMessage(QStringLiteral("the answer"), original));
    QTRY_VERIFY_WITH_TIMEOUT(!idOf(QStringLiteral("the answer")).isEmpty(), 10000);
    const QString reply = idOf(QStringLiteral("the answer"));
    QTRY_VERIFY_WITH_TIMEOUT(inViewport(delegateFor(reply)), 10000);
    QVERIFY(!inViewport(delegateFor(original)));

    auto *quote = delegateFor(reply)->findChild<QQuickItem *>(QStringLiteral("replyQuote"));
    QVERIFY(quote);
    QTRY_VERIFY(quote->isVisible());
    QCOMPARE(delegateFor(reply)->property("quoteSender").toString(), QStringLiteral("alice"));
    QCOMPARE(delegateFor(reply)->property("quoteText").toString(), QStringLiteral("the original question"));
    shot(QStringLiteral("reply"));
    click(quote);

    QTRY_VERIFY_WITH_TIMEOUT(inViewport(delegateFor(original)), 5000);
    QTRY_VERIFY(delegateFor(original)->property("quoteJumpHighlighted").toBool());
    shot(QStringLiteral("jumped"));
    // The light goes out again.
    QTRY_VERIFY_WITH_TIMEOUT(!delegateFor(original)->property("quoteJumpHighlighted").toBool(), 5000);
}

void TestMessageActions::reactionChipsCountAndToggle()
{
    QVERIFY(m_bobRoom->sendMessage(QStringLiteral("release is out")));
    QTRY_VERIFY_WITH_TIMEOUT(!idOf(QStringLiteral("release is out")).isEmpty(), 10000);
    const QString id = idOf(QStringLiteral("release is out"));
    QVERIFY(m_bobRoom->toggleReaction(id, QStringLiteral("😮")));
    QTRY_VERIFY_WITH_TIMEOUT(delegateFor(id) && findItem(delegateFor(id), QStringLiteral("reaction:😮"))
            && findItem(delegateFor(id), QStringLiteral("reaction:😮"))->isVisible(),
        10000);
    QQuickItem *chip = findItem(delegateFor(id), QStringLiteral("reaction:😮"));
    QCOMPARE(chip->property("text").toString(), QStringLiteral("😮 1"));
    click(chip); // alice adds hers
    QTRY_COMPARE_WITH_TIMEOUT(
        findItem(delegateFor(id), QStringLiteral("reaction:😮"))->property("text").toString(),
        QStringLiteral("😮 2"), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(
        m_bobRoom->timeline()->at(m_bobRoom->timeline()->rowOfId(id)).reactions.value(0).count, 2, 10000);
    shot(QStringLiteral("reactions"));
    click(findItem(delegateFor(id), QStringLiteral("reaction:😮"))); // and takes it back
    QTRY_COMPARE_WITH_TIMEOUT(
        findItem(delegateFor(id), QStringLiteral("reaction:😮"))->property("text").toString(),
        QStringLiteral("😮 1"), 10000);
}

QTEST_MAIN(TestMessageActions)
#include "tst_messageactions.moc"
