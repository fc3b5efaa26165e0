#include "JsonLinesMessageFormatter.h"

#include "ByteAppend.h"
#include "KeyspaceNotification.h"
#include "MonitoredMessage.h"
#include "SubscriptionGap.h"
#include "Utf8Validator.h"

#include <QtAlgorithms>

#include <cstring>

#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif

namespace Redwire {

namespace {
// Bytes that need a look in a JSON string: '"', '\\', control characters, and 0xE2 (the lead byte
// of U+2028 and U+2029). Everything else is copied in runs.
struct SpecialBytes
{
    bool table[256] = {};
    constexpr SpecialBytes()
    {
        for (int c = 0; c < 0x20; ++c)
            table[c] = true;
        table[int('"')] = true;
        table[int('\\')] = true;
        table[0xE2] = true;
    }
};
constexpr SpecialBytes Special;

// The length of the leading run of printable ASCII other than '"' and '\\': bytes that are valid
// UTF-8 and need no escape. Sixteen bytes at a time with SSE2 (every x86-64 CPU has it), then eight
// at a time; the word with a hit is rescanned byte by byte (the bit tricks may flag bytes after
// the first real hit, never before it).
qsizetype plainAsciiPrefix(const char *data, qsizetype size)
{
    qsizetype i = 0;
#if defined(__SSE2__) || defined(_M_X64)
    {
        // As signed bytes, "below 0x20" is exactly the control characters and every byte >= 0x80.
        const __m128i space = _mm_set1_epi8(0x20);
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        for (; i + 16 <= size; i += 16) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i *>(data + i));
            const __m128i special = _mm_or_si128(_mm_cmplt_epi8(bytes, space),
                _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
            const int hits = _mm_movemask_epi8(special);
            if (hits != 0)
                return i + qsizetype(qCountTrailingZeroBits(quint32(hits)));
        }
    }
#endif
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 highs = 0x8080808080808080ULL;
    auto zeroByte = [](quint64 x) { return (x - ones) & ~x & highs; };
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, data + i, sizeof word);
        const quint64 flagged = (word & highs) | ((word - ones * 0x20) & ~word & highs)
            | zeroByte(word ^ (ones * '"')) | zeroByte(word ^ (ones * '\\'));
        if (flagged)
            break;
    }
    for (; i < size; ++i) {
        const auto c = static_cast<unsigned char>(data[i]);
        if (c >= 0x80 || c < 0x20 || c == '"' || c == '\\')
            break;
    }
    return i;
}

// Equal bytes; first by the data pointer, since the wrapper hands out one shared copy of a channel
// name that repeats.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    return (a.constData() == b.constData() && a.size() == b.size()) || a == b;
}
} // namespace

void JsonLinesMessageFormatter::appendJsonString(const QByteArray &text, QByteArray &out)
{
    appendJsonString(text.constData(), text.size(), plainAsciiPrefix(text.constData(), text.size()), out);
}

