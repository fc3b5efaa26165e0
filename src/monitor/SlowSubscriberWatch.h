#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace Redwire {

class CommandConnection;

// Warns before Redis disconnects us as a slow subscriber: polls how much output the server holds
// for our subscriber connection (CLIENT LIST, omem of the Pub/Sub client carrying our client
// name) and compares it with `client-output-buffer-limit` for the pubsub class (CONFIG GET).
class SlowSubscriberWatch : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Level level READ level NOTIFY changed)
    Q_PROPERTY(qint64 outputBufferBytes READ outputBufferBytes NOTIFY changed)
public:
    enum class Level {
        Unknown, // not measured (yet), or the server does not let us
        Ok,
        Warning, // half way to a limit
        Critical, // past the soft limit (its timer runs) or at 80% of the hard limit
    };
    Q_ENUM(Level)

    // The pubsub class of client-output-buffer-limit; 0 means no limit.
    struct Limits
    {
        qint64 hardBytes = 0;
        qint64 softBytes = 0;
        qint64 softSeconds = 0;
        bool known = false;
    };

    explicit SlowSubscriberWatch(CommandConnection *commands, QObject *parent = nullptr);

    // The name our subscriber connection gives in CLIENT SETNAME.
    void setClientName(const QByteArray &name) { m_clientName = name; }
    void setIntervalMs(int intervalMs);
    void start();
    void stop();
    void pollNow();

    Level level() const { return m_level; }
    qint64 outputBufferBytes() const { return m_outputBufferBytes; } // -1: not known
    // Milliseconds since the last reading that found our connection; -1: none yet.
    qint64 lastReadingAgeMs() const { return m_sinceReading.isValid() ? m_sinceReading.elapsed() : -1; }
    Limits limits() const { return m_limits; }
    // A sentence for the operator about the current level; empty when there is nothing to say.
    QString message() const;

    // "normal 0 0 0 replica 268435456 67108864 60 pubsub 33554432 8388608 60" (units allowed).
    static bool parseLimits(const QByteArray &configValue, Limits *pubsub);
    // The largest omem among the Pub/Sub clients called `clientName`; -1 when there is none.
    static qint64 outputMemoryOf(const QByteArray &clientList, const QByteArray &clientName);
    static Level levelFor(qint64 outputBufferBytes, const Limits &limits);

Q_SIGNALS:
    void changed();
    void levelChanged(Redwire::SlowSubscriberWatch::Level level);

private:
    void askLimits();
    void setMeasurement(Level level, qint64 bytes);

    CommandConnection *m_commands;
    QTimer m_timer { this };
    QByteArray m_clientName;
    Limits m_limits;
    bool m_limitsAsked = false;
    bool m_polling = false;
    int m_pollsSinceLimits = 0;
    Level m_level = Level::Unknown;
    qint64 m_outputBufferBytes = -1;
    QElapsedTimer m_sinceReading;
    QString m_problem;
};

} // namespace Redwire
