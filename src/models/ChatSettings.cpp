#include "ChatSettings.h"

#include <QSettings>

namespace Redwire {

namespace {
// The key the window's Qt.labs.settings used before: earlier choices are kept.
const QString ThemeKey = QStringLiteral("window/theme");
const QString AutoConnectKey = QStringLiteral("chat/autoConnect");
const QString DraftsGroup = QStringLiteral("drafts/");
const QString LevelsGroup = QStringLiteral("notify/");
const QString SoundKey = QStringLiteral("chat/notificationSound");
// Writing the settings file on every keystroke is wasted work; a second after the last is enough
// (and the destructor writes what is left).
constexpr int DraftWriteDelayMs = 1000;

QString hex(const QString &text)
{
    return QString::fromLatin1(text.toUtf8().toHex());
}

QString fromHex(const QString &text)
{
    return QString::fromUtf8(QByteArray::fromHex(text.toLatin1()));
}

bool isNotificationLevel(const QString &level)
{
    return level == QLatin1String("all") || level == QLatin1String("mentions")
        || level == QLatin1String("none");
}

QString validTheme(const QString &theme)
{
    return theme == QLatin1String("light") || theme == QLatin1String("dark") ? theme
                                                                             : QStringLiteral("system");
}

// "room:alpha" -> "#alpha", "dm:bob" -> "@bob".
QString titleForKey(const QString &key)
{
    if (key.startsWith(QLatin1String("dm:")))
        return QLatin1Char('@') + key.mid(3);
    if (key.startsWith(QLatin1String("room:")))
        return QLatin1Char('#') + key.mid(5);
    return key;
}
} // namespace

ChatSettings::ChatSettings(QObject *parent)
    : QObject(parent)
{
    QSettings settings;
    m_theme = validTheme(settings.value(ThemeKey).toString());
    m_autoConnect = settings.value(AutoConnectKey, false).toBool();
    m_notificationSound = settings.value(SoundKey, false).toBool();
    m_writeTimer.setSingleShot(true);
    m_writeTimer.setInterval(DraftWriteDelayMs);
    connect(&m_writeTimer, &QTimer::timeout, this, &ChatSettings::flush);
}

ChatSettings::~ChatSettings()
{
    flush();
}

void ChatSettings::setTheme(const QString &theme)
{
    const QString valid = validTheme(theme);
    if (valid == m_theme)
        return;
    m_theme = valid;
    QSettings().setValue(ThemeKey, m_theme);
    Q_EMIT themeChanged();
}

void ChatSettings::setAutoConnect(bool autoConnect)
{
    if (autoConnect == m_autoConnect)
        return;
    m_autoConnect = autoConnect;
    QSettings().setValue(AutoConnectKey, m_autoConnect);
    Q_EMIT autoConnectChanged();
}

void ChatSettings::setNotificationSound(bool on)
{
    if (on == m_notificationSound)
        return;
    m_notificationSound = on;
    QSettings().setValue(SoundKey, on);
    Q_EMIT notificationSoundChanged();
}

QString ChatSettings::notificationLevel(const QString &roomKey) const
{
    const QString fallback
        = roomKey.startsWith(QLatin1String("dm:")) ? QStringLiteral("all") : QStringLiteral("mentions");
    const QString stored
        = QSettings().value(LevelsGroup + m_scope + QLatin1Char('/') + hex(roomKey)).toString();
    return isNotificationLevel(stored) ? stored : fallback;
}

void ChatSettings::setNotificationLevel(const QString &roomKey, const QString &level)
{
    if (roomKey.isEmpty() || !isNotificationLevel(level) || level == notificationLevel(roomKey))
        return;
    QSettings().setValue(LevelsGroup + m_scope + QLatin1Char('/') + hex(roomKey), level);
    Q_EMIT notificationLevelChanged(roomKey);
}

void ChatSettings::setDraftScope(const QString &server, const QString &nickname)
{
    const QString scope = hex(server + QLatin1Char('\n') + nickname);
    if (scope == m_scope)
        return;
    flush();
    m_scope = scope;
    Q_EMIT draftRoomsChanged();
    Q_EMIT notificationLevelChanged(QString());
}

QString ChatSettings::draftGroup() const
{
    return DraftsGroup + m_scope;
}

QString ChatSettings::draft(const QString &roomKey) const
{
    const auto unwritten = m_unwritten.constFind(roomKey);
    if (unwritten != m_unwritten.constEnd())
        return *unwritten;
    return QSettings().value(draftGroup() + QLatin1Char('/') + hex(roomKey)).toString();
}

void ChatSettings::setDraft(const QString &roomKey, const QString &text)
{
    if (roomKey.isEmpty())
        return;
    const bool hadDraft = !draft(roomKey).isEmpty();
    m_unwritten.insert(roomKey, text);
    m_writeTimer.start();
    if (hadDraft != !text.isEmpty())
        Q_EMIT draftRoomsChanged();
}

QStringList ChatSettings::draftRooms() const
{
    QSettings settings;
    settings.beginGroup(draftGroup());
    QStringList keys;
    for (const QString &key : settings.childKeys())
        keys << fromHex(key);
    settings.endGroup();
    for (auto it = m_unwritten.constBegin(); it != m_unwritten.constEnd(); ++it)
        if (!keys.contains(it.key()))
            keys << it.key();
    QStringList titles;
    for (const QString &key : std::as_const(keys))
        if (!draft(key).isEmpty())
            titles << titleForKey(key);
    titles.sort();
    return titles;
}

void ChatSettings::flush()
{
    m_writeTimer.stop();
    if (m_unwritten.isEmpty())
        return;
    QSettings settings;
    settings.beginGroup(draftGroup());
    for (auto it = m_unwritten.constBegin(); it != m_unwritten.constEnd(); ++it) {
        // Only what has text is kept: a sent or cleared draft leaves no trace.
        if (it.value().isEmpty())
            settings.remove(hex(it.key()));
        else
            settings.setValue(hex(it.key()), it.value());
    }
    m_unwritten.clear();
}

} // namespace Redwire
