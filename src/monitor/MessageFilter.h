#pragma once

#include "ChannelGlob.h"

#include <QByteArray>
#include <QByteArrayMatcher>
#include <QHash>
#include <QRegularExpression>
#include <QString>

namespace Redwire {

// Which messages the operator wants to see: a channel filter (a Redis glob, anchored, or a
// regular expression, searched anywhere in the name) and a payload filter (a substring or a
// regular expression). An empty filter accepts everything. Channel decisions are remembered,
// since the same few channels carry most of the traffic.
class MessageFilter
{
public:
    enum class ChannelSyntax { Glob, RegularExpression };
    enum class PayloadSyntax { Substring, RegularExpression };

    // An empty expression clears that part of the filter. Returns false (with the reason in
    // `errorMessage`) for an invalid regular expression, leaving the filter as it was.
    bool setChannelFilter(const QString &expression, ChannelSyntax syntax, QString *errorMessage = nullptr);
    bool setPayloadFilter(const QString &expression, PayloadSyntax syntax,
        Qt::CaseSensitivity caseSensitivity = Qt::CaseSensitive, QString *errorMessage = nullptr);

    QString channelExpression() const { return m_channelExpression; }
    ChannelSyntax channelSyntax() const { return m_channelSyntax; }
    QString payloadExpression() const { return m_payloadExpression; }
    PayloadSyntax payloadSyntax() const { return m_payloadSyntax; }

    bool filtersChannels() const { return !m_channelExpression.isEmpty(); }
    bool filtersPayloads() const { return !m_payloadExpression.isEmpty(); }
    bool isEmpty() const { return !filtersChannels() && !filtersPayloads(); }

    bool acceptsChannel(const QByteArray &channel) const;
    bool acceptsPayload(const QByteArray &payload) const;
    bool accepts(const QByteArray &channel, const QByteArray &payload) const
    {
        return acceptsChannel(channel) && acceptsPayload(payload);
    }

    // Checks a regular expression the way the filter would compile it.
    static QString regularExpressionError(const QString &expression);

private:
    bool evaluateChannel(const QByteArray &channel) const;

    QString m_channelExpression;
    ChannelSyntax m_channelSyntax = ChannelSyntax::Glob;
    ChannelGlob m_channelGlob;
    QRegularExpression m_channelRegex;
    mutable QHash<QByteArray, bool> m_channelDecisions;

    QString m_payloadExpression;
    PayloadSyntax m_payloadSyntax = PayloadSyntax::Substring;
    Qt::CaseSensitivity m_payloadCase = Qt::CaseSensitive;
    QByteArrayMatcher m_payloadMatcher;
    QRegularExpression m_payloadRegex;
};

} // namespace Redwire
