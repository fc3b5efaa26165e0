#include "ChatPageWindow.h"

#include "RedisServerProcess.h"

#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/MessageListModel.h"
#include "models/RoomListModel.h"
#include "redis/RedisClient.h"

#include <QCoreApplication>
#include <QHash>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <algorithm>

namespace RedwireTest {

namespace {
// Generous: CI runs the UI tests under ASan on a loaded machine.
constexpr int SettleTimeoutMs = 20000;

const char PageQml[] = "import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                       "Window { id: w; required property ChatController chat\n"
                       "  required property ChatSettings preferences; visible: true\n"
                       "  ChatPage { anchors.fill: parent; chat: w.chat; preferences: w.preferences } }";
} // namespace

ChatPageWindow::ChatPageWindow(const QString &applicationName)
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("tests.redwire.invalid"));
    QCoreApplication::setApplicationName(applicationName);
    m_engine = std::make_unique<QQmlEngine>();
    m_engine->addImportPath(QStringLiteral("qrc:/"));
    m_preferences = std::make_unique<Redwire::ChatSettings>();
}

ChatPageWindow::~ChatPageWindow()
{
    close();
}

QQuickWindow *ChatPageWindow::window() const
{
    return m_window.get();
}

bool ChatPageWindow::open(
    RedisServerProcess &server, const QString &nickname, const QStringList &rooms, QSize size)
{
    close();
    m_error.clear();
    // Others (a second user) may be in the rooms already: alice's subscription adds one.
    const auto subscribers = [&server](const QString &room) {
        return server.cli({ QStringLiteral("PUBSUB"), QStringLiteral("NUMSUB"), room })
            .split('\n')
            .value(1)
            .toInt();
    };
    QHash<QString, int> before;
    for (const QString &room : rooms)
        before.insert(room, subscribers(room));
    Redwire::ConnectionOptions options;
    options.host = server.host();
    options.port = server.port();
    m_chat = std::make_unique<Redwire::ChatController>();
    m_chat->start(options, nickname, rooms);
    QQmlComponent component(m_engine.get());
    component.setData(PageQml, QUrl(QStringLiteral("qrc:/chatpagewindow.qml")));
    std::unique_ptr<QObject> object(
        component.createWithInitialProperties({ { QStringLiteral("chat"), QVariant::fromValue(m_chat.get()) },
            { QStringLiteral("preferences"), QVariant::fromValue(m_preferences.get()) },
            { QStringLiteral("width"), size.width() }, { QStringLiteral("height"), size.height() } }));
    m_window.reset(qobject_cast<QQuickWindow *>(object.get()));
    if (!m_window) {
        m_error = QStringLiteral("ChatPage: %1").arg(component.errorString());
        return false;
    }
    object.release();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        m_error = QStringLiteral("the window was never exposed");
        return false;
    }
    m_window->requestActivate();
    m_view = m_window->findChild<QQuickItem *>(QStringLiteral("messageView"));
    if (!m_view) {
        m_error = QStringLiteral("no messageView");
        return false;
    }
    const auto connected
        = [&] { return m_chat->connectionState() == Redwire::RedisClient::ClientState::Connected; };
    if (!QTest::qWaitFor(connected, SettleTimeoutMs)) {
        m_error = QStringLiteral("not connected (state %1)").arg(int(m_chat->connectionState()));
        return false;
    }
    for (const QString &room : rooms) {
        if (!QTest::qWaitFor([&] { return subscribers(room) > before.value(room); }, SettleTimeoutMs)) {
            m_error = QStringLiteral("%1 never subscribed").arg(room);
            return false;
        }
    }
    return true;
}

void ChatPageWindow::close()
{
    m_view = nullptr;
    m_window.reset();
    if (m_chat)
        m_chat->stop();
    m_chat.reset();
}

QQuickItem *ChatPageWindow::find(const QString &objectName) const
{
    return m_window ? m_window->findChild<QQuickItem *>(objectName) : nullptr;
}

bool ChatPageWindow::selectRoom(const QString &name)
{
    m_chat->rooms()->select(rowOfRoom(m_chat->rooms(), name));
    return QTest::qWaitFor([&] { return m_chat->currentRoom() == name; }, SettleTimeoutMs);
}

void ChatPageWindow::click(QQuickItem *item) const
{
    if (!item)
        return;
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(m_window.get(), Qt::LeftButton, {}, centre.toPoint());
}

void ChatPageWindow::hover(QQuickItem *item) const
{
    if (!item)
        return;
    const QPointF point = item->mapToScene(QPointF(item->width() / 3, item->height() / 2));
    QTest::mouseMove(m_window.get(), point.toPoint());
}

void ChatPageWindow::shot(const QString &name) const
{
    if (!qEnvironmentVariableIsSet("REDWIRE_VIEW_SHOTS") || !m_window)
        return;
    // What the window shows once the next frame is drawn.
    QSignalSpy swapped(m_window.get(), &QQuickWindow::frameSwapped);
    m_window->contentItem()->update();
    swapped.wait(5000);
    m_window->grabWindow().save(
        QStringLiteral("%1/%2.png").arg(qEnvironmentVariable("REDWIRE_VIEW_SHOTS"), name));
}

QList<ShownMessage> visibleMessages(QQuickItem *view)
{
    auto *content = view->property("contentItem").value<QQuickItem *>();
    const qreal top = view->property("contentY").toReal();
    const qreal bottom = top + view->height();
    QList<ShownMessage> shown;
    for (QQuickItem *item : content->childItems()) {
        if (!item->isVisible() || item->property("plainText").isNull())
            continue;
        if (item->y() + item->height() <= top || item->y() >= bottom)
            continue;
        shown.append({ item, item->property("plainText").toString() });
    }
    std::sort(shown.begin(), shown.end(),
        [](const ShownMessage &a, const ShownMessage &b) { return a.item->y() < b.item->y(); });
    return shown;
}

QStringList visibleTexts(QQuickItem *view)
{
    QStringList texts;
    for (const ShownMessage &shown : visibleMessages(view))
        texts.append(shown.text);
    return texts;
}

QQuickItem *delegateFor(QQuickItem *view, const QString &messageId)
{
    auto *content = view->property("contentItem").value<QQuickItem *>();
    for (QQuickItem *item : content->childItems())
        if (item->property("messageId").toString() == messageId && item->isVisible())
            return item;
    return nullptr;
}

QStringList modelTexts(const Redwire::MessageListModel *messages)
{
    QStringList texts;
    for (int row = 0; row < messages->rowCount(); ++row)
        texts.append(
            messages->data(messages->index(row), Redwire::MessageListModel::PlainTextRole).toString());
    return texts;
}

QString idOfText(const Redwire::MessageListModel *messages, const QString &text)
{
    for (int row = 0; row < messages->rowCount(); ++row)
        if (messages->data(messages->index(row), Redwire::MessageListModel::PlainTextRole).toString() == text)
            return messages->data(messages->index(row), Redwire::MessageListModel::MessageIdRole).toString();
    return {};
}

int rowOfRoom(const Redwire::RoomListModel *rooms, const QString &name)
{
    for (int row = 0; row < rooms->rowCount(); ++row)
        if (rooms->data(rooms->index(row), Redwire::RoomListModel::NameRole).toString() == name)
            return row;
    return -1;
}

} // namespace RedwireTest
