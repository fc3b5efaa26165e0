// What a screen reader (Orca over AT-SPI) hears: the chat page in a real window against a real
// server; every visible control a user can reach has an accessible name that says what it is (not
// an icon like "⋯"), rooms say their unread count, and a message says who wrote it, when and what.
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/MessageListModel.h"
#include "models/RoomListModel.h"

#include "RedisServerProcess.h"

#include <QAccessible>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

namespace {

QString accessibleName(QObject *item)
{
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(item);
    return iface ? iface->text(QAccessible::Name) : QString();
}

// What a screen reader hears for a control. With a screen reader listening, Qt Quick Controls name
// a button after its text when no Accessible.name is set; the offscreen platform has no
// accessibility bridge (QAccessible::isActive() is false), so that rule is applied here.
QString heardName(QQuickItem *item)
{
    const QString name = accessibleName(item);
    if (name.isEmpty() && item->inherits("QQuickAbstractButton"))
        return item->property("text").toString();
    return name;
}

bool isInteractive(const QQuickItem *item)
{
    for (const char *type :
        { "QQuickAbstractButton", "QQuickTextField", "QQuickTextArea", "QQuickComboBox" }) {
        if (item->inherits(type))
            return true;
    }
    return false;
}

// The visible items under `root`, depth first.
void collectVisible(QQuickItem *root, QList<QQuickItem *> &items)
{
    for (QQuickItem *child : root->childItems()) {
        if (!child->isVisible() || child->opacity() <= 0)
            continue;
        items.append(child);
        collectVisible(child, items);
    }
}

// A name a listener understands: at least one letter or digit (a "⋯" or "☺" alone says nothing).
bool saysSomething(const QString &name)
{
    return std::any_of(name.cbegin(), name.cend(), [](QChar c) { return c.isLetterOrNumber(); });
}

} // namespace

class TestAccessibility : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyVisibleControlHasAName();
    void aMessageSaysSenderTimeAndText();
    void aRoomSaysItsUnreadCount();
    void theComposerSaysItsRoom();

private:
    QQuickItem *findVisible(const QString &objectName) const;
    QQuickItem *findMessage(const QString &text) const;

    QQmlEngine m_engine;
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    std::unique_ptr<Redwire::ChatController> m_chat;
    std::unique_ptr<Redwire::ChatSettings> m_preferences;
    std::unique_ptr<QObject> m_window;
    QQuickWindow *m_quickWindow = nullptr;
};

void TestAccessibility::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_accessibility"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    m_preferences = std::make_unique<Redwire::ChatSettings>();
}

void TestAccessibility::init()
{
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    Redwire::ConnectionOptions options;
    options.port = m_server->port();
    m_chat = std::make_unique<Redwire::ChatController>();
    m_chat->start(options, QStringLiteral("alice"), { QStringLiteral("alpha"), QStringLiteral("beta") });
    QQmlComponent component(&m_engine);
    component.setData(
        "import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
        "Window { id: w; required property ChatController chat; width: 1280; height: 800; visible: true\n"
        "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences }\n"
        "  required property ChatSettings preferences }",
        QUrl(QStringLiteral("qrc:/accessibility.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    m_window.reset(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) } }));
    QVERIFY2(m_window, qPrintable(component.errorString()));
    m_quickWindow = qobject_cast<QQuickWindow *>(m_window.get());
    QVERIFY(m_quickWindow);
    QVERIFY(QTest::qWaitForWindowExposed(m_quickWindow));
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    for (const char *channel : { "alpha", "beta" })
        QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ "PUBSUB", "NUMSUB", channel }).endsWith("1"), 10000);
    Redwire::RoomListModel *rooms = m_chat->rooms();
    for (int row = 0; row < rooms->rowCount(); ++row) {
        if (rooms->data(rooms->index(row), Redwire::RoomListModel::NameRole).toString()
            == QStringLiteral("alpha"))
            m_chat->selectRow(row);
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->currentRoom(), QStringLiteral("alpha"), 10000);
    QVERIFY(m_chat->send(QStringLiteral("hello")));
    Redwire::MessageListModel *messages = m_chat->messages();
    QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() > 0
            && messages->data(
                   messages->index(messages->rowCount() - 1), Redwire::MessageListModel::PlainTextRole)
                == QStringLiteral("hello"),
        10000);
}

