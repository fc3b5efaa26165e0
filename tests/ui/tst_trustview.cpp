// Who said that, as the chat page shows it, against a real server: a member's profile (from the
// sender's name, the member list with the mouse or Space) with their safety number and ours; the
// KEY CHANGED banner and "Accept new key", after which the sender's messages are verified; the
// "no keychain" warning, shown once and dismissable; rows read from history checked when shown.
#include "chat/ChatSession.h"
#include "chat/Ed25519Key.h"
#include "chat/KeyFingerprint.h"
#include "chat/SenderTrust.h"
#include "chat/SenderVerifier.h"
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/SigningIdentity.h"

#include "RedisServerProcess.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using namespace Redwire;

namespace {

QQuickItem *shownItem(QQuickItem *from, const QString &name)
{
    if (!from || !from->isVisible())
        return nullptr;
    if (from->objectName() == name)
        return from;
    for (QQuickItem *child : from->childItems())
        if (QQuickItem *found = shownItem(child, name))
            return found;
    return nullptr;
}

} // namespace

class TestTrustView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void keyStorageWarningIsShownAndDismissable();
    void senderNameOpensTheProfileWithBothSafetyNumbers();
    void memberListOpensTheProfile();
    void changedKeyBannerAcceptTurnsMessagesVerified();
    void historyRowsAreCheckedWhenShown();

private:
    std::unique_ptr<ChatSession> signingSession(const QString &nickname, const Ed25519Key &key);
    QQuickItem *root() const { return qobject_cast<QQuickWindow *>(m_window.get())->contentItem(); }
    // The message delegate showing `text`, or null.
    QQuickItem *delegateFor(const QString &text) const;
    // What the delegate showing `text` says of its sender ("✓", "checking…", ...), in the
    // header of its run of messages.
    QString trustShownFor(const QString &text) const;
    // The SenderTrust the delegate showing `text` is given (also without a header), or -1.
    int trustOf(const QString &text) const;
    void click(QQuickItem *item);

    QTemporaryDir m_identity;
    QQmlEngine m_engine;
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    std::unique_ptr<ChatController> m_chat;
    std::unique_ptr<ChatSettings> m_preferences;
    std::unique_ptr<QObject> m_window;
    QQuickItem *m_view = nullptr;
};

void TestTrustView::initTestCase()
{
    // No keychain reachable: the key goes to a 0600 file, and the app must say so.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/redwire-test-bus");
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_trustview"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    m_preferences = std::make_unique<ChatSettings>();
    QVERIFY(m_identity.isValid());
}

