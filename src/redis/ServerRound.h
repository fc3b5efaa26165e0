#pragma once

#include "ConnectionOptions.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>

namespace Redwire {

class CommandConnection;

// Asks servers one after the other until one gives an answer its caller accepts: what finding
// the master through sentinels and finding a cluster node that answers have in common. Each
// server gets a short-lived CommandConnection of its own and a time limit; once it is connected,
// the caller's `ask` sends what it wants on it and, from the replies, calls accept() or
// reject(reason). A rejected (or failing, or silent) server is followed by the next one; when
// none is left, exhausted() carries every server's reason. One round at a time.
class ServerRound : public QObject
{
    Q_OBJECT
public:
    using OptionsFor = std::function<ConnectionOptions(const ServerAddress &server)>;
    using Ask = std::function<void(CommandConnection *connection)>;

    // `what` names the servers in the log ("sentinel", "cluster node"); `timeoutMs` is the
    // connections' own timeout: a server gets twice that in all.
    ServerRound(const QString &what, int timeoutMs, OptionsFor optionsFor, QObject *parent = nullptr);
    ~ServerRound() override;

    bool isRunning() const { return m_index >= 0; }
    // Starts a round (nothing when one is running or `servers` is empty). Nothing is asked from
    // inside this call.
    void start(const QList<ServerAddress> &servers, Ask ask);
    void cancel();

    // Whether a reply handler's connection is the one being asked (not one already given up).
    bool isCurrent(const CommandConnection *connection) const;
    ServerAddress current() const;
    // The current server's verdict. accept() ends the round and hands its connection over (the
    // caller deletes it, with deleteLater); reject() moves on to the next server.
    CommandConnection *accept();
    void reject(const QString &reason);

Q_SIGNALS:
    // No server was accepted; one "host:port: reason" per server.
    void exhausted(const QStringList &problems);

private:
    void askCurrent();
    void dropConnection();

    QString m_what;
    int m_timeoutMs;
    OptionsFor m_optionsFor;
    Ask m_ask;
    QList<ServerAddress> m_servers;
    int m_index = -1; // the server being asked; -1: no round running
    QStringList m_problems;
    QPointer<CommandConnection> m_connection;
    QTimer m_timeout;
};

} // namespace Redwire
