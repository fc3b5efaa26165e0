#pragma once

#include "MessageFormatter.h"
#include "TimestampFormatter.h"

namespace Redwire {

// CSV as RFC 4180 has it: a header row, CRLF line ends, fields quoted when they hold a comma,
// a quote, CR or LF, quotes doubled. Columns: time,channel,pattern,size,payload,payload_base64.
// A payload that is not valid UTF-8 or holds a NUL byte (which many CSV readers stop at) is left
// empty and given base64-encoded in payload_base64. A channel or pattern that is not valid UTF-8
// or holds a NUL is written with \xNN escapes for those bytes (and \\ for its backslashes).
// A text cell (payload, channel, pattern) that a spreadsheet would take for a formula, because it
// starts with =, +, -, @, a tab or CR, gets a single quote in front ("'=1+1"): opened in a
// spreadsheet, a recorded payload must not run (=HYPERLINK(...), =cmd|...). The size column keeps
// the payload's own length, so a reader can tell the added quote from one that was sent.
// With keyspace columns on (redwire-monitor --keyspace), three more: db,key,event, filled for a
// keyspace notification (the key written like a channel name) and empty for other messages.
// A break in the subscription is a row with empty channel, pattern and size (a message row always
// has a size) and the payload "gap since <ISO 8601 time>: <reason>"; its time is the gap's end.
class CsvMessageFormatter : public MessageFormatter
{
public:
    Format format() const override { return Format::Csv; }
    QByteArray header() const override;
    void append(const MessageView &message, QByteArray &out) override;
    void appendGap(const SubscriptionGap &gap, QByteArray &out) override;
    void setKeyspaceColumns(bool on) { m_keyspaceColumns = on; }
    bool hasKeyspaceColumns() const { return m_keyspaceColumns; }

    // One text cell: defused when it starts like a formula, quoted when RFC 4180 needs it.
    static void appendField(const QByteArray &text, QByteArray &out);
    static bool looksLikeFormula(const QByteArray &text);

private:
    static void appendNameField(const QByteArray &name, QByteArray &out);
    static void appendKeyspaceFields(const MessageView &message, QByteArray &out);

    TimestampFormatter m_time { TimestampFormatter::Style::IsoUtc };
    bool m_keyspaceColumns = false;
};

} // namespace Redwire
