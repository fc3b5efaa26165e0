// The chat page in a real window against a real server, asserting what the message view's
// delegates show: after a tall message in one room and a switch to another, the view shows only
// the other room's messages, in order, from its first row; long messages are collapsed.
#include "models/ChatController.h"
#include "models/MessageListModel.h"

#include "ChatPageWindow.h"
#include "RedisServerProcess.h"

#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using RedwireTest::visibleTexts;

class TestChatView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void switchingAfterATallMessageShowsOnlyTheNewRoom_data();
    void switchingAfterATallMessageShowsOnlyTheNewRoom();
    void longMessagesAreCollapsed();

private:
    QStringList publishAndWait(const QString &channel, const QStringList &payloads, const QString &room);
    QStringList modelTexts() const { return RedwireTest::modelTexts(m_page.chat()->messages()); }

    RedwireTest::ChatPageWindow m_page { QStringLiteral("tst_chatview") };
    std::unique_ptr<RedwireTest::RedisServerProcess> m_server;
    QQuickItem *m_view = nullptr;
};

void TestChatView::init()
{
    m_server = std::make_unique<RedwireTest::RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QVERIFY2(
        m_page.open(*m_server, QStringLiteral("alice"), { QStringLiteral("alpha"), QStringLiteral("beta") }),
        qPrintable(m_page.errorString()));
    m_view = m_page.messageView();
}

void TestChatView::cleanup()
{
    m_page.close();
    m_server.reset();
}

// Publishes to `channel` (plain redis-cli messages) and waits until the room's model has them.
QStringList TestChatView::publishAndWait(
    const QString &channel, const QStringList &payloads, const QString &room)
{
    for (const QString &payload : payloads)
        m_server->cli({ QStringLiteral("PUBLISH"), channel, payload });
    [&] { QVERIFY(m_page.selectRoom(room)); }();
    Redwire::MessageListModel *messages = m_page.chat()->messages();
    [&] {
        QTRY_VERIFY_WITH_TIMEOUT(messages->rowCount() >= payloads.size()
                && messages
                        ->data(messages->index(messages->rowCount() - 1),
                            Redwire::MessageListModel::PlainTextRole)
                        .toString()
                    == payloads.last(),
            10000);
    }();
    return modelTexts();
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
        QVERIFY(m_page.selectRoom(QStringLiteral("beta")));
        // Everything beta holds fits the window: the view shows exactly that, in order.
        m_page.shot(QStringLiteral("beta-%1-%2").arg(QLatin1String(QTest::currentDataTag())).arg(round));
        // A late notice (for example "joined") may add a row to beta after betaRows was taken, so
        // the view is compared with what beta's model holds now, and beta's messages must be in it.
        QTRY_COMPARE_WITH_TIMEOUT(visibleTexts(m_view), modelTexts(), 5000);
        QVERIFY(QTest::qWaitForWindowExposed(m_page.window()));
        QCOMPARE(visibleTexts(m_view), modelTexts());
        for (const QString &text : betaRows)
            QVERIFY2(visibleTexts(m_view).contains(text), qPrintable(text));
        for (const QString &text : visibleTexts(m_view))
            QVERIFY2(text != tall && text != QStringLiteral("short after tall"),
                qPrintable(QStringLiteral("beta shows alpha's %1").arg(text.left(40))));

        QVERIFY(m_page.selectRoom(QStringLiteral("alpha")));
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
    m_page.click(more);
    Redwire::MessageListModel *messages = m_page.chat()->messages();
    QTRY_COMPARE(
        messages->data(messages->index(messages->rowCount() - 2), Redwire::MessageListModel::ExpandedRole)
            .toBool(),
        true);
    QTRY_VERIFY(findTall() && !findTall()->property("collapsed").toBool());
    // A null check first: the delegate can be made again between two tries.
    QTRY_VERIFY(findTall() && findTall()->height() > m_view->height());
    // The view still ends with the newest message.
    QTRY_VERIFY(visibleTexts(m_view).contains(QStringLiteral("next")));
}

QTEST_MAIN(TestChatView)
#include "tst_chatview.moc"
