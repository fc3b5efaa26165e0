#include "MessagePresentation.h"

#include <QDateTime>
#include <QLocale>

namespace Redwire {

namespace {
QDate localDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).date();
}
} // namespace

QString MessagePresentation::previewOf(const QString &text)
{
    // Cut at the line limit or the character limit, whichever comes first; an unbroken 60 KB
    // line is cut too (laying it out whole is what keeps the view busy).
    qsizetype cut = -1;
    int lines = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (i >= PreviewCharacters) {
            cut = i;
            break;
        }
        if (text.at(i) == QLatin1Char('\n') && ++lines >= PreviewLines) {
            cut = i;
            break;
        }
    }
    if (cut < 0)
        return {};
    return text.left(cut) + QStringLiteral("…");
}

QString MessagePresentation::quoteOf(const ChatMessage &message)
{
    if (message.deleted)
        return tr("(deleted message)");
    QString line = message.text.section(QLatin1Char('\n'), 0, 0, QString::SectionSkipEmpty).simplified();
    if (line.size() > QuoteCharacters)
        line = line.left(QuoteCharacters) + QStringLiteral("…");
    return line;
}

QVariantList MessagePresentation::reactionsOf(const ChatMessage &message)
{
    QVariantList list;
    for (const ChatMessage::Reaction &reaction : message.reactions)
        list.append(QVariantMap { { QStringLiteral("reaction"), reaction.reaction },
            { QStringLiteral("count"), reaction.count }, { QStringLiteral("mine"), reaction.mine } });
    return list;
}

SenderTrust MessagePresentation::shownTrust(const ChatMessage &message)
{
    return !message.trustAssessed && message.signature.wellFormed ? SenderTrust::Pending : message.trust;
}

QString MessagePresentation::dayLabel(qint64 timestampMs)
{
    const QDate day = localDay(timestampMs);
    const QDate today = QDate::currentDate();
    if (day == today)
        return tr("Today");
    if (day == today.addDays(-1))
        return tr("Yesterday");
    return QLocale().toString(day, QLocale::LongFormat);
}

bool MessagePresentation::startsDay(const ChatMessage &previous, const ChatMessage &current)
{
    return localDay(previous.timestampMs) != localDay(current.timestampMs);
}

bool MessagePresentation::startsRun(const ChatMessage &previous, const ChatMessage &current)
{
    // A message whose sender is judged differently (a forgery after the real one) never hides
    // under the other's header.
    return !previous.isConversation() || previous.sender != current.sender
        || previous.external != current.external || shownTrust(previous) != shownTrust(current)
        || current.timestampMs - previous.timestampMs > GroupGapMs;
}

} // namespace Redwire
