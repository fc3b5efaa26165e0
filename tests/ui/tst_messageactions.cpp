// The chat page in a real window against a real server, with a second user (an engine session):
// alice edits her message through the message menu and the composer, and the delegate shows the
// new text and "(edited)"; bob's reply shows a quote whose click scrolls back to the original and
// lights it up; a reaction chip counts both users and toggles alice's.
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/MessageListModel.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/RoomTimeline.h"

#include "RedisServerProcess.h"

#include <QQmlComponent>
#include <QQmlEngine>
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
    void initTestCase();
    void init();
    void cleanup();
    void editThroughTheMenu();
    void replyQuoteGoesToTheOriginal();
    void reactionChipsCountAndToggle();

private:
    QQuickWindow *window() const { return qobject_cast<QQuickWindow *>(m_window.get()); }
    QQuickItem *delegateFor(const QString &messageId) const;
    QString idOf(const QString &text) const;
    void click(QQuickItem *item);
    void hover(QQuickItem *item);
    bool inViewport(QQuickItem *delegate) const;
    void shot(const QString &name);

    QQmlEngine m_engine;
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    std::unique_ptr<ChatController> m_chat;
    std::unique_ptr<ChatSession> m_bob;
    ChatRoom *m_bobRoom = nullptr;
    std::unique_ptr<ChatSettings> m_preferences;
    std::unique_ptr<QObject> m_window;
    QQuickItem *m_view = nullptr;
};

void TestMessageActions::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_messageactions"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    m_preferences = std::make_unique<ChatSettings>();
}

void TestMessageActions::init()
{
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ConnectionOptions options;
    options.port = m_server->port();
    m_chat = std::make_unique<ChatController>();
    m_chat->start(options, QStringLiteral("alice"), { QStringLiteral("chat") });
    m_bob = std::make_unique<ChatSession>();
    m_bob->setConnectionOptions(options);
    m_bob->setNickname(QStringLiteral("bob"));
    m_bob->connectToServer();
    m_bobRoom = m_bob->joinRoom(QStringLiteral("chat"));

    QQmlComponent component(&m_engine);
    component.setData(
        "import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
        "Window { id: w; required property ChatController chat; width: 900; height: 600; visible: true\n"
        "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences }\n"
        "  required property ChatSettings preferences }",
        QUrl(QStringLiteral("qrc:/messageactions.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    m_window.reset(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) } }));
    QVERIFY2(m_window, qPrintable(component.errorString()));
    QVERIFY(QTest::qWaitForWindowExposed(window()));
    m_view = m_window->findChild<QQuickItem *>(QStringLiteral("messageView"));
    QVERIFY(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_bobRoom->isSynced(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ "PUBSUB", "NUMSUB", "chat" }).endsWith("2"), 10000);
}

void TestMessageActions::cleanup()
{
    m_window.reset();
    if (m_chat)
        m_chat->stop();
    m_chat.reset();
    m_bob.reset();
    m_server.reset();
}

void TestMessageActions::shot(const QString &name)
{
    if (!qEnvironmentVariableIsSet("REDWIRE_VIEW_SHOTS"))
        return;
    QTest::qWait(300);
    window()->grabWindow().save(
        QStringLiteral("%1/%2.png").arg(qEnvironmentVariable("REDWIRE_VIEW_SHOTS"), name));
}

QQuickItem *TestMessageActions::delegateFor(const QString &messageId) const
{
    auto *content = m_view->property("contentItem").value<QQuickItem *>();
    for (QQuickItem *item : content->childItems())
        if (item->property("messageId").toString() == messageId && item->isVisible())
            return item;
    return nullptr;
}

QString TestMessageActions::idOf(const QString &text) const
{
    MessageListModel *messages = m_chat->messages();
    for (int row = 0; row < messages->rowCount(); ++row)
        if (messages->data(messages->index(row), MessageListModel::PlainTextRole).toString() == text)
            return messages->data(messages->index(row), MessageListModel::MessageIdRole).toString();
    return {};
}

void TestMessageActions::click(QQuickItem *item)
{
    QVERIFY(item);
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window(), Qt::LeftButton, {}, centre.toPoint());
}

void TestMessageActions::hover(QQuickItem *item)
{
    QVERIFY(item);
    const QPointF point = item->mapToScene(QPointF(item->width() / 3, item->height() / 2));
    QTest::mouseMove(window(), point.toPoint());
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
    auto *edit = m_window->findChild<QQuickItem *>(QStringLiteral("editMenuItem"));
    QVERIFY(edit);
    QTRY_VERIFY_WITH_TIMEOUT(edit->isVisible() && edit->isEnabled() && edit->height() > 0, 5000);
    shot(QStringLiteral("edit-menu"));
    click(edit);

    auto *input = m_window->findChild<QQuickItem *>(QStringLiteral("composerInput"));
    QVERIFY(input);
    QTRY_COMPARE_WITH_TIMEOUT(input->property("text").toString(), QStringLiteral("helo wrold"), 5000);
    QTRY_VERIFY(input->hasActiveFocus());
    auto *modeBar = m_window->findChild<QQuickItem *>(QStringLiteral("composerModeBar"));
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