void TestTrustView::init()
{
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    ConnectionOptions options;
    options.port = m_server->port();
    ChatConfig config;
    config.identityDirectory = m_identity.filePath(QString::fromLatin1(QTest::currentTestFunction()));
    m_chat = std::make_unique<ChatController>(config);
    m_chat->start(options, QStringLiteral("alice"), { QStringLiteral("chat") });
    QQmlComponent component(&m_engine);
    component.setData(
        "import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
        "Window { id: w; required property ChatController chat; width: 1000; height: 700; visible: true\n"
        "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences }\n"
        "  required property ChatSettings preferences }",
        QUrl(QStringLiteral("qrc:/trustview.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    m_window.reset(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) } }));
    QVERIFY2(m_window, qPrintable(component.errorString()));
    QVERIFY(QTest::qWaitForWindowExposed(qobject_cast<QWindow *>(m_window.get())));
    m_view = m_window->findChild<QQuickItem *>(QStringLiteral("messageView"));
    QVERIFY(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ "PUBSUB", "NUMSUB", "chat" }).endsWith("1"), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!m_chat->identity()->safetyNumber().isEmpty(), 10000);
}

void TestTrustView::cleanup()
{
    m_window.reset();
    if (m_chat)
        m_chat->stop();
    m_chat.reset();
    m_server.reset();
}

std::unique_ptr<ChatSession> TestTrustView::signingSession(const QString &nickname, const Ed25519Key &key)
{
    auto session = std::make_unique<ChatSession>();
    ConnectionOptions options;
    options.port = m_server->port();
    session->setConnectionOptions(options);
    session->setNickname(nickname);
    session->setSigningKey(key);
    session->connectToServer();
    ChatRoom *room = session->joinRoom(QStringLiteral("chat"));
    [&] { QTRY_VERIFY_WITH_TIMEOUT(room->isSynced(), 10000); }();
    return session;
}

QQuickItem *TestTrustView::delegateFor(const QString &text) const
{
    auto *content = m_view->property("contentItem").value<QQuickItem *>();
    for (QQuickItem *item : content->childItems())
        if (item->isVisible() && item->property("plainText").toString() == text)
            return item;
    return nullptr;
}

QString TestTrustView::trustShownFor(const QString &text) const
{
    QQuickItem *found = shownItem(delegateFor(text), QStringLiteral("senderTrust"));
    return found ? found->property("text").toString() : QString();
}

int TestTrustView::trustOf(const QString &text) const
{
    QQuickItem *item = delegateFor(text);
    return item ? item->property("senderTrust").toInt() : -1;
}

void TestTrustView::click(QQuickItem *item)
{
    QVERIFY(item);
    auto *window = qobject_cast<QQuickWindow *>(m_window.get());
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
}

void TestTrustView::keyStorageWarningIsShownAndDismissable()
{
    QTRY_VERIFY_WITH_TIMEOUT(shownItem(root(), QStringLiteral("keyStorageBanner")), 10000);
    const QString shown = shownItem(root(), QStringLiteral("keyStorageText"))->property("text").toString();
    QVERIFY2(shown.startsWith(QLatin1String("No keychain")), qPrintable(shown));
    QVERIFY2(shown.contains(m_identity.path()), qPrintable(shown)); // says where the key is
    click(shownItem(root(), QStringLiteral("dismissKeyStorage")));
    QTRY_VERIFY(!shownItem(root(), QStringLiteral("keyStorageBanner")));
}

void TestTrustView::senderNameOpensTheProfileWithBothSafetyNumbers()
{
    const Ed25519Key bobKey = Ed25519Key::generate();
    auto bob = signingSession(QStringLiteral("bob"), bobKey);
    QVERIFY(bob->roomAt(0)->sendMessage(QStringLiteral("hello alice")));
    QTRY_COMPARE_WITH_TIMEOUT(
        trustShownFor(QStringLiteral("hello alice")), QStringLiteral("✓ new key"), 15000);

    click(shownItem(delegateFor(QStringLiteral("hello alice")), QStringLiteral("senderName")));
    QObject *profile = m_window->findChild<QObject *>(QStringLiteral("memberProfile"));
    QVERIFY(profile);
    QTRY_VERIFY(profile->property("opened").toBool());
    QCOMPARE(profile->property("title").toString(), QStringLiteral("bob's profile"));
    const QString theirs = KeyFingerprint::safetyNumber(bobKey.publicKey());
    QCOMPARE(m_chat->identity()->safetyNumberOf(QStringLiteral("bob")), theirs);
    QCOMPARE(shownItem(root(), QStringLiteral("theirSafetyNumber"))->property("text").toString().simplified(),
        theirs);
    QCOMPARE(shownItem(root(), QStringLiteral("ourSafetyNumber"))->property("text").toString().simplified(),
        m_chat->identity()->safetyNumber());
    QVERIFY(!shownItem(root(), QStringLiteral("profileKeyChanged")));
    // Bob's own Redwire shows the same number as his.
    QCOMPARE(KeyFingerprint::safetyNumber(bob->senderVerifier()->signingKey().publicKey()), theirs);
    QTest::keyClick(qobject_cast<QWindow *>(m_window.get()), Qt::Key_Escape);
    QTRY_VERIFY(!profile->property("visible").toBool());
}

void TestTrustView::memberListOpensTheProfile()
{
    auto bob = signingSession(QStringLiteral("bob"), Ed25519Key::generate());
    QQuickItem *members = m_window->findChild<QQuickItem *>(QStringLiteral("memberList"));
    QVERIFY(members);
    QTRY_COMPARE_WITH_TIMEOUT(members->property("count").toInt(), 2, 15000);
    // Both online: the list's order is settled (online first, then by name).
    const auto rowOf = [members](const QString &nickname) -> QQuickItem * {
        const auto rows = members->property("contentItem").value<QQuickItem *>()->childItems();
        for (QQuickItem *row : rows)
            if (row->isVisible() && row->property("nickname").toString() == nickname)
                return row;
        return nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("bob"))
            && rowOf(QStringLiteral("bob"))->property("online").toBool() && rowOf(QStringLiteral("alice"))
            && rowOf(QStringLiteral("alice"))->property("online").toBool(),
        15000);
    QObject *profile = m_window->findChild<QObject *>(QStringLiteral("memberProfile"));
    // The mouse.
    QQuickItem *bobRow = rowOf(QStringLiteral("bob"));
    int bobIndex = -1; // the row's index in the list, from where it is laid out
    QVERIFY(QMetaObject::invokeMethod(members, "indexAt", Q_RETURN_ARG(int, bobIndex),
        Q_ARG(qreal, bobRow->x() + 1), Q_ARG(qreal, bobRow->y() + bobRow->height() / 2)));
    QVERIFY(bobIndex >= 0);
    click(bobRow);
    QTRY_VERIFY(profile->property("opened").toBool());
    QCOMPARE(profile->property("nickname").toString(), QStringLiteral("bob"));
    // Bob has sent nothing signed yet: no number to compare, said so.
    QVERIFY(shownItem(root(), QStringLiteral("theirSafetyNumber"))
                ->property("text")
                .toString()
                .startsWith(QLatin1String("No key known yet")));
    click(shownItem(root(), QStringLiteral("profileClose")));
    QTRY_VERIFY(!profile->property("visible").toBool());
    // The keyboard: the list's row, Space.
    members->forceActiveFocus();
    members->setProperty("currentIndex", bobIndex);
    QTest::keyClick(qobject_cast<QWindow *>(m_window.get()), Qt::Key_Space);
    QTRY_VERIFY(profile->property("opened").toBool());
    QCOMPARE(profile->property("nickname").toString(), QStringLiteral("bob"));
}

