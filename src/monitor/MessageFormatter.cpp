#include "MessageFormatter.h"

#include "CsvMessageFormatter.h"
#include "JsonLinesMessageFormatter.h"
#include "MonitoredMessage.h"
#include "TextMessageFormatter.h"

namespace Redwire {

QByteArray MessageFormatter::formatted(const MessageView &message)
{
    QByteArray out;
    append(message, out);
    return out;
}

void MessageFormatter::appendEntry(const MonitoredMessage &entry, QByteArray &out)
{
    if (entry.isGap())
        appendGap(*entry.gap, out);
    else
        append(entry, out);
}

std::unique_ptr<MessageFormatter> MessageFormatter::create(Format format)
{
    switch (format) {
    case Format::Text:
        return std::make_unique<TextMessageFormatter>();
    case Format::JsonLines:
        return std::make_unique<JsonLinesMessageFormatter>();
    case Format::Csv:
        return std::make_unique<CsvMessageFormatter>();
    }
    return nullptr;
}

bool MessageFormatter::parseFormatName(QStringView name, Format *format)
{
    if (name == u"text")
        *format = Format::Text;
    else if (name == u"jsonl" || name == u"json")
        *format = Format::JsonLines;
    else if (name == u"csv")
        *format = Format::Csv;
    else
        return false;
    return true;
}

QString MessageFormatter::formatName(Format format)
{
    switch (format) {
    case Format::Text:
        return QStringLiteral("text");
    case Format::JsonLines:
        return QStringLiteral("jsonl");
    case Format::Csv:
        return QStringLiteral("csv");
    }
    return {};
}

QString MessageFormatter::fileSuffix(Format format)
{
    return format == Format::Text ? QStringLiteral("txt") : formatName(format);
}

} // namespace Redwire
