#include "RoomAddress.h"

#include "UntrustedText.h"

#include <QCoreApplication>
#include <QHash>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct RoomAddressText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::RoomAddress)
};

// Channel prefixes that are not rooms: direct conversations, and names Redwire itself uses
// (RedisClient's heartbeat channels are "__redwire:heartbeat:<id>").
const char *const reservedPrefixes[] = { "dm:", "redwire:", "__redwire:" };

// Characters a nickname cannot hold: the DM channel's delimiters and Redis glob specials (the
// DM patterns embed the nickname), and '@' which marks a mention.
const char16_t forbiddenInNickname[] = u"|{}*?[]\\@";
} // namespace

QString RoomAddress::roomNameProblem(const QString &name)
{
    if (name.isEmpty())
        return RoomAddressText::tr("A room needs a name.");
    if (name.toUtf8().size() > MaxRoomNameBytes)
        return RoomAddressText::tr("A room name can be at most %1 bytes long.").arg(MaxRoomNameBytes);
    if (!name.isValidUtf16())
        return RoomAddressText::tr("A room name must be valid text.");
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return RoomAddressText::tr("A room name cannot contain line breaks or control characters.");
        if (UntrustedText::isBidiControl(c.unicode()))
            return RoomAddressText::tr("A room name cannot contain bidirectional control characters.");
    }
    for (const char *prefix : reservedPrefixes)
        if (name.startsWith(QLatin1String(prefix)))
            return RoomAddressText::tr("Room names starting with \"%1\" are reserved.")
                .arg(QLatin1String(prefix));
    return {};
}

QString RoomAddress::nicknameProblem(const QString &nickname)
{
    if (nickname.isEmpty())
        return RoomAddressText::tr("A nickname cannot be empty.");
    if (nickname.toUtf8().size() > MaxNicknameBytes)
        return RoomAddressText::tr("A nickname can be at most %1 bytes long.").arg(MaxNicknameBytes);
    if (!nickname.isValidUtf16())
        return RoomAddressText::tr("A nickname must be valid text.");
    for (const QChar c : nickname) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7F
            || (c.unicode() >= 0x80 && c.unicode() <= 0x9F))
            return RoomAddressText::tr("A nickname cannot contain spaces or control characters.");
        if (UntrustedText::isBidiControl(c.unicode()))
            return RoomAddressText::tr("A nickname cannot contain bidirectional control characters.");
        for (const char16_t forbidden : forbiddenInNickname)
            if (forbidden && c.unicode() == forbidden)
                return RoomAddressText::tr("A nickname cannot contain any of | { } * ? [ ] \\ @");
        // Zero-width and other invisible format characters (U+200B, U+200D, U+2060, U+FEFF,
        // soft hyphen, ...): "ali\u200Bce" would pass for "alice".
        if (c.category() == QChar::Other_Format)
            return RoomAddressText::tr("A nickname cannot contain invisible characters.");
    }
    if (mixesScripts(nickname))
        return RoomAddressText::tr("A nickname cannot mix alphabets (it could pass for someone else's).");
    return {};
}

// Letters from more than one script (Latin with Cyrillic or Greek, ...): the way a look-alike
// of another nickname is made ("\u0430lice" with a Cyrillic a). Digits and marks count for none.
bool RoomAddress::mixesScripts(QStringView nickname)
{
    QChar::Script seen = QChar::Script_Unknown;
    for (qsizetype i = 0; i < nickname.size(); ++i) {
        char32_t codePoint = nickname.at(i).unicode();
        if (QChar::isHighSurrogate(codePoint) && i + 1 < nickname.size()
            && nickname.at(i + 1).isLowSurrogate())
            codePoint = QChar::surrogateToUcs4(nickname.at(i), nickname.at(++i));
        if (!QChar::isLetter(codePoint))
            continue;
        const QChar::Script script = QChar::script(codePoint);
        if (script == QChar::Script_Common || script == QChar::Script_Inherited)
            continue;
        if (seen == QChar::Script_Unknown)
            seen = script;
        else if (script != seen)
            return true;
    }
    return false;
}

