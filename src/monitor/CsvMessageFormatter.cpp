#include "CsvMessageFormatter.h"

#include "ByteAppend.h"
#include "KeyspaceNotification.h"
#include "MonitoredMessage.h"
#include "SubscriptionGap.h"
#include "Utf8Validator.h"

#include <cstring>

namespace Redwire {

QByteArray CsvMessageFormatter::header() const
{
    return m_keyspaceColumns
        ? QByteArrayLiteral("time,channel,pattern,size,payload,payload_base64,db,key,event\r\n")
        : QByteArrayLiteral("time,channel,pattern,size,payload,payload_base64\r\n");
}

bool CsvMessageFormatter::looksLikeFormula(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    const char first = text.front();
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
}

void CsvMessageFormatter::appendField(const QByteArray &text, QByteArray &out)
{
    const char *data = text.constData();
    const qsizetype size = text.size();
    const bool defuse = looksLikeFormula(text);
    bool needsQuotes = false;
    for (qsizetype i = 0; i < size && !needsQuotes; ++i) {
        const char c = data[i];
        needsQuotes = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!needsQuotes) {
        if (defuse)
            out.append('\'');
        ByteAppend::bytes(out, text);
        return;
    }
    out.append('"');
    if (defuse)
        out.append('\'');
    qsizetype runStart = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i] == '"') {
            ByteAppend::bytes(out, data + runStart, i + 1 - runStart);
            out.append('"');
            runStart = i + 1;
        }
    }
    ByteAppend::bytes(out, data + runStart, size - runStart);
    out.append('"');
}

void CsvMessageFormatter::appendNameField(const QByteArray &name, QByteArray &out)
{
    if (Utf8Validator::isValid(name) && !name.contains('\0')) {
        appendField(name, out);
        return;
    }
    static const char hex[] = "0123456789abcdef";
    QByteArray escaped;
    for (qsizetype i = 0; i < name.size();) {
        char32_t codePoint;
        const int length = Utf8Validator::decode(name.constData(), name.size(), i, &codePoint);
        if (length > 0 && name.at(i) != '\\' && name.at(i) != '\0') {
            escaped.append(name.constData() + i, length);
            i += length;
        } else if (length > 0 && name.at(i) == '\\') {
            escaped += "\\\\";
            ++i;
        } else {
            const auto byte = static_cast<unsigned char>(name.at(i));
            const char escape[4] = { '\\', 'x', hex[byte >> 4], hex[byte & 0xF] };
            escaped.append(escape, 4);
            ++i;
        }
    }
    appendField(escaped, out);
}

void CsvMessageFormatter::append(const MessageView &message, QByteArray &out)
{
    m_time.append(message.timestampMs, out);
    out.append(',');
    appendNameField(message.channel, out);
    out.append(',');
    appendNameField(message.pattern, out);
    out.append(',');
    ByteAppend::number(out, quint64(message.payload.size()));
    out.append(',');
    const QByteArray &payload = message.payload;
    const bool asText = Utf8Validator::isValid(payload)
        && std::memchr(payload.constData(), '\0', size_t(payload.size())) == nullptr;
    if (asText) {
        appendField(payload, out);
        out.append(',');
    } else {
        out.append(',');
        ByteAppend::bytes(out, payload.toBase64());
    }
    if (m_keyspaceColumns)
        appendKeyspaceFields(message, out);
    ByteAppend::literal(out, "\r\n");
}

void CsvMessageFormatter::appendKeyspaceFields(const MessageView &message, QByteArray &out)
{
    const auto notification = KeyspaceNotification::mayBe(message.channel)
        ? KeyspaceNotification::parse(message.channel, message.payload)
        : std::nullopt;
    if (!notification) {
        ByteAppend::literal(out, ",,,");
        return;
    }
    out.append(',');
    ByteAppend::number(out, quint64(notification->db));
    out.append(',');
    appendNameField(notification->key, out);
    out.append(',');
    appendNameField(notification->event, out);
}

void CsvMessageFormatter::appendGap(const SubscriptionGap &gap, QByteArray &out)
{
    m_time.append(gap.timeMs, out);
    ByteAppend::literal(out, ",,,,");
    QByteArray text = "gap since " + m_time.format(gap.sinceMs) + ": " + gap.reason.toUtf8();
    if (!gap.resumed)
        text += " (not subscribed again when the monitor stopped)";
    appendField(text, out);
    out.append(',');
    if (m_keyspaceColumns)
        ByteAppend::literal(out, ",,,");
    ByteAppend::literal(out, "\r\n");
}

} // namespace Redwire
