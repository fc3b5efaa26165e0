#pragma once

#include "MonitorOptions.h"

#include "monitor/MessageSink.h"

#include "redis/RedisConnection.h"
#include "redis/SubscriberConnection.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <memory>

namespace Redwire {
class ChannelMonitor;
class KeyspaceNotificationConfig;
class MessageFormatter;
struct SubscriptionGap;
} // namespace Redwire
class OutputWriter;

// One run of redwire-monitor: a ChannelMonitor without history, whose accepted messages are
// formatted into the output (or only counted, for --format none), until --count, --duration, a
// termination signal or a lost connection ends it. Decides the exit code; notes go to stderr.
// Every break in the subscription is reported on stderr (even with --quiet) and, in the text,
// jsonl and csv formats, as a line of the output; a break still open at the end is reported then.
class MonitorSession : public QObject, public Redwire::MessageSink
{
    Q_OBJECT
public:
    enum ExitCode { Done = 0, ConnectionLost = 1, UsageError = 2, CannotConnect = 3 };

    MonitorSession(const MonitorOptions &options, OutputWriter *output, QObject *parent = nullptr);
    ~MonitorSession() override;

    void start();
    // SIGINT or SIGTERM: flush and end with Done.
    void terminate();

    void messageAccepted(const Redwire::MessageView &message) override;

Q_SIGNALS:
    // Emitted once, from the event loop (never from inside a message delivery).
    void finished(int exitCode);

private:
    void watch(Redwire::RedisConnection *connection, bool isSubscriber);
    void connectionFailed(bool isSubscriber, const Redwire::RedisError &error, int nextRetryDelayMs);
    void topicConfirmed();
    void topicRefused(Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name,
        const Redwire::RedisError &error);
    void reportGap(const Redwire::SubscriptionGap &gap);
    void keyspaceConfigChanged();
    void printStatistics();
    void note(const QString &text);
    void error(const QString &text);
    void finish(int exitCode);

    MonitorOptions m_options;
    // The server as notes name it: the URL's, then (Sentinel) the master's current address.
    QString m_endpoint;
    OutputWriter *m_output;
    Redwire::ChannelMonitor *m_monitor;
    Redwire::KeyspaceNotificationConfig *m_keyspaceConfig = nullptr; // with --keyspace
    QString m_keyspaceNote; // the last one written, so that a re-check after a reconnect is quiet
    bool m_keyspaceEnableTried = false;
    std::unique_ptr<Redwire::MessageFormatter> m_formatter;
    QTimer m_durationTimer;
    QTimer m_statsTimer;
    QElapsedTimer m_runClock;
    qint64 m_printed = 0;
    int m_topicsWanted = 0;
    int m_topicsConfirmed = 0;
    int m_topicsRefused = 0;
    bool m_subscriberEverConnected = false;
    bool m_commandsEverConnected = false;
    bool m_reconnecting = false;
    bool m_countReached = false; // or finishing: messages are no longer written
    bool m_finishing = false;
};