QString RoomAddress::escapedNickname(QStringView nickname)
{
    // Invisible, space, control and bidi characters, and letters of any alphabet but the name's
    // main one, are written as their code points, so that a person sees what the name really is
    // ("<U+0430>lice", not "alice").
    QHash<int, int> letters;
    for (const QChar c : nickname)
        if (c.isLetter() && c.script() != QChar::Script_Common && c.script() != QChar::Script_Inherited)
            ++letters[c.script()];
    int mainScript = QChar::Script_Unknown;
    for (auto it = letters.cbegin(); it != letters.cend(); ++it)
        if (mainScript == QChar::Script_Unknown || it.value() > letters.value(mainScript))
            mainScript = it.key();
    QString shown;
    for (const QChar c : nickname) {
        const bool foreignLetter = c.isLetter() && letters.contains(c.script()) && c.script() != mainScript;
        if (foreignLetter || c.isSpace() || c.category() == QChar::Other_Format
            || c.category() == QChar::Other_Control || UntrustedText::isBidiControl(c.unicode()))
            shown += QStringLiteral("<U+%1>").arg(
                QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')));
        else
            shown += c;
    }
    return shown;
}

RoomAddress RoomAddress::room(const QString &name)
{
    RoomAddress address;
    if (!roomNameProblem(name).isEmpty())
        return address;
    address.m_kind = Kind::Room;
    address.m_name = name;
    address.m_channel = name.toUtf8();
    address.m_tag = "room:" + address.m_channel;
    return address;
}

RoomAddress RoomAddress::direct(const QString &me, const QString &peer)
{
    RoomAddress address;
    if (!nicknameProblem(me).isEmpty() || !nicknameProblem(peer).isEmpty() || me == peer)
        return address;
    // Sorted by their UTF-8 bytes, so that every client of every language agrees.
    QByteArray a = me.toUtf8();
    QByteArray b = peer.toUtf8();
    if (b < a)
        std::swap(a, b);
    address.m_kind = Kind::Direct;
    address.m_name = peer;
    address.m_tag = "dm:" + a + '|' + b;
    address.m_channel = "dm:{" + a + '|' + b + '}';
    return address;
}

RoomAddress RoomAddress::fromDirectChannel(const QByteArray &channel, const QString &me)
{
    if (!channel.startsWith("dm:{") || !channel.endsWith('}'))
        return {};
    const QByteArray inner = channel.mid(4, channel.size() - 5);
    const QList<QByteArray> names = inner.split('|');
    if (names.size() != 2 || names.at(0) > names.at(1))
        return {};
    const QString first = QString::fromUtf8(names.at(0));
    const QString second = QString::fromUtf8(names.at(1));
    // Round trip: refuses invalid UTF-8 and anything direct() would not have produced.
    if (first.toUtf8() != names.at(0) || second.toUtf8() != names.at(1))
        return {};
    QString peer;
    if (first == me)
        peer = second;
    else if (second == me)
        peer = first;
    else
        return {};
    RoomAddress address = direct(me, peer);
    return address.channel() == channel ? address : RoomAddress();
}

QList<QByteArray> RoomAddress::directPatterns(const QString &nickname)
{
    if (!nicknameProblem(nickname).isEmpty())
        return {};
    // Nicknames hold no glob specials, so they need no escaping here.
    const QByteArray nick = nickname.toUtf8();
    return { "dm:{" + nick + "|*}", "dm:{*|" + nick + '}' };
}

QByteArray RoomAddress::directIndexKey(const QString &nickname)
{
    return "redwire:{user:" + nickname.toUtf8() + "}:dms";
}

QByteArray RoomAddress::readMarkersKey(const QString &nickname)
{
    return "redwire:{user:" + nickname.toUtf8() + "}:read";
}

QByteArray RoomAddress::readMarkersMovedChannel(const QString &nickname)
{
    return "redwire:{user:" + nickname.toUtf8() + "}:read-moved";
}

QByteArray RoomAddress::userPresenceKey(const QString &nickname)
{
    return "redwire:{user:" + nickname.toUtf8() + "}:presence";
}

QByteArray RoomAddress::signingKeysKey(const QString &nickname)
{
    return "redwire:{user:" + nickname.toUtf8() + "}:keys";
}

} // namespace Redwire
