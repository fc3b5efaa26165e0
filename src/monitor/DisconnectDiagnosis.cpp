#include "DisconnectDiagnosis.h"

#include <QCoreApplication>
#include <QLocale>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct DisconnectDiagnosisText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::DisconnectDiagnosis)
};

bool isBacklog(const ReceiveHistory::Burst &burst)
{
    return burst.bytes >= DisconnectDiagnosis::BacklogBytes && double(burst.bytes) >= 2 * burst.expectedBytes;
}
} // namespace

SubscriptionGap::Cause DisconnectDiagnosis::causeOf(const DisconnectEvidence &evidence)
{
    using Cause = SubscriptionGap::Cause;
    switch (evidence.error.code()) {
    case RedisError::Code::HeartbeatTimeout:
        return Cause::HeartbeatTimeout;
    case RedisError::Code::ConnectionLost:
        break;
    default:
        return Cause::ConnectionFailed;
    }
    // The server went away (restart, network): whatever else was going on, that broke it.
    if (evidence.server == DisconnectEvidence::ServerState::Lost || evidence.unreachable)
        return Cause::ServerLost;
    if (evidence.watchLevel == SlowSubscriberWatch::Level::Critical && evidence.watchAgeMs >= 0
        && evidence.watchAgeMs <= FreshReadingMs)
        return Cause::OutputBufferLimit;
    if (isBacklog(evidence.burst) || evidence.burst.longestPauseMs >= StallMs)
        return Cause::ProbablyOutputBufferLimit;
    if (evidence.server == DisconnectEvidence::ServerState::Answered)
        return Cause::Killed;
    return Cause::ConnectionLost;
}

QString DisconnectDiagnosis::limitsText(const SlowSubscriberWatch::Limits &limits)
{
    if (!limits.known)
        return {};
    const QLocale locale;
    auto size = [&](qint64 bytes) {
        return bytes > 0 ? locale.formattedDataSize(bytes) : DisconnectDiagnosisText::tr("none");
    };
    return DisconnectDiagnosisText::tr("client-output-buffer-limit pubsub: %1 hard, %2 soft for %3 s")
        .arg(size(limits.hardBytes), size(limits.softBytes))
        .arg(limits.softSeconds);
}

QString DisconnectDiagnosis::reason(const DisconnectEvidence &evidence)
{
    const QLocale locale;
    const QString error = evidence.error.message();
    const QString limits = limitsText(evidence.limits);
    const QString withLimits = limits.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(limits);
    QString text;
    switch (causeOf(evidence)) {
    case SubscriptionGap::Cause::HeartbeatTimeout:
        text = DisconnectDiagnosisText::tr("the subscriber connection went silent and was replaced (%1)")
                   .arg(error);
        break;
    case SubscriptionGap::Cause::ConnectionFailed:
        text = DisconnectDiagnosisText::tr("the subscriber connection failed (%1)").arg(error);
        break;
    case SubscriptionGap::Cause::ServerLost:
        text = evidence.unreachable
            ? DisconnectDiagnosisText::tr(
                "the connection to the server was lost (%1) and the server could not be reached for a "
                "while: restarted or unreachable")
                  .arg(error)
            : DisconnectDiagnosisText::tr(
                "the connection to the server was lost (%1), on the command connection too")
                  .arg(error);
        break;
    case SubscriptionGap::Cause::OutputBufferLimit:
        text = DisconnectDiagnosisText::tr(
            "disconnected by the server's output buffer limit for Pub/Sub clients%1: it held %2 for "
            "this monitor %3 s before the connection closed")
                   .arg(withLimits, locale.formattedDataSize(evidence.watchBytes))
                   .arg(locale.toString(double(evidence.watchAgeMs) / 1000, 'f', 1));
        break;
    case SubscriptionGap::Cause::ProbablyOutputBufferLimit:
        text = isBacklog(evidence.burst)
            ? DisconnectDiagnosisText::tr(
                "probably disconnected by the server's output buffer limit for Pub/Sub clients%1: the "
                "server closed the connection while a backlog of %2 was arriving (in %3 ms), and stayed up")
                  .arg(withLimits, locale.formattedDataSize(qint64(evidence.burst.bytes)))
                  .arg(evidence.burst.windowMs)
            : DisconnectDiagnosisText::tr(
                "probably disconnected by the server's output buffer limit for Pub/Sub clients%1: the "
                "server closed the connection right after this monitor had stalled for %2 ms, and stayed "
                "up")
                  .arg(withLimits)
                  .arg(evidence.burst.longestPauseMs);
        break;
    case SubscriptionGap::Cause::Killed:
        text = DisconnectDiagnosisText::tr(
            "the server closed the subscriber connection (%1) but kept answering on the command "
            "connection: probably CLIENT KILL or an ACL change")
                   .arg(error);
        break;
    case SubscriptionGap::Cause::ConnectionLost:
        text = DisconnectDiagnosisText::tr("the subscriber connection was lost (%1)").arg(error);
        break;
    }
    if (!evidence.refusedTopics.isEmpty())
        text += DisconnectDiagnosisText::tr("; refused when subscribing again: %1")
                    .arg(evidence.refusedTopics.join(QLatin1String(", ")));
    return text;
}

} // namespace Redwire
