#include "MessageFilter.h"

#include <QCoreApplication>

namespace Redwire {

namespace {
// Bounds the memo of channel decisions: a flood of distinct channel names must not grow it.
constexpr qsizetype MaxRememberedChannels = 4096;

// The translation context of this file's messages, for members and free functions alike.
struct MessageFilterText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::MessageFilter)
};
} // namespace

QString MessageFilter::regularExpressionError(const QString &expression)
{
    const QRegularExpression regex(expression);
    if (regex.isValid())
        return {};
    return MessageFilterText::tr("Invalid regular expression at offset %1: %2")
        .arg(regex.patternErrorOffset())
        .arg(regex.errorString());
}

bool MessageFilter::setChannelFilter(const QString &expression, ChannelSyntax syntax, QString *errorMessage)
{
    QRegularExpression regex;
    if (!expression.isEmpty() && syntax == ChannelSyntax::RegularExpression) {
        regex.setPattern(expression);
        if (!regex.isValid()) {
            if (errorMessage)
                *errorMessage = regularExpressionError(expression);
            return false;
        }
        regex.optimize();
    }
    m_channelExpression = expression;
    m_channelSyntax = syntax;
    m_channelRegex = regex;
    m_channelGlob = ChannelGlob(syntax == ChannelSyntax::Glob ? expression.toUtf8() : QByteArray());
    m_channelDecisions.clear();
    return true;
}

bool MessageFilter::setPayloadFilter(const QString &expression, PayloadSyntax syntax,
    Qt::CaseSensitivity caseSensitivity, QString *errorMessage)
{
    QRegularExpression regex;
    if (!expression.isEmpty() && syntax == PayloadSyntax::RegularExpression) {
        regex.setPattern(expression);
        if (caseSensitivity == Qt::CaseInsensitive)
            regex.setPatternOptions(QRegularExpression::CaseInsensitiveOption);
        if (!regex.isValid()) {
            if (errorMessage)
                *errorMessage = regularExpressionError(expression);
            return false;
        }
        regex.optimize();
    }
    m_payloadExpression = expression;
    m_payloadSyntax = syntax;
    m_payloadCase = caseSensitivity;
    m_payloadRegex = regex;
    m_payloadMatcher.setPattern(syntax == PayloadSyntax::Substring ? expression.toUtf8() : QByteArray());
    return true;
}

bool MessageFilter::acceptsChannel(const QByteArray &channel) const
{
    if (m_channelExpression.isEmpty())
        return true;
    const auto it = m_channelDecisions.constFind(channel);
    if (it != m_channelDecisions.cend())
        return it.value();
    const bool accepted = evaluateChannel(channel);
    if (m_channelDecisions.size() >= MaxRememberedChannels)
        m_channelDecisions.clear();
    m_channelDecisions.insert(channel, accepted);
    return accepted;
}

bool MessageFilter::evaluateChannel(const QByteArray &channel) const
{
    if (m_channelSyntax == ChannelSyntax::Glob)
        return m_channelGlob.matches(channel);
    return m_channelRegex.match(QString::fromUtf8(channel)).hasMatch();
}

bool MessageFilter::acceptsPayload(const QByteArray &payload) const
{
    if (m_payloadExpression.isEmpty())
        return true;
    if (m_payloadSyntax == PayloadSyntax::RegularExpression)
        return m_payloadRegex.match(QString::fromUtf8(payload)).hasMatch();
    if (m_payloadCase == Qt::CaseSensitive)
        return m_payloadMatcher.indexIn(payload) >= 0;
    return QString::fromUtf8(payload).contains(m_payloadExpression, Qt::CaseInsensitive);
}

} // namespace Redwire
