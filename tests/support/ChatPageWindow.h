#pragma once

// The chat page (ChatPage.qml) in a window of its own, driven by a real ChatController against a
// test server: the fixture of the chat UI tests, and what they read from the message view.
#include <QList>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

class QQmlEngine;
class QQuickItem;
class QQuickWindow;

namespace Redwire {
class ChatController;
class ChatSettings;
class MessageListModel;
class RoomListModel;
} // namespace Redwire

namespace RedwireTest {

class RedisServerProcess;

class ChatPageWindow
{
public:
    // Names the application (settings and data go to QStandardPaths' test locations) and makes
    // the QML engine, once per test executable.
    explicit ChatPageWindow(const QString &applicationName);
    ~ChatPageWindow();

    // Starts `nickname`'s chat in `rooms` on `server` and shows the page in a window of `size`;
    // true once it is exposed, connected and every room is subscribed on the server.
    bool open(RedisServerProcess &server, const QString &nickname, const QStringList &rooms,
        QSize size = QSize(900, 600));
    // Closes the window and stops the chat.
    void close();
    QString errorString() const { return m_error; }

    Redwire::ChatController *chat() const { return m_chat.get(); }
    QQuickWindow *window() const;
    // The message list (objectName "messageView").
    QQuickItem *messageView() const { return m_view; }
    // An item of the page by objectName (QObject children: not Repeater-made or popup items).
    QQuickItem *find(const QString &objectName) const;

    // Selects the room by name and waits until it is the current one.
    bool selectRoom(const QString &name);
    // Clicks, or moves the mouse to, the middle of an item, as a person would.
    void click(QQuickItem *item) const;
    void hover(QQuickItem *item) const;
    // With REDWIRE_VIEW_SHOTS set: the window saved as <that folder>/<name>.png.
    void shot(const QString &name) const;

private:
    std::unique_ptr<QQmlEngine> m_engine;
    std::unique_ptr<Redwire::ChatSettings> m_preferences;
    std::unique_ptr<Redwire::ChatController> m_chat;
    std::unique_ptr<QQuickWindow> m_window;
    QQuickItem *m_view = nullptr;
    QString m_error;
};

// A message delegate at least partly inside the view, and the text it shows.
struct ShownMessage
{
    QQuickItem *item;
    QString text;
};

// The message delegates laid out in the view's visible area, top to bottom.
QList<ShownMessage> visibleMessages(QQuickItem *view);
// Their plain text.
QStringList visibleTexts(QQuickItem *view);
// The delegate of a message by id, when the view has one made and visible.
QQuickItem *delegateFor(QQuickItem *view, const QString &messageId);
// What a message model holds, in order: what the view must show when it all fits.
QStringList modelTexts(const Redwire::MessageListModel *messages);
// The id of the first message with this text; empty when there is none.
QString idOfText(const Redwire::MessageListModel *messages, const QString &text);
// The row of a room by name, -1 when there is none.
int rowOfRoom(const Redwire::RoomListModel *rooms, const QString &name);

} // namespace RedwireTest
