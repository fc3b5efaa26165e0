#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <memory>

namespace Redwire {

struct MessageView;
struct MonitoredMessage;
struct SubscriptionGap;

// Turns messages into bytes for a terminal, a file or a pipe: one line per message, whatever the
// payload holds. Subclasses: TextMessageFormatter, JsonLinesMessageFormatter, CsvMessageFormatter.
class MessageFormatter
{
public:
    enum class Format { Text, JsonLines, Csv };

    virtual ~MessageFormatter() = default;

    virtual Format format() const = 0;
    // Written once before the first message (CSV's header row); empty for the others.
    virtual QByteArray header() const { return {}; }
    // Appends one message, line ending included.
    virtual void append(const MessageView &message, QByteArray &out) = 0;
    // Appends the line that marks a break in the subscription, line ending included.
    virtual void appendGap(const SubscriptionGap &gap, QByteArray &out) = 0;
    // An entry of the monitor's history: a message or a gap.
    void appendEntry(const MonitoredMessage &entry, QByteArray &out);

    QByteArray formatted(const MessageView &message);

    static std::unique_ptr<MessageFormatter> create(Format format);
    // "text", "jsonl" (or "json"), "csv"; false for anything else.
    static bool parseFormatName(QStringView name, Format *format);
    static QString formatName(Format format);
    // The usual file name extension, without the dot.
    static QString fileSuffix(Format format);
};

} // namespace Redwire
