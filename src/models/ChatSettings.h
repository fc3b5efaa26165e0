#pragma once

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// The user's choices that outlive a run: the theme, whether to connect to the last server at
// start, the notification sound, and per server and nickname what was typed but not sent in each
// room and how much each room notifies. Kept in QSettings next to the server settings.
class ChatSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by the application")
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool autoConnect READ autoConnect WRITE setAutoConnect NOTIFY autoConnectChanged)
    Q_PROPERTY(QStringList draftRooms READ draftRooms NOTIFY draftRoomsChanged)
    // Whether a notification also plays a sound (ChatNotificationPolicy, SoundEffectPlayer); off
    // unless chosen.
    Q_PROPERTY(bool notificationSound READ notificationSound WRITE setNotificationSound NOTIFY
            notificationSoundChanged)
public:
    explicit ChatSettings(QObject *parent = nullptr);
    ~ChatSettings() override;

    // "system", "light" or "dark".
    QString theme() const { return m_theme; }
    void setTheme(const QString &theme);
    // Connect to the last server at start: set once a connection worked, cleared when the user
    // goes back to the connect page.
    bool autoConnect() const { return m_autoConnect; }
    void setAutoConnect(bool autoConnect);

    bool notificationSound() const { return m_notificationSound; }
    void setNotificationSound(bool on);

    // Drafts and notification levels belong to a server and a nickname; `server` is whatever
    // names it for the user ("127.0.0.1:6379", "local").
    Q_INVOKABLE void setDraftScope(const QString &server, const QString &nickname);
    // `roomKey` as RoomListModel::keyFor makes it ("room:NAME", "dm:NICK").
    Q_INVOKABLE QString draft(const QString &roomKey) const;
    Q_INVOKABLE void setDraft(const QString &roomKey, const QString &text);
    // The rooms of the current scope with a draft, as the user sees them ("#alpha", "@bob").
    QStringList draftRooms() const;
    // Writes drafts typed in the last moment (also done a second after typing stops).
    Q_INVOKABLE void flush();

    // How much the room `roomKey` notifies in the current scope: "all", "mentions" (mentions and
    // direct messages only) or "none". Rooms default to "mentions", direct conversations to "all".
    Q_INVOKABLE QString notificationLevel(const QString &roomKey) const;
    // Anything but the three levels is ignored.
    Q_INVOKABLE void setNotificationLevel(const QString &roomKey, const QString &level);

Q_SIGNALS:
    void themeChanged();
    void autoConnectChanged();
    void draftRoomsChanged();
    void notificationSoundChanged();
    // An empty key: every room's level may have changed (another scope).
    void notificationLevelChanged(const QString &roomKey);

private:
    QString draftGroup() const;

    QString m_theme;
    bool m_autoConnect = false;
    bool m_notificationSound = false;
    QString m_scope; // hex of "server\nnickname"
    QHash<QString, QString> m_unwritten; // room key -> text, for the current scope
    QTimer m_writeTimer;
};

} // namespace Redwire
