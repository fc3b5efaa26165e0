#pragma once

#include "MessageFormatter.h"
#include "TimestampFormatter.h"

namespace Redwire {

// JSON Lines, one object per message:
//   {"time":"2024-05-01T12:34:56.789Z","channel":"news","pattern":null,"size":5,"payload":"hello"}
// A payload (or channel, or pattern) that is not valid UTF-8 is given base64-encoded in a field of
// its own instead ("payload_base64"), so that the text fields are always exactly what was sent.
// A keyspace notification (a `__keyspace@<db>__:<key>` or `__keyevent@<db>__:<event>` channel)
// also has its parts in an object of their own (not "event": that key marks non-messages):
//   ..."payload":"set","keyspace":{"db":0,"key":"user:1","event":"set"}}
// with "key_base64" instead of "key" for a key that is not valid UTF-8.
// A break in the subscription is a line of its own, told apart by its "event" key (messages have
// none):
//   {"event":"gap","time":"...","since":"...","reason":"...","cause":"killed","resumed":true}
class JsonLinesMessageFormatter : public MessageFormatter
{
public:
    Format format() const override { return Format::JsonLines; }
    void append(const MessageView &message, QByteArray &out) override;
    void appendGap(const SubscriptionGap &gap, QByteArray &out) override;

    // A JSON string literal, quotes included; `text` must be valid UTF-8.
    static void appendJsonString(const QByteArray &text, QByteArray &out);

private:
    // "name":"text" for valid UTF-8, else "name_base64":"...".
    static void appendBytesField(const char *name, const QByteArray &bytes, QByteArray &out);
    // The same, `plain` being the length of the bytes' leading run of plain ASCII.
    static void appendBytesField(const char *name, const QByteArray &bytes, QByteArray &out, qsizetype plain);
    static void appendJsonString(const char *data, qsizetype size, qsizetype plainPrefix, QByteArray &out);

    void updateHead(qint64 second);
    void updatePrefix(qint64 timestampMs, qsizetype payloadSize);

    // What repeats from one message to the next is encoded once: the line's head up to the second
    // ({"time":"2024-05-01T12:34:56.), and its middle from the end of the time to "size": (the
    // channel and pattern fields, since a flood is mostly one channel). For a plain payload, the
    // whole line up to the payload's opening quote is kept while the millisecond, the channel and
    // the payload's size stay the same (in a flood, the messages of one socket read share a time).
    TimestampFormatter m_time { TimestampFormatter::Style::IsoUtc };
    qint64 m_headSecond = 0;
    QByteArray m_head;
    QByteArray m_middleChannel;
    QByteArray m_middlePattern;
    bool m_middleSharded = false;
    QByteArray m_middle;
    bool m_middleMayBeKeyspace = false;
    QByteArray m_prefix; // empty when it must be built again
    qint64 m_prefixTimeMs = 0;
    qsizetype m_prefixPayloadSize = 0;
};

} // namespace Redwire
