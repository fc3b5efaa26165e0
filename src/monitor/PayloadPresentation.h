#pragma once

#include <QByteArray>
#include <QString>

namespace Redwire {

// How a payload is shown to a person: a one-line preview for the table, and the full form for
// the detail pane (JSON pretty-printed, other text as is, anything else as a hex dump).
// Everything returned is plain text meant for a plain-text element: never rich text.
class PayloadPresentation
{
public:
    enum class Kind { Empty, Json, Text, Binary };

    static constexpr int DefaultPreviewLength = 160;
    // The hex dump stops after this many bytes (with a note): a view cannot show megabytes.
    static constexpr qsizetype MaxHexDumpBytes = 64 * 1024;

    static Kind kindOf(const QByteArray &payload);
    // One line: text with control characters escaped, or the first bytes in hex; "…" when cut.
    static QString preview(const QByteArray &payload, int maxLength = DefaultPreviewLength);
    static QString detail(const QByteArray &payload);
    // "00000000  48 65 6c 6c 6f 00 ...  |Hello.|" lines, at most maxBytes of the payload.
    static QString hexDump(const QByteArray &payload, qsizetype maxBytes = MaxHexDumpBytes);
};

} // namespace Redwire