void TestTrustView::changedKeyBannerAcceptTurnsMessagesVerified()
{
    auto bob = signingSession(QStringLiteral("bob"), Ed25519Key::generate());
    QVERIFY(bob->roomAt(0)->sendMessage(QStringLiteral("before")));
    QTRY_COMPARE_WITH_TIMEOUT(trustShownFor(QStringLiteral("before")), QStringLiteral("✓ new key"), 15000);
    // Bob on a new device: a new key under the same name.
    bob.reset();
    const Ed25519Key newKey = Ed25519Key::generate();
    bob = signingSession(QStringLiteral("bob"), newKey);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->cli({ "HLEN", "redwire:{user:bob}:keys" }), QByteArray("2"), 10000);
    QVERIFY(bob->roomAt(0)->sendMessage(QStringLiteral("new laptop")));
    QTRY_COMPARE_WITH_TIMEOUT(
        trustShownFor(QStringLiteral("new laptop")), QStringLiteral("⚠ KEY CHANGED"), 15000);
    QTRY_VERIFY(shownItem(root(), QStringLiteral("keyChangedBanner:bob")));
    const QString warning = shownItem(root(), QStringLiteral("keyChangedText"))->property("text").toString();
    QVERIFY2(warning.contains(QLatin1String("KEY CHANGED")) && warning.contains(QLatin1String("bob")),
        qPrintable(warning));
    // The profile shows the new key's number next to the pinned one.
    click(shownItem(root(), QStringLiteral("compareKeys")));
    QObject *profile = m_window->findChild<QObject *>(QStringLiteral("memberProfile"));
    QTRY_VERIFY(profile->property("opened").toBool());
    QCOMPARE(shownItem(root(), QStringLiteral("newSafetyNumber"))->property("text").toString().simplified(),
        KeyFingerprint::safetyNumber(newKey.publicKey()));
    click(shownItem(root(), QStringLiteral("profileClose")));
    QTRY_VERIFY(!profile->property("visible").toBool());

    click(
        shownItem(shownItem(root(), QStringLiteral("keyChangedBanner:bob")), QStringLiteral("acceptNewKey")));
    QTRY_VERIFY(!shownItem(root(), QStringLiteral("keyChangedBanner:bob")));
    QVERIFY(bob->roomAt(0)->sendMessage(QStringLiteral("after accepting")));
    // Verified: it joins the run of "new laptop" (judged again: it was the accepted key), whose
    // header now says ✓.
    QTRY_COMPARE_WITH_TIMEOUT(trustOf(QStringLiteral("after accepting")), int(SenderTrust::Verified), 15000);
    // The message that raised the warning is judged again: it was the accepted key.
    QTRY_COMPARE_WITH_TIMEOUT(trustShownFor(QStringLiteral("new laptop")), QStringLiteral("✓"), 15000);
    QCOMPARE(m_chat->identity()->safetyNumberOf(QStringLiteral("bob")),
        KeyFingerprint::safetyNumber(newKey.publicKey()));
}