void TestAccessibility::cleanup()
{
    m_window.reset();
    if (m_chat)
        m_chat->stop();
    m_chat.reset();
    m_server.reset();
}

QQuickItem *TestAccessibility::findMessage(const QString &text) const
{
    QList<QQuickItem *> items;
    collectVisible(m_quickWindow->contentItem(), items);
    for (QQuickItem *item : items) {
        if (item->objectName() == QStringLiteral("messageDelegate")
            && item->property("plainText").toString() == text)
            return item;
    }
    return nullptr;
}

QQuickItem *TestAccessibility::findVisible(const QString &objectName) const
{
    QList<QQuickItem *> items;
    collectVisible(m_quickWindow->contentItem(), items);
    for (QQuickItem *item : items) {
        if (item->objectName() == objectName)
            return item;
    }
    return nullptr;
}

void TestAccessibility::everyVisibleControlHasAName()
{
    // The message's hover actions (↩ ☺ ⋯) are part of the walk too: hover the message first.
    QQuickItem *view = findVisible(QStringLiteral("messageView"));
    QVERIFY(view);
    QTRY_VERIFY_WITH_TIMEOUT(findMessage(QStringLiteral("hello")), 10000);
    QQuickItem *message = findMessage(QStringLiteral("hello"));
    QTest::mouseMove(
        m_quickWindow, message->mapToScene(QPointF(message->width() / 2, message->height() / 2)).toPoint());
    QTRY_VERIFY_WITH_TIMEOUT(findVisible(QStringLiteral("moreButton")), 10000);

    QList<QQuickItem *> items;
    collectVisible(m_quickWindow->contentItem(), items);
    int controls = 0;
    QStringList unnamed;
    for (QQuickItem *item : items) {
        if (!isInteractive(item))
            continue;
        ++controls;
        const QString name = heardName(item);
        if (!saysSomething(name))
            unnamed.append(
                QStringLiteral("%1 \"%2\" (%3)")
                    .arg(QString::fromLatin1(item->metaObject()->className()), name, item->objectName()));
    }
    QVERIFY2(controls >= 8, qPrintable(QString::number(controls)));
    QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(QStringLiteral("; "))));
}

void TestAccessibility::aMessageSaysSenderTimeAndText()
{
    QTRY_VERIFY_WITH_TIMEOUT(findMessage(QStringLiteral("hello")), 10000);
    QQuickItem *message = findMessage(QStringLiteral("hello"));
    QAccessibleInterface *iface = QAccessible::queryAccessibleInterface(message);
    QVERIFY(iface);
    QCOMPARE(iface->role(), QAccessible::ListItem);
    const QString name = iface->text(QAccessible::Name);
    const QString time = message->property("timestamp").toDateTime().toString(QStringLiteral("hh:mm"));
    QVERIFY2(name.startsWith(QStringLiteral("alice")), qPrintable(name));
    QVERIFY2(name.contains(time), qPrintable(name + QStringLiteral(" / ") + time));
    QVERIFY2(name.endsWith(QStringLiteral("hello")), qPrintable(name));
}

void TestAccessibility::aRoomSaysItsUnreadCount()
{
    m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("beta"), QStringLiteral("ping") });
    QQuickItem *beta = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            QList<QQuickItem *> items;
            collectVisible(m_quickWindow->contentItem(), items);
            for (QQuickItem *item : items) {
                if (item->property("roomName").toString() == QStringLiteral("beta")
                    && item->property("unread").toInt() == 1) {
                    beta = item;
                    return true;
                }
            }
            return false;
        }(),
        10000);
    const QString name = accessibleName(beta);
    QVERIFY2(name.contains(QStringLiteral("beta")), qPrintable(name));
    QVERIFY2(name.contains(QStringLiteral("1 unread")), qPrintable(name));
    QCOMPARE(QAccessible::queryAccessibleInterface(beta)->role(), QAccessible::ListItem);
}

void TestAccessibility::theComposerSaysItsRoom()
{
    QQuickItem *input = findVisible(QStringLiteral("composerInput"));
    QVERIFY(input);
    QCOMPARE(accessibleName(input), QStringLiteral("Message #alpha"));
    QQuickItem *send = findVisible(QStringLiteral("sendButton"));
    QVERIFY(send);
    QCOMPARE(accessibleName(send), QStringLiteral("Send"));
}

QTEST_MAIN(TestAccessibility)
#include "tst_accessibility.moc"