void JsonLinesMessageFormatter::appendJsonString(
    const char *data, qsizetype size, qsizetype plainPrefix, QByteArray &out)
{
    static const char hex[] = "0123456789abcdef";
    out.append('"');
    qsizetype runStart = 0;
    for (qsizetype i = plainPrefix; i < size; ++i) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (!Special.table[c])
            continue;
        const char *escape = nullptr;
        char unicode[6];
        if (c == '"') {
            escape = "\\\"";
        } else if (c == '\\') {
            escape = "\\\\";
        } else if (c < 0x20) {
            switch (c) {
            case '\n':
                escape = "\\n";
                break;
            case '\r':
                escape = "\\r";
                break;
            case '\t':
                escape = "\\t";
                break;
            case '\b':
                escape = "\\b";
                break;
            case '\f':
                escape = "\\f";
                break;
            default:
                unicode[0] = '\\';
                unicode[1] = 'u';
                unicode[2] = '0';
                unicode[3] = '0';
                unicode[4] = hex[c >> 4];
                unicode[5] = hex[c & 0xF];
                break;
            }
        } else if (c == 0xE2 && i + 2 < size && static_cast<unsigned char>(data[i + 1]) == 0x80
            && (static_cast<unsigned char>(data[i + 2]) == 0xA8
                || static_cast<unsigned char>(data[i + 2]) == 0xA9)) {
            // U+2028 and U+2029 are valid JSON but end a line in JavaScript and in some editors.
            ByteAppend::bytes(out, data + runStart, i - runStart);
            ByteAppend::bytes(
                out, static_cast<unsigned char>(data[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029", 6);
            i += 2;
            runStart = i + 1;
            continue;
        } else {
            continue;
        }
        ByteAppend::bytes(out, data + runStart, i - runStart);
        if (escape)
            ByteAppend::bytes(out, escape, 2);
        else
            ByteAppend::bytes(out, unicode, 6);
        runStart = i + 1;
    }
    ByteAppend::bytes(out, data + runStart, size - runStart);
    out.append('"');
}

void JsonLinesMessageFormatter::appendBytesField(const char *name, const QByteArray &bytes, QByteArray &out)
{
    // Most payloads are plain ASCII: one scan proves them valid and free of escapes.
    appendBytesField(name, bytes, out, plainAsciiPrefix(bytes.constData(), bytes.size()));
}

void JsonLinesMessageFormatter::appendBytesField(
    const char *name, const QByteArray &bytes, QByteArray &out, qsizetype plain)
{
    out.append('"');
    ByteAppend::bytes(out, name, qsizetype(std::strlen(name)));
    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    if (plain == size || Utf8Validator::isValid(data + plain, size - plain)) {
        ByteAppend::literal(out, "\":");
        appendJsonString(data, size, plain, out);
    } else {
        ByteAppend::literal(out, "_base64\":\"");
        ByteAppend::bytes(out, bytes.toBase64());
        out.append('"');
    }
}

namespace {
// Floor division, so that times before the epoch still get their own second.
qint64 secondOf(qint64 timestampMs)
{
    return timestampMs / 1000 - (timestampMs % 1000 < 0 ? 1 : 0);
}

void millisecondDigits(qint64 timestampMs, char (&digits)[3])
{
    qint64 millis = timestampMs % 1000;
    if (millis < 0)
        millis += 1000;
    digits[0] = char('0' + millis / 100);
    digits[1] = char('0' + millis / 10 % 10);
    digits[2] = char('0' + millis % 10);
}

constexpr char PayloadKey[] = ",\"payload\":\"";
constexpr char PlainLineEnd[] = "\"}\n";
} // namespace

void JsonLinesMessageFormatter::updateHead(qint64 second)
{
    if (m_head.isEmpty() || second != m_headSecond) {
        m_head = "{\"time\":\"" + m_time.format(second * 1000).chopped(4); // without "000Z"
        m_headSecond = second;
    }
}

// {"time":"…","channel":…,"pattern":…,"size":N,"payload":"
void JsonLinesMessageFormatter::updatePrefix(qint64 timestampMs, qsizetype payloadSize)
{
    updateHead(secondOf(timestampMs));
    char millis[3];
    millisecondDigits(timestampMs, millis);
    m_prefix.resize(0);
    ByteAppend::bytes(m_prefix, m_head);
    ByteAppend::bytes(m_prefix, millis, 3);
    ByteAppend::bytes(m_prefix, m_middle);
    ByteAppend::number(m_prefix, quint64(payloadSize));
    ByteAppend::literal(m_prefix, PayloadKey);
    m_prefixTimeMs = timestampMs;
    m_prefixPayloadSize = payloadSize;
}

void JsonLinesMessageFormatter::append(const MessageView &message, QByteArray &out)
{
    if (m_middle.isEmpty() || !sameBytes(message.channel, m_middleChannel)
        || !sameBytes(message.pattern, m_middlePattern) || message.sharded != m_middleSharded) {
        m_middleChannel = message.channel;
        m_middlePattern = message.pattern;
        m_middleSharded = message.sharded;
        m_middleMayBeKeyspace = KeyspaceNotification::mayBe(message.channel);
        m_middle = "Z\",";
        appendBytesField("channel", message.channel, m_middle);
        if (message.pattern.isEmpty()) {
            ByteAppend::literal(m_middle, ",\"pattern\":null,");
        } else {
            m_middle.append(',');
            appendBytesField("pattern", message.pattern, m_middle);
            m_middle.append(',');
        }
        // Only on sharded messages: the lines of classic ones stay as they were.
        if (message.sharded)
            ByteAppend::literal(m_middle, "\"sharded\":true,");
        ByteAppend::literal(m_middle, "\"size\":");
        m_prefix.resize(0);
    }
    const QByteArray &payload = message.payload;
    const qsizetype plain = plainAsciiPrefix(payload.constData(), payload.size());
    if (plain == payload.size() && !m_middleMayBeKeyspace) {
        // Most payloads are printable ASCII, copied as they are after the cached prefix: the
        // output grows once and takes three copies.
        if (m_prefix.isEmpty() || message.timestampMs != m_prefixTimeMs
            || payload.size() != m_prefixPayloadSize)
            updatePrefix(message.timestampMs, payload.size());
        const qsizetype length = m_prefix.size() + payload.size() + qsizetype(sizeof PlainLineEnd - 1);
        const qsizetype old = out.size();
        out.resize(old + length);
        char *to = out.data() + old;
        to = ByteAppend::copy(to, m_prefix);
        to = ByteAppend::copy(to, payload);
        ByteAppend::copy(to, PlainLineEnd, sizeof PlainLineEnd - 1);
        return;
    }
    updateHead(secondOf(message.timestampMs));
    char millis[3];
    millisecondDigits(message.timestampMs, millis);
    ByteAppend::bytes(out, m_head);
    ByteAppend::bytes(out, millis, 3);
    ByteAppend::bytes(out, m_middle);
    ByteAppend::number(out, quint64(payload.size()));
    out.append(',');
    appendBytesField("payload", payload, out, plain);
    if (m_middleMayBeKeyspace) {
        if (const auto notification = KeyspaceNotification::parse(message.channel, message.payload)) {
            ByteAppend::literal(out, ",\"keyspace\":{\"db\":");
            ByteAppend::number(out, quint64(notification->db));
            out.append(',');
            appendBytesField("key", notification->key, out);
            out.append(',');
            appendBytesField("event", notification->event, out);
            out.append('}');
        }
    }
    ByteAppend::literal(out, "}\n");
}

void JsonLinesMessageFormatter::appendGap(const SubscriptionGap &gap, QByteArray &out)
{
    ByteAppend::literal(out, "{\"event\":\"gap\",\"time\":\"");
    m_time.append(gap.timeMs, out);
    ByteAppend::literal(out, "\",\"since\":\"");
    m_time.append(gap.sinceMs, out);
    ByteAppend::literal(out, "\",\"reason\":");
    appendJsonString(gap.reason.toUtf8(), out);
    ByteAppend::literal(out, ",\"cause\":\"");
    out.append(SubscriptionGap::causeName(gap.cause));
    if (!gap.channels.isEmpty()) {
        ByteAppend::literal(out, "\",\"channels\":[");
        for (qsizetype i = 0; i < gap.channels.size(); ++i) {
            if (i > 0)
                out.append(',');
            appendJsonString(gap.channels.at(i), out);
        }
        ByteAppend::literal(out, "],\"resumed\":");
    } else {
        ByteAppend::literal(out, "\",\"resumed\":");
    }
    if (gap.resumed)
        ByteAppend::literal(out, "true}\n");
    else
        ByteAppend::literal(out, "false}\n");
}

} // namespace Redwire