// Rows from history are not checked on arrival: each delegate shows "checking…" at first and
// its verdict once the view has asked for it (the model emits dataChanged).
void TestTrustView::historyRowsAreCheckedWhenShown()
{
    auto bob = signingSession(QStringLiteral("bob"), Ed25519Key::generate());
    ChatRoom *bobRoom = bob->roomAt(0);
    for (int i = 1; i <= 5; ++i)
        QVERIFY(bobRoom->sendMessage(QStringLiteral("stored %1").arg(i)));
    // The first of them checked pins bob's key ("✓ new key"), the others are verified.
    QTRY_VERIFY_WITH_TIMEOUT(trustOf(QStringLiteral("stored 5")) == int(SenderTrust::Verified)
            || trustOf(QStringLiteral("stored 5")) == int(SenderTrust::NewKey),
        15000);
    // Alice again, from scratch: her view reads the room's history.
    m_window.reset();
    m_chat->stop();
    m_chat.reset();
    ChatConfig config;
    m_chat = std::make_unique<ChatController>(config);
    ConnectionOptions options;
    options.port = m_server->port();
    m_chat->start(options, QStringLiteral("alice"), { QStringLiteral("chat") });
    QQmlComponent component(&m_engine);
    component.setData(
        "import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
        "Window { id: w; required property ChatController chat; width: 1000; height: 700; visible: true\n"
        "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences }\n"
        "  required property ChatSettings preferences }",
        QUrl(QStringLiteral("qrc:/trustview2.qml")));
    m_window.reset(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) } }));
    QVERIFY2(m_window, qPrintable(component.errorString()));
    m_view = m_window->findChild<QQuickItem *>(QStringLiteral("messageView"));
    QTRY_VERIFY_WITH_TIMEOUT(delegateFor(QStringLiteral("stored 1")), 15000);
    // Each starts unchecked (the model says Pending) and is checked once its delegate asks.
    for (int i = 1; i <= 5; ++i) {
        const QString text = QStringLiteral("stored %1").arg(i);
        QTRY_VERIFY_WITH_TIMEOUT(
            trustOf(text) == int(SenderTrust::Verified) || trustOf(text) == int(SenderTrust::NewKey), 15000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(
        trustShownFor(QStringLiteral("stored 1")).startsWith(QStringLiteral("✓")), 15000);
}

QTEST_MAIN(TestTrustView)
#include "tst_trustview.moc"
