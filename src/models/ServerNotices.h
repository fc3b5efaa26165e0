#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace Redwire {

class RedisClient;

// What the client says about the server, as sentences for the monitor's status line: not
// responding and back, following a new master, no sentinel answering, PING used for liveness;
// and the newest events the sentinels published about the master (time, event, detail).
class ServerNotices : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Follows `client`'s notices; `endpoint` names the server in the sentences.
    void follow(RedisClient *client, const QString &endpoint);
    // Oldest first, at most 50.
    QStringList sentinelEvents() const { return m_sentinelEvents; }

Q_SIGNALS:
    void notice(const QString &sentence);
    void sentinelEventsChanged();

private:
    void addSentinelEvent(const QByteArray &event, const QByteArray &detail);

    QStringList m_sentinelEvents;
};

} // namespace Redwire
