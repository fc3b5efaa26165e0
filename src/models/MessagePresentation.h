#pragma once

#include "chat/ChatMessage.h"

#include <QCoreApplication>
#include <QString>
#include <QVariantList>

namespace Redwire {

// How a chat message reads in the message view, apart from any model: its text as html, the
// start of a long one, the one-line quote of a message answered, its reactions, its day's label,
// how sure its sender is, and when a row starts a new day or a new run of the same sender.
class MessagePresentation
{
    Q_DECLARE_TR_FUNCTIONS(MessagePresentation)
public:
    // A message longer than this many lines or characters is collapsed to its first ones.
    static constexpr int PreviewLines = 12;
    static constexpr int PreviewCharacters = 1200;
    // A quote is one line: the start of the first line of the message answered.
    static constexpr int QuoteCharacters = 120;
    // A new header when the same sender pauses this long.
    static constexpr qint64 GroupGapMs = 5 * 60 * 1000;

    // The start of `text` shown while a long message is collapsed; empty when it is not long.
    static QString previewOf(const QString &text);
    static QString quoteOf(const ChatMessage &message);
    // [{reaction, count, mine}]
    static QVariantList reactionsOf(const ChatMessage &message);
    // A signed message not checked yet shows as being checked (RoomSenderChecks).
    static SenderTrust shownTrust(const ChatMessage &message);
    // "Today", "Yesterday" or the date in the locale's long format.
    static QString dayLabel(qint64 timestampMs);
    static bool startsDay(const ChatMessage &previous, const ChatMessage &current);
    // Whether `current` shows its sender again after `previous` (on the same day).
    static bool startsRun(const ChatMessage &previous, const ChatMessage &current);
};

} // namespace Redwire
