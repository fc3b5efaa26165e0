#include "TextMessageFormatter.h"

#include "ByteAppend.h"
#include "KeyspaceNotification.h"
#include "MonitoredMessage.h"
#include "SubscriptionGap.h"
#include "Utf8Validator.h"

#include <QCoreApplication>

namespace Redwire {

namespace {

const char HexDigits[] = "0123456789abcdef";

void appendByteEscape(unsigned char byte, QByteArray &out)
{
    const char escape[4] = { '\\', 'x', HexDigits[byte >> 4], HexDigits[byte & 0xF] };
    ByteAppend::bytes(out, escape, 4);
}

void appendCodePointEscape(char32_t codePoint, QByteArray &out)
{
    const char escape[6] = { '\\', 'u', HexDigits[(codePoint >> 12) & 0xF], HexDigits[(codePoint >> 8) & 0xF],
        HexDigits[(codePoint >> 4) & 0xF], HexDigits[codePoint & 0xF] };
    ByteAppend::bytes(out, escape, 6);
}

// Characters that are valid text but that a terminal obeys rather than shows: C1 controls
// (U+0085 is a line break, U+009B starts a control sequence), line and paragraph separators,
// and the bidirectional embeddings, overrides and isolates that reorder what follows.
bool isInvisibleControl(char32_t codePoint)
{
    return (codePoint >= 0x80 && codePoint <= 0x9F) || codePoint == 0x2028 || codePoint == 0x2029
        || (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
}

} // namespace

void TextMessageFormatter::appendTerminalSafe(const QByteArray &bytes, QByteArray &out)
{
    const char *data = bytes.constData();
    const qsizetype size = bytes.size();
    qsizetype runStart = 0;
    qsizetype i = 0;
    auto flushRun = [&] {
        if (i > runStart)
            ByteAppend::bytes(out, data + runStart, i - runStart);
    };
    while (i < size) {
        const unsigned char c = static_cast<unsigned char>(data[i]);
        if (c >= 0x20 && c < 0x7F && c != '\\') {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            char32_t codePoint;
            const int length = Utf8Validator::decode(data, size, i, &codePoint);
            if (length > 0 && !isInvisibleControl(codePoint)) {
                i += length;
                continue;
            }
            flushRun();
            if (length > 0) {
                appendCodePointEscape(codePoint, out);
                i += length;
            } else {
                appendByteEscape(c, out);
                ++i;
            }
            runStart = i;
            continue;
        }
        flushRun();
        switch (c) {
        case '\\':
            ByteAppend::literal(out, "\\\\");
            break;
        case '\n':
            ByteAppend::literal(out, "\\n");
            break;
        case '\r':
            ByteAppend::literal(out, "\\r");
            break;
        case '\t':
            ByteAppend::literal(out, "\\t");
            break;
        case 0x1B:
            ByteAppend::literal(out, "\\e");
            break;
        default:
            appendByteEscape(c, out);
            break;
        }
        ++i;
        runStart = i;
    }
    flushRun();
}

QByteArray TextMessageFormatter::terminalSafe(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size());
    appendTerminalSafe(bytes, out);
    return out;
}

void TextMessageFormatter::append(const MessageView &message, QByteArray &out)
{
    m_time.append(message.timestampMs, out);
    out.append(' ');
    if (KeyspaceNotification::mayBe(message.channel)) {
        if (const auto notification = KeyspaceNotification::parse(message.channel, message.payload)) {
            ByteAppend::literal(out, "db=");
            ByteAppend::number(out, quint64(notification->db));
            ByteAppend::literal(out, " event=");
            appendTerminalSafe(notification->event, out);
            ByteAppend::literal(out, " key=");
            appendTerminalSafe(notification->key, out);
            out.append('\n');
            return;
        }
    }
    appendTerminalSafe(message.channel, out);
    if (m_showPatterns && !message.pattern.isEmpty()) {
        ByteAppend::literal(out, " (");
        appendTerminalSafe(message.pattern, out);
        out.append(')');
    }
    if (m_showPatterns && message.sharded)
        ByteAppend::literal(out, " (sharded)");
    out.append(' ');
    appendTerminalSafe(message.payload, out);
    out.append('\n');
}

void TextMessageFormatter::appendGap(const SubscriptionGap &gap, QByteArray &out)
{
    const QString since = QString::fromLatin1(m_time.format(gap.sinceMs));
    const QString line = gap.resumed
        ? QCoreApplication::translate(
            "Redwire::TextMessageFormatter", "*** gap since %1: messages may be missing (%2)")
              .arg(since, gap.reason)
        : QCoreApplication::translate("Redwire::TextMessageFormatter",
            "*** gap since %1, not subscribed again when the monitor stopped: messages may be missing (%2)")
              .arg(since, gap.reason);
    m_time.append(gap.timeMs, out);
    out.append(' ');
    appendTerminalSafe(line.toUtf8(), out);
    out.append('\n');
}

} // namespace Redwire
