#include "ServerNotices.h"

#include "redis/RedisClient.h"
#include "redis/RedisError.h"

#include <QDateTime>

#include <memory>

namespace Redwire {

void ServerNotices::follow(RedisClient *client, const QString &endpoint)
{
    connect(client, &RedisClient::serverRespondingChanged, this, [this, endpoint](bool responding) {
        Q_EMIT notice(responding ? tr("%1 is responding again.").arg(endpoint)
                                 : tr("%1 is not responding. Waiting with the connection open, so "
                                      "nothing it holds for us is lost.")
                                       .arg(endpoint));
    });
    connect(client, &RedisClient::sentinelEvent, this,
        [this](const QString &, const QByteArray &event, const QByteArray &detail) {
            addSentinelEvent(event, detail);
        });
    connect(client, &RedisClient::masterChanged, this, [this](const QString &master, const QString &reason) {
        Q_EMIT notice(tr("Following the master to %1: %2.").arg(master, reason));
    });
    auto unavailable = [this](const RedisError &error, int nextRetryMs) {
        Q_EMIT notice(tr("%1 Asking again in %2 s.").arg(error.message()).arg(qMax(1, nextRetryMs / 1000)));
    };
    connect(client, &RedisClient::sentinelsUnavailable, this, unavailable);
    connect(client, &RedisClient::clusterUnavailable, this, unavailable);
    // The first node is where it starts, not news.
    connect(client, &RedisClient::clusterNodeChanged, this,
        [this, first = std::make_shared<bool>(true)](const QString &node, const QString &reason) {
            if (!std::exchange(*first, false))
                Q_EMIT notice(tr("Moved to cluster node %1: %2.").arg(node, reason));
        });
    connect(client, &RedisClient::livenessUsesPing, this, [this] {
        Q_EMIT notice(tr("This user may not subscribe to Redwire's heartbeat channel; connection checks "
                         "use PING instead."));
    });
}

void ServerNotices::addSentinelEvent(const QByteArray &event, const QByteArray &detail)
{
    constexpr qsizetype MaxSentinelEvents = 50;
    m_sentinelEvents.append(QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"))
        + QStringLiteral("  ") + QString::fromUtf8(event) + QLatin1Char(' ') + QString::fromUtf8(detail));
    if (m_sentinelEvents.size() > MaxSentinelEvents)
        m_sentinelEvents.removeFirst();
    Q_EMIT sentinelEventsChanged();
}

} // namespace Redwire
