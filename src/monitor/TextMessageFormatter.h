#pragma once

#include "MessageFormatter.h"
#include "TimestampFormatter.h"

namespace Redwire {

// For people at a terminal: "14:34:56.789 channel payload", one line per message. Whatever a
// publisher sends cannot move the cursor, change colours or split the line: control characters,
// escape sequences, bidirectional overrides and invalid UTF-8 are shown as escapes (\n, \e,
// \x00, \u202e), and a backslash as \\.
// A keyspace notification reads "14:34:56.789 db=0 event=set key=user:1" (the key last: it may
// hold spaces).
// A break in the subscription is a line marked with "***":
//   14:35:02.120 *** gap since 14:34:58.004: messages may be missing (<reason>)
class TextMessageFormatter : public MessageFormatter
{
public:
    Format format() const override { return Format::Text; }
    void append(const MessageView &message, QByteArray &out) override;
    void appendGap(const SubscriptionGap &gap, QByteArray &out) override;

    // Shows "(pattern)" after the channel for messages that came through a pattern.
    void setShowPatterns(bool show) { m_showPatterns = show; }
    bool showPatterns() const { return m_showPatterns; }

    static void appendTerminalSafe(const QByteArray &bytes, QByteArray &out);
    static QByteArray terminalSafe(const QByteArray &bytes);

private:
    TimestampFormatter m_time { TimestampFormatter::Style::LocalTimeOfDay };
    bool m_showPatterns = false;
};

} // namespace Redwire
