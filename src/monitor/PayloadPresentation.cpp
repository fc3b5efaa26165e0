#include "PayloadPresentation.h"

#include "JsonIndenter.h"
#include "MessagePackDecoder.h"
#include "TextMessageFormatter.h"
#include "Utf8Validator.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonParseError>

#include <limits>

namespace Redwire {

namespace {
bool looksLikeJson(const QByteArray &payload)
{
    for (const char c : payload) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}
} // namespace

PayloadPresentation::Kind PayloadPresentation::kindOf(const QByteArray &payload)
{
    if (payload.isEmpty())
        return Kind::Empty;
    if (!Utf8Validator::isValid(payload)) {
        if (payload.size() <= MaxMessagePackBytes
            && MessagePackDecoder::toJson(payload, MessagePackDecoder::Layout::Compact).ok())
            return Kind::MessagePack;
        return Kind::Binary;
    }
    if (looksLikeJson(payload)) {
        QJsonParseError error;
        QJsonDocument::fromJson(payload, &error);
        if (error.error == QJsonParseError::NoError)
            return Kind::Json;
    }
    return Kind::Text;
}

QString PayloadPresentation::preview(const QByteArray &payload, int maxLength)
{
    if (!Utf8Validator::isValid(payload)) {
        const qsizetype bytes = qMin<qsizetype>(payload.size(), qMax(1, maxLength / 3));
        QString hex = QString::fromLatin1(payload.left(bytes).toHex(' '));
        if (bytes < payload.size())
            hex += QChar(0x2026);
        return hex;
    }
    // Escape only a prefix: a preview of a megabyte payload must not cost a megabyte.
    const qsizetype prefix = qMin<qsizetype>(payload.size(), qsizetype(maxLength) * 4 + 4);
    QByteArray head = payload.left(prefix);
    // Do not split a UTF-8 sequence at the cut.
    while (prefix < payload.size() && !head.isEmpty()
        && (static_cast<unsigned char>(payload.at(head.size())) & 0xC0) == 0x80)
        head.chop(1);
    QString text = QString::fromUtf8(TextMessageFormatter::terminalSafe(head));
    if (text.size() > maxLength) {
        text.truncate(maxLength);
        if (text.at(text.size() - 1).isHighSurrogate())
            text.chop(1);
        text += QChar(0x2026);
    } else if (prefix < payload.size()) {
        text += QChar(0x2026);
    }
    return text;
}

QString PayloadPresentation::detail(const QByteArray &payload)
{
    switch (kindOf(payload)) {
    case Kind::Empty:
        return {};
    case Kind::Json:
        return QString::fromUtf8(JsonIndenter::indented(payload));
    case Kind::Text:
        return QString::fromUtf8(payload);
    case Kind::MessagePack:
        return QString::fromUtf8(MessagePackDecoder::toJson(payload).json);
    case Kind::Binary:
        return hexDump(payload);
    }
    return {};
}

QString PayloadPresentation::raw(const QByteArray &payload)
{
    return Utf8Validator::isValid(payload) ? QString::fromUtf8(payload) : hexDump(payload);
}

QString PayloadPresentation::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Empty:
        return QStringLiteral("empty");
    case Kind::Json:
        return QStringLiteral("json");
    case Kind::Text:
        return QStringLiteral("text");
    case Kind::MessagePack:
        return QStringLiteral("msgpack");
    case Kind::Binary:
        return QStringLiteral("binary");
    }
    return {};
}

QString PayloadPresentation::hexDump(const QByteArray &payload, qsizetype maxBytes)
{
    static const char hex[] = "0123456789abcdef";
    const qsizetype shown = qMin(payload.size(), maxBytes);
    QByteArray out;
    out.reserve((shown / 16 + 1) * 78);
    for (qsizetype offset = 0; offset < shown; offset += 16) {
        out += QByteArray::number(qulonglong(offset), 16).rightJustified(8, '0');
        out += "  ";
        QByteArray ascii;
        for (qsizetype i = 0; i < 16; ++i) {
            if (offset + i < shown) {
                const auto byte = static_cast<unsigned char>(payload.at(offset + i));
                out += hex[byte >> 4];
                out += hex[byte & 0xF];
                ascii += (byte >= 0x20 && byte < 0x7F) ? char(byte) : '.';
            } else {
                out += "  ";
            }
            out += i == 7 ? "  " : " ";
        }
        out += " |" + ascii + "|\n";
    }
    QString text = QString::fromLatin1(out);
    if (shown < payload.size())
        text += QCoreApplication::translate("Redwire::PayloadPresentation", "… %n more byte(s) not shown",
            nullptr, int(qMin<qsizetype>(payload.size() - shown, std::numeric_limits<int>::max())));
    return text;
}

} // namespace Redwire
