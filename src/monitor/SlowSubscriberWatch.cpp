#include "SlowSubscriberWatch.h"

#include "redis/CommandConnection.h"

#include <QCoreApplication>
#include <QLocale>

namespace Redwire {

namespace {
// The limits rarely change; ask again every this many polls (and after every reconnect).
constexpr int PollsPerLimitsRefresh = 30;

// Redis memory units: b, k, kb, m, mb, g, gb (case-insensitive; k is 1000, kb 1024).
bool parseMemory(const QByteArray &text, qint64 *bytes)
{
    const QByteArray lower = text.toLower();
    static const struct
    {
        const char *suffix;
        qint64 factor;
    } units[] = { { "kb", 1024 }, { "mb", 1024 * 1024 }, { "gb", qint64(1024) * 1024 * 1024 }, { "k", 1000 },
        { "m", 1000 * 1000 }, { "g", 1000 * 1000 * 1000 }, { "b", 1 } };
    QByteArray digits = lower;
    qint64 factor = 1;
    for (const auto &unit : units) {
        if (lower.endsWith(unit.suffix)) {
            digits = lower.left(lower.size() - qsizetype(qstrlen(unit.suffix)));
            factor = unit.factor;
            break;
        }
    }
    bool ok = false;
    const qint64 value = digits.toLongLong(&ok);
    if (!ok || value < 0)
        return false;
    *bytes = value * factor;
    return true;
}
} // namespace

SlowSubscriberWatch::SlowSubscriberWatch(CommandConnection *commands, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &SlowSubscriberWatch::pollNow);
    connect(commands, &RedisConnection::disconnected, this, [this] {
        m_limitsAsked = false;
        setMeasurement(Level::Unknown, -1);
    });
}

void SlowSubscriberWatch::setIntervalMs(int intervalMs)
{
    m_timer.setInterval(qMax(100, intervalMs));
}

void SlowSubscriberWatch::start()
{
    m_timer.start();
    pollNow();
}

void SlowSubscriberWatch::stop()
{
    m_timer.stop();
}

bool SlowSubscriberWatch::parseLimits(const QByteArray &configValue, Limits *pubsub)
{
    const QList<QByteArray> words = configValue.simplified().split(' ');
    for (qsizetype i = 0; i + 3 < words.size(); ++i) {
        if (words.at(i).toLower() != "pubsub")
            continue;
        Limits limits;
        bool ok = false;
        if (!parseMemory(words.at(i + 1), &limits.hardBytes)
            || !parseMemory(words.at(i + 2), &limits.softBytes))
            return false;
        limits.softSeconds = words.at(i + 3).toLongLong(&ok);
        if (!ok)
            return false;
        limits.known = true;
        *pubsub = limits;
        return true;
    }
    return false;
}

qint64 SlowSubscriberWatch::outputMemoryOf(const QByteArray &clientList, const QByteArray &clientName)
{
    qint64 largest = -1;
    const QByteArray wantedName = "name=" + clientName;
    for (const QByteArray &line : clientList.split('\n')) {
        const QList<QByteArray> fields = line.trimmed().split(' ');
        bool ours = false;
        bool pubSub = false;
        qint64 omem = -1;
        for (const QByteArray &field : fields) {
            if (field == wantedName)
                ours = true;
            else if (field.startsWith("flags="))
                pubSub = pubSub || field.indexOf('P') > 5;
            else if (field.startsWith("sub=") || field.startsWith("psub="))
                pubSub = pubSub || field.mid(field.indexOf('=') + 1).toLongLong() > 0;
            else if (field.startsWith("omem="))
                omem = field.mid(5).toLongLong();
        }
        if (ours && pubSub && omem > largest)
            largest = omem;
    }
    return largest;
}

SlowSubscriberWatch::Level SlowSubscriberWatch::levelFor(qint64 bytes, const Limits &limits)
{
    if (!limits.known || bytes < 0)
        return Level::Unknown;
    if ((limits.hardBytes > 0 && bytes * 10 >= limits.hardBytes * 8)
        || (limits.softBytes > 0 && bytes >= limits.softBytes))
        return Level::Critical;
    if ((limits.hardBytes > 0 && bytes * 2 >= limits.hardBytes)
        || (limits.softBytes > 0 && bytes * 2 >= limits.softBytes))
        return Level::Warning;
    return Level::Ok;
}

QString SlowSubscriberWatch::message() const
{
    const QLocale locale;
    switch (m_level) {
    case Level::Unknown:
        return m_problem;
    case Level::Ok:
        return {};
    case Level::Warning:
        return tr("The server holds %1 of output for this monitor (pubsub limit: %2 hard, %3 soft for %4 s). "
                  "The monitor is falling behind.")
            .arg(locale.formattedDataSize(m_outputBufferBytes), locale.formattedDataSize(m_limits.hardBytes),
                locale.formattedDataSize(m_limits.softBytes))
            .arg(m_limits.softSeconds);
    case Level::Critical:
        return tr("The server holds %1 of output for this monitor (pubsub limit: %2 hard, %3 soft for %4 s). "
                  "Redis will soon disconnect it as a slow subscriber: pause, filter or subscribe to less.")
            .arg(locale.formattedDataSize(m_outputBufferBytes), locale.formattedDataSize(m_limits.hardBytes),
                locale.formattedDataSize(m_limits.softBytes))
            .arg(m_limits.softSeconds);
    }
    return {};
}

void SlowSubscriberWatch::askLimits()
{
    m_limitsAsked = true;
    m_pollsSinceLimits = 0;
    m_commands->send({ "CONFIG", "GET", "client-output-buffer-limit" },
        [this](const RedisReply &reply, const RedisError &error) {
            Limits limits;
            if (!error.isError() && reply.isArray() && reply.size() >= 2
                && parseLimits(reply.at(1).bytes(), &limits)) {
                m_limits = limits;
                m_problem.clear();
                return;
            }
            m_limitsAsked = error.isError() ? false : m_limitsAsked; // retry after a lost connection
            m_problem = tr("Cannot read the server's output buffer limits: %1")
                            .arg(RedisError::forUnexpectedReply(reply, error).message());
        });
}

void SlowSubscriberWatch::pollNow()
{
    if (m_polling || !m_commands->isConnected() || m_clientName.isEmpty())
        return;
    if (!m_limitsAsked || ++m_pollsSinceLimits >= PollsPerLimitsRefresh)
        askLimits();
    m_polling = true;
    m_commands->send(
        { "CLIENT", "LIST", "TYPE", "pubsub" }, [this](const RedisReply &reply, const RedisError &error) {
            m_polling = false;
            if (error.isError() || !(reply.isString() || reply.isStatus())) {
                if (!error.isError())
                    m_problem = tr("Cannot list the server's clients: %1")
                                    .arg(RedisError::forUnexpectedReply(reply, error).message());
                setMeasurement(Level::Unknown, -1);
                return;
            }
            const qint64 bytes = outputMemoryOf(reply.bytes(), m_clientName);
            if (bytes >= 0)
                m_sinceReading.start();
            setMeasurement(levelFor(bytes, m_limits), bytes);
        });
}

void SlowSubscriberWatch::setMeasurement(Level level, qint64 bytes)
{
    if (level == m_level && bytes == m_outputBufferBytes)
        return;
    const bool levelChangedNow = level != m_level;
    m_level = level;
    m_outputBufferBytes = bytes;
    Q_EMIT changed();
    if (levelChangedNow)
        Q_EMIT levelChanged(level);
}

} // namespace Redwire
