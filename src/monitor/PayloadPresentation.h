#pragma once

#include <QByteArray>
#include <QString>

namespace Redwire {

// How a payload is shown to a person: a one-line preview for the table, and the full form for
// the detail pane (JSON pretty-printed with its keys in the order sent, MessagePack decoded to
// JSON, other text as is, anything else as a hex dump), or raw (text as is, binary as a hex dump).
// Everything returned is plain text meant for a plain-text element: never rich text.
class PayloadPresentation
{
public:
    // MessagePack: not UTF-8 text, and exactly one well-formed MessagePack value.
    enum class Kind { Empty, Json, Text, MessagePack, Binary };

    static constexpr int DefaultPreviewLength = 160;
    // The hex dump stops after this many bytes (with a note): a view cannot show megabytes.
    static constexpr qsizetype MaxHexDumpBytes = 64 * 1024;
    // Larger binary payloads are not tried as MessagePack (shown as hex).
    static constexpr qsizetype MaxMessagePackBytes = 1024 * 1024;

    static Kind kindOf(const QByteArray &payload);
    // One line: text with control characters escaped, or the first bytes in hex; "…" when cut.
    static QString preview(const QByteArray &payload, int maxLength = DefaultPreviewLength);
    static QString detail(const QByteArray &payload);
    // The payload as it came: text as is (JSON not re-indented), anything else as a hex dump.
    static QString raw(const QByteArray &payload);
    static QString kindName(Kind kind); // "empty", "json", "text", "msgpack", "binary"
    // "00000000  48 65 6c 6c 6f 00 ...  |Hello.|" lines, at most maxBytes of the payload.
    static QString hexDump(const QByteArray &payload, qsizetype maxBytes = MaxHexDumpBytes);
};

} // namespace Redwire
