// The chat page in a real window against a real server, asserting what the message view's
// delegates show: after a tall message in one room and a switch to another, the view shows only
// the other room's messages, in order, from its first row; long messages are collapsed.
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/MessageListModel.h"
#include "models/RoomListModel.h"

#include "RedisServerProcess.h"

#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

namespace {

// The message delegates laid out in the view's visible area, top to bottom: their plain text.
QStringList visibleTexts(QQuickItem *view)
{
    auto *content = view->property("contentItem").value<QQuickItem *>();
    const qreal top = view->property("contentY").toReal();
    const qreal bottom = top + view->height();
    QList<QQuickItem *> items;
    for (QQuickItem *item : content->childItems()) {
        if (!item->isVisible() || item->property("plainText").isNull())
            continue;
        if (item->y() + item->height() <= top || item->y() >= bottom)
            continue;
        items.append(item);
    }
    std::sort(items.begin(), items.end(), [](QQuickItem *a, QQuickItem *b) { return a->y() < b->y(); });
    QStringList texts;
    for (QQuickItem *item : items)
        texts.append(item->property("plainText").toString());
    return texts;
}

int rowOfRoom(Redwire::RoomListModel *rooms, const QString &name)
{
    for (int row = 0; row < rooms->rowCount(); ++row)
        if (rooms->data(rooms->index(row), Redwire::RoomListModel::NameRole).toString() == name)
            return row;
    return -1;
}

} // namespace

class TestChatView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void switchingAfterATallMessageShowsOnlyTheNewRoom_data();
    void switchingAfterATallMessageShowsOnlyTheNewRoom();
    void longMessagesAreCollapsed();

private:
    QStringList publishAndWait(const QString &channel, const QStringList &payloads, const QString &room);
    QStringList modelTexts() const;

    QQmlEngine m_engine;
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    std::unique_ptr<Redwire::ChatController> m_chat;
    std::unique_ptr<Redwire::ChatSettings> m_preferences;
    std::unique_ptr<QObject> m_window;
    QQuickItem *m_view = nullptr;
};

void TestChatView::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_chatview"));
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    m_preferences = std::make_unique<Redwire::ChatSettings>();
}

void TestChatView::init()
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
        "Window { id: w; required property ChatController chat; width: 900; height: 600; visible: true\n"
        "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences }\n"
        "  required property ChatSettings preferences }",
        QUrl(QStringLiteral("qrc:/chatview.qml")));
    QVERIFY2(component.isReady(), qPrintable(component.errorString()));
    m_window.reset(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) } }));
    QVERIFY2(m_window, qPrintable(component.errorString()));
    QVERIFY(QTest::qWaitForWindowExposed(qobject_cast<QWindow *>(m_window.get())));
    m_view = m_window->findChild<QQuickItem *>(QStringLiteral("messageView"));
    QVERIFY(m_view);
    QTRY_COMPARE_WITH_TIMEOUT(m_chat->connectionState(), Redwire::RedisClient::ClientState::Connected, 10000);
    for (const char *channel : { "alpha", "beta" })
        QTRY_VERIFY_WITH_TIMEOUT(m_server->cli({ "PUBSUB", "NUMSUB", channel }).endsWith("1"), 10000);
}

void TestChatView::cleanup()
{
    m_window.reset();
    if (m_chat)
        m_chat->stop();
    m_chat.reset();
    m_server.reset();
}

// Publishes to `channel` (plain redis-cli messages) and waits until the room's model has them.
QStringList TestChatView::publishAndWait(
    const QString &channel, const QStringList &payloads, const QString &room)
{
    for (const QString &payload : payloads)
        m_server->cli({ QStringLiteral("PUBLISH"), channel, payload });
    m_chat->selectRow(rowOfRoom(m_chat->rooms(), room));
    [&] { QTRY_COMPARE_WITH_TIMEOUT(m_chat->currentRoom(), room, 5000); }();
    Redwire::MessageListModel *messages = m_chat->messages();
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() >= payloads.size()
                && messages
                        ->data(messages->index(messages->rowCount() - 1),
                            Redwire::MessageListModel::PlainTextRole)
                        .toString()
                    == payloads.last(),
            5000);
    }();
    return modelTexts();
}

// What the current room's model holds, in order: what the view must show when it all fits.
QStringList TestChatView::modelTexts() const
{
    Redwire::MessageListModel *messages = m_chat->messages();
    QStringList texts;
    for (int row = 0; row < messages->rowCount(); ++row)
        texts.append(
            messages->data(messages->index(row), Redwire::MessageListModel::PlainTextRole).toString());
    return texts;
}

void TestChatView::switchingAfterATallMessageShowsOnlyTheNewRoom_data()
{
    QTest::addColumn<QString>("tall");
    QStringList lines;
    for (int i = 1; i <= 60; ++i)
        lines.append(QStringLiteral("log line %1: something happened here").arg(i));
    QTest::newRow("60-line paste") << lines.join(QLatin1Char('\n'));
    QTest::newRow("60 KB") << QString(60 * 1000, QLatin1Char('x'));
    QTest::newRow("500 newlines") << QStringLiteral("top") + QString(500, QLatin1Char('\n'))
            + QStringLiteral("end");
}

