#include "RoomAddress.h"

#include "UntrustedText.h"

#include <QCoreApplication>

namespace Redwire {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("Redwire::RoomAddress", text);
}

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
        return tr("A room needs a name.");
    if (name.toUtf8().size() > MaxRoomNameBytes)
        return tr("A room name can be at most %1 bytes long.").arg(MaxRoomNameBytes);
    if (!name.isValidUtf16())
        return tr("A room name must be valid text.");
    for (const QChar c : name) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            return tr("A room name cannot contain line breaks or control characters.");
        if (UntrustedText::isBidiControl(c.unicode()))
            return tr("A room name cannot contain bidirectional control characters.");
    }
    for (const char *prefix : reservedPrefixes)
        if (name.startsWith(QLatin1String(prefix)))
            return tr("Room names starting with \"%1\" are reserved.").arg(QLatin1String(prefix));
    return {};
}

QString RoomAddress::nicknameProblem(const QString &nickname)
{
    if (nickname.isEmpty())
        return tr("A nickname cannot be empty.");
    if (nickname.toUtf8().size() > MaxNicknameBytes)
        return tr("A nickname can be at most %1 bytes long.").arg(MaxNicknameBytes);
    if (!nickname.isValidUtf16())
        return tr("A nickname must be valid text.");
    for (const QChar c : nickname) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7F
            || (c.unicode() >= 0x80 && c.unicode() <= 0x9F))
            return tr("A nickname cannot contain spaces or control characters.");
        if (UntrustedText::isBidiControl(c.unicode()))
            return tr("A nickname cannot contain bidirectional control characters.");
        for (const char16_t forbidden : forbiddenInNickname)
            if (forbidden && c.unicode() == forbidden)
                return tr("A nickname cannot contain any of | { } * ? [ ] \\ @");
    }
    return {};
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

} // namespace Redwire