void TestChatView::switchingAfterATallMessageShowsOnlyTheNewRoom()
{
    QFETCH(QString, tall);
    QStringList beta;
    for (int i = 1; i <= 6; ++i)
        beta.append(QStringLiteral("beta message %1").arg(i));
    const QStringList betaRows = publishAndWait(QStringLiteral("beta"), beta, QStringLiteral("beta"));
    const QStringList alphaRows = publishAndWait(
        QStringLiteral("alpha"), { tall, QStringLiteral("short after tall") }, QStringLiteral("alpha"));
    QTRY_VERIFY_WITH_TIMEOUT(visibleTexts(m_view).contains(QStringLiteral("short after tall")), 5000);

    for (int round = 0; round < 3; ++round) {
        m_chat->selectRow(rowOfRoom(m_chat->rooms(), QStringLiteral("beta")));
        QTRY_COMPARE_WITH_TIMEOUT(m_chat->currentRoom(), QStringLiteral("beta"), 5000);
        // Everything beta holds fits the window: the view shows exactly that, in order.
        if (qEnvironmentVariableIsSet("REDWIRE_VIEW_SHOTS")) {
            QTest::qWait(500);
            qobject_cast<QQuickWindow *>(m_window.get())
                ->grabWindow()
                .save(QStringLiteral("%1/beta-%2-%3.png")
                          .arg(qEnvironmentVariable("REDWIRE_VIEW_SHOTS"), QTest::currentDataTag())
                          .arg(round));
        }
        // A late notice (for example "joined") may add a row to beta after betaRows was taken, so
        // the view is compared with what beta's model holds now, and beta's messages must be in it.
        QTRY_COMPARE_WITH_TIMEOUT(visibleTexts(m_view), modelTexts(), 5000);
        QVERIFY(QTest::qWaitForWindowExposed(qobject_cast<QWindow *>(m_window.get())));
        QCOMPARE(visibleTexts(m_view), modelTexts());
        for (const QString &text : betaRows)
            QVERIFY2(visibleTexts(m_view).contains(text), qPrintable(text));
        for (const QString &text : visibleTexts(m_view))
            QVERIFY2(text != tall && text != QStringLiteral("short after tall"),
                qPrintable(QStringLiteral("beta shows alpha's %1").arg(text.left(40))));

        m_chat->selectRow(rowOfRoom(m_chat->rooms(), QStringLiteral("alpha")));
        QTRY_COMPARE_WITH_TIMEOUT(m_chat->currentRoom(), QStringLiteral("alpha"), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(visibleTexts(m_view).contains(QStringLiteral("short after tall")), 5000);
        for (const QString &text : visibleTexts(m_view))
            QVERIFY2(
                alphaRows.contains(text), qPrintable(QStringLiteral("alpha shows %1").arg(text.left(40))));
    }
}

void TestChatView::longMessagesAreCollapsed()
{
    QStringList lines;
    for (int i = 1; i <= 200; ++i)
        lines.append(QStringLiteral("line %1").arg(i));
    publishAndWait(QStringLiteral("alpha"), { lines.join(QLatin1Char('\n')), QStringLiteral("next") },
        QStringLiteral("alpha"));
    // The new message below the tall one is in view (the view follows while at the bottom).
    QTRY_VERIFY_WITH_TIMEOUT(visibleTexts(m_view).contains(QStringLiteral("next")), 5000);
    auto findTall = [this]() -> QQuickItem * {
        auto *content = m_view->property("contentItem").value<QQuickItem *>();
        for (QQuickItem *item : content->childItems())
            if (item->property("plainText").toString().startsWith(QLatin1String("line 1\n")))
                return item;
        return nullptr;
    };
    QQuickItem *tall = findTall();
    QVERIFY(tall);
    QVERIFY2(tall->height() < m_view->height(),
        qPrintable(
            QStringLiteral("collapsed height %1 in a view of %2").arg(tall->height()).arg(m_view->height())));
    QCOMPARE(tall->property("collapsed").toBool(), true);
    auto *more = tall->findChild<QQuickItem *>(QStringLiteral("showMore"));
    QVERIFY(more && more->isVisible());
    // A real click, where a person would click. The model keeps the choice, so a delegate made
    // again (scrolled away and back) shows the message whole too.
    auto *window = qobject_cast<QQuickWindow *>(m_window.get());
    const QPointF centre = more->mapToScene(QPointF(more->width() / 2, more->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
    Redwire::MessageListModel *messages = m_chat->messages();
    QTRY_COMPARE(
        messages->data(messages->index(messages->rowCount() - 2), Redwire::MessageListModel::ExpandedRole)
            .toBool(),
        true);
    QTRY_VERIFY(findTall() && !findTall()->property("collapsed").toBool());
    QTRY_VERIFY(findTall()->height() > m_view->height());
    // The view still ends with the newest message.
    QTRY_VERIFY(visibleTexts(m_view).contains(QStringLiteral("next")));
}

QTEST_MAIN(TestChatView)
#include "tst_chatview.moc"
