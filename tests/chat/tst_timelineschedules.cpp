// Model-based test of RoomTimeline: thousands of random schedules of what a room lives through
// (two users sending in turn, our own sends with their replies and echoes, external publishers,
// live deliveries duplicated or swapped, forged stream IDs, subscriptions lost and regained,
// catch-up pages interleaved with live messages, older pages) are driven through the timeline
// with the catch-up rules TimelineSync follows. After a last reconnect and catch-up the timeline
// must equal the reference: every stored message exactly once, in stream order, with its stored
// content; every external message; none of our messages left unplaced; and every change signal
// replayable by a list model (TimelineMirror).
#include "chat/RoomTimeline.h"

#include "TimelineMirror.h"

#include <QRandomGenerator>
#include <QTest>

#include <map>

using namespace Redwire;

namespace {

// The server side: the room's stream (ID n-0 for the n-th entry) and what each entry holds.
struct Stream
{
    struct Entry
    {
        QString envelopeId;
        QString text;
        bool own = false;
    };
    std::map<int, Entry> entries;
    int last = 0;

    int append(const QString &envelopeId, const QString &text, bool own)
    {
        entries[++last] = { envelopeId, text, own };
        return last;
    }
    ChatMessage message(int n) const
    {
        const Entry &entry = entries.at(n);
        ChatMessage message;
        message.id = entry.envelopeId;
        message.streamId = StreamId(quint64(n), 0);
        message.sender = entry.own ? QStringLiteral("me") : QStringLiteral("bob");
        message.own = entry.own;
        message.text = entry.text;
        return message;
    }
    // XRANGE (after + COUNT count
    QList<ChatMessage> range(int after, int count) const
    {
        QList<ChatMessage> page;
        for (auto it = entries.upper_bound(after); it != entries.end() && page.size() < count; ++it)
            page.append(message(it->first));
        return page;
    }
    // XREVRANGE (before - COUNT count, ascending
    QList<ChatMessage> before(int before, int count) const
    {
        QList<ChatMessage> page;
        for (int n = qMin(before - 1, last); n >= 1 && page.size() < count; --n)
            page.prepend(message(n));
        return page;
    }
};

// One client's room, driven the way ChatRoom and TimelineSync drive a RoomTimeline.
class Schedule
{
public:
    explicit Schedule(quint32 seed)
        : m_random(seed)
        , m_mirror(&m_timeline)
    { }

    QString run()
    {
        const int steps = int(m_random.bounded(20, 120));
        for (int step = 0; step < steps; ++step)
            if (const QString problem = act(); !problem.isEmpty())
                return problem;
        return finish();
    }

private:
    int pick(int below) { return int(m_random.bounded(below)); }

    QString act()
    {
        if (qEnvironmentVariableIsSet("REDWIRE_SCHEDULE_TRACE"))
            qDebug() << "subscribed" << m_subscribed << "synced" << m_synced << "reading" << m_reading
                     << "from" << m_readFrom << "cursor" << m_readCursor << "caughtUpTo" << m_caughtUpTo
                     << "last" << m_stream.last << "verified"
                     << m_timeline.newestVerifiedStreamId().toByteArray() << "|" << describe();
        switch (pick(13)) {
        case 0:
        case 1:
            publishOther();
            break;
        case 2:
            sendOwn();
            break;
        case 3:
            serverAcceptsOwn();
            break;
        case 4:
        case 5:
            deliverLive(pick(3) + 1);
            break;
        case 6:
            if (m_subscribed && pick(3) == 0)
                loseSubscription();
            else if (!m_subscribed)
                activateSubscription();
            break;
        case 7:
        case 8:
            readCatchUpPage();
            break;
        case 9:
            if (m_subscribed)
                m_timeline.addLive(external(), m_epoch);
            break;
        case 10:
            duplicateOrSwap();
            break;
        case 11:
            forge();
            break;
        case 12:
            loadOlder();
            break;
        }
        return m_mirror.problems();
    }

    ChatMessage external()
    {
        ChatMessage message;
        message.external = true;
        message.text = QStringLiteral("x%1").arg(++m_externals);
        return message;
    }

    // Someone else sends: stored, and published to the live queue when we are subscribed.
    void publishOther()
    {
        const int n = m_stream.append(QStringLiteral("b%1").arg(m_stream.last + 1),
            QStringLiteral("m%1").arg(m_stream.last + 1), false);
        if (m_subscribed)
            m_inFlight.append(m_stream.message(n));
    }

    void sendOwn()
    {
        ChatMessage message;
        message.id = QStringLiteral("own%1").arg(++m_ownSent);
        message.sender = QStringLiteral("me");
        message.text = message.id;
        message.own = true;
        message.delivery = ChatMessage::Delivery::Pending;
        m_timeline.addPending(message);
        m_outbox.append(message.id);
    }

    // The send script ran: stored and published; its reply (with the ID) arrives now or later.
    void serverAcceptsOwn()
    {
        if (m_outbox.isEmpty() || !m_connected)
            return;
        const QString id = m_outbox.takeFirst();
        const int n = m_stream.append(id, id, true);
        if (m_subscribed)
            m_inFlight.append(m_stream.message(n));
        m_replies.append({ id, n });
        if (pick(2) == 0)
            deliverReplies();
    }

    void deliverReplies()
    {
        for (const auto &[id, n] : std::as_const(m_replies))
            m_timeline.setDelivery(id, ChatMessage::Delivery::Sent, StreamId(quint64(n), 0));
        m_replies.clear();
    }

    void deliverLive(int count)
    {
        for (int i = 0; i < count && !m_inFlight.isEmpty(); ++i)
            m_timeline.addLive(m_inFlight.takeFirst(), m_epoch);
        if (pick(3) == 0)
            deliverReplies();
    }

    void duplicateOrSwap()
    {
        if (!m_subscribed)
            return;
        if (pick(2) == 0 && m_inFlight.size() >= 2) {
            const int i = pick(int(m_inFlight.size()) - 1);
            m_inFlight.swapItemsAt(i, i + 1);
        } else if (m_stream.last > 0) {
            m_inFlight.append(m_stream.message(pick(m_stream.last) + 1)); // a repeated delivery
        }
    }

    // A raw client publishes an envelope with a made-up stream ID, inside or just past the
    // stream's range, with content no stored entry has.
    void forge()
    {
        if (!m_subscribed)
            return;
        ChatMessage forged;
        forged.id = QStringLiteral("forged%1").arg(++m_forged);
        forged.sender = QStringLiteral("alice");
        forged.text = forged.id;
        forged.streamId = StreamId(quint64(pick(m_stream.last + ForgedReach) + 1), quint64(pick(2)));
        m_inFlight.append(forged);
        m_forgedReach = qMax(m_forgedReach, int(forged.streamId.milliseconds()));
    }

    void activateSubscription()
    {
        m_connected = true;
        m_subscribed = true;
        ++m_epoch;
        m_synced = false;
        m_reading = true;
        // As TimelineSync: before the first page, live messages already held are read from on.
        const StreamId heldOldest = m_timeline.oldestStreamId();
        m_firstRead = !m_loadedOnce && heldOldest.isNull();
        if (!m_loadedOnce && !m_firstRead)
            m_caughtUpTo = int(heldOldest.milliseconds()) - (heldOldest.sequence() == 0 ? 1 : 0);
        m_readFrom = m_firstRead ? 0 : m_caughtUpTo;
        m_readTo = 0;
        m_readCursor = m_readFrom;
    }

    void loseSubscription()
    {
        // What was in flight on the old connection is gone.
        m_inFlight.clear();
        if (m_synced)
            m_caughtUpTo = int(m_timeline.newestVerifiedStreamId().milliseconds());
        m_subscribed = false;
        m_synced = false;
        m_reading = false;
        if (pick(2) == 0) {
            m_connected = false;
            m_replies.clear(); // replies lost with the connection; the stored copy places them
        }
    }

    void readCatchUpPage()
    {
        if (!m_reading)
            return;
        if (m_firstRead) {
            // The latest page on joining.
            const QList<ChatMessage> page = m_stream.before(m_stream.last + 1, PageSize);
            m_timeline.addStored(page, m_epoch);
            if (!page.isEmpty())
                m_timeline.dropUnconfirmedStreamIds(
                    page.size() < PageSize ? StreamId(0, 0) : page.first().streamId, page.last().streamId);
            m_loadedOnce = true;
            m_oldestLoaded = page.isEmpty() ? m_stream.last + 1 : int(page.first().streamId.milliseconds());
            m_reading = false;
            m_synced = true;
            return;
        }
        const QList<ChatMessage> page = m_stream.range(m_readCursor, CatchUpPageSize);
        for (const ChatMessage &message : page)
            m_readTo = qMax(m_readTo, int(message.streamId.milliseconds()));
        m_timeline.addStored(page, m_epoch);
        if (!page.isEmpty())
            m_readCursor = int(page.last().streamId.milliseconds());
        if (page.size() < CatchUpPageSize) {
            if (m_readTo > 0)
                m_timeline.dropUnconfirmedStreamIds(
                    StreamId(quint64(m_readFrom), 0).next(), StreamId(quint64(m_readTo), 0));
            m_reading = false;
            m_synced = true;
            if (!m_loadedOnce) {
                m_loadedOnce = true;
                m_oldestLoaded = m_readFrom + 1;
            }
        }
    }

    void loadOlder()
    {
        if (!m_loadedOnce || m_oldestLoaded <= 1)
            return;
        // As TimelineSync::loadOlder: XREVRANGE (boundary - COUNT n.
        const StreamId boundary = m_timeline.olderPageBoundary();
        const int before = boundary.isNull()
            ? m_oldestLoaded
            : int(boundary.milliseconds()) + (boundary.sequence() > 0 ? 1 : 0);
        const QList<ChatMessage> page = m_stream.before(before, PageSize);
        m_timeline.addOlder(page);
        if (!boundary.isNull())
            m_timeline.dropUnconfirmedStreamIds(
                page.size() < PageSize ? StreamId(0, 0) : page.first().streamId, boundary.previous());
        if (page.size() < PageSize)
            m_oldestLoaded = 1; // the start of the stream
        else
            m_oldestLoaded = qMin(m_oldestLoaded, int(page.first().streamId.milliseconds()));
    }

    QString finish()
    {
        // Everyone's real messages reach past every forged ID; our outbox empties; then one last
        // outage and a complete catch-up, and every older page.
        if (!m_subscribed)
            activateSubscription();
        while (m_reading)
            readCatchUpPage();
        while (m_stream.last <= m_forgedReach + 1)
            publishOther();
        while (!m_outbox.isEmpty())
            serverAcceptsOwn();
        deliverLive(int(m_inFlight.size()));
        deliverReplies();
        loseSubscription();
        activateSubscription();
        while (m_reading)
            readCatchUpPage();
        while (m_loadedOnce && m_oldestLoaded > 1)
            loadOlder();
        return compare();
    }

    QString compare() const
    {
        if (const QString problems = m_mirror.problems(); !problems.isEmpty())
            return problems;
        if (m_timeline.unplacedCount() != 0)
            return QStringLiteral("%1 of our messages never placed: %2")
                .arg(m_timeline.unplacedCount())
                .arg(describe());
        int previous = 0;
        int externals = 0;
        QStringList others;
        for (int row = 0; row < m_timeline.count(); ++row) {
            const ChatMessage &message = m_timeline.at(row);
            if (message.external) {
                ++externals;
                continue;
            }
            if (message.streamId.isNull()) {
                if (!message.id.startsWith(QLatin1String("forged")))
                    return QStringLiteral("row %1 (%2) has no stream ID").arg(row).arg(message.text);
                continue; // a forged claim, shown where it arrived and anchoring nothing
            }
            const int n = int(message.streamId.milliseconds());
            if (message.streamId.sequence() != 0 || !m_stream.entries.count(n))
                return QStringLiteral("row %1 (%2) holds ID %3, which the stream does not")
                    .arg(row)
                    .arg(message.text, QString::fromLatin1(message.streamId.toByteArray()));
            if (n != previous + 1)
                return QStringLiteral("row %1 holds %2 after %3").arg(row).arg(n).arg(previous);
            if (message.text != m_stream.entries.at(n).text
                || message.id != m_stream.entries.at(n).envelopeId)
                return QStringLiteral("row %1 (ID %2) shows %3, stored %4")
                    .arg(row)
                    .arg(n)
                    .arg(message.text, m_stream.entries.at(n).text);
            previous = n;
        }
        if (previous != m_stream.last)
            return QStringLiteral("the timeline ends at %1 of %2").arg(previous).arg(m_stream.last);
        if (externals != m_externals)
            return QStringLiteral("%1 of %2 external messages").arg(externals).arg(m_externals);
        return {};
    }

    QString describe() const
    {
        QStringList rows;
        for (int row = 0; row < m_timeline.count(); ++row) {
            const ChatMessage &message = m_timeline.at(row);
            rows.append(QStringLiteral("%1@%2").arg(
                message.text, QString::fromLatin1(message.streamId.toByteArray())));
        }
        return rows.join(QLatin1Char(' '));
    }

    static constexpr int PageSize = 6;
    static constexpr int CatchUpPageSize = 5;
    static constexpr int ForgedReach = 8;

    QRandomGenerator m_random;
    RoomTimeline m_timeline { 100000 };
    TimelineMirror m_mirror;
    Stream m_stream;
    QList<ChatMessage> m_inFlight; // published, not yet delivered to us
    QStringList m_outbox;
    QList<QPair<QString, int>> m_replies;
    int m_epoch = 0;
    int m_externals = 0;
    int m_ownSent = 0;
    int m_forged = 0;
    int m_forgedReach = 0;
    bool m_connected = false;
    bool m_subscribed = false;
    bool m_synced = false;
    bool m_reading = false;
    bool m_loadedOnce = false;
    bool m_firstRead = false;
    int m_oldestLoaded = 0;
    int m_caughtUpTo = 0;
    int m_readFrom = 0;
    int m_readTo = 0;
    int m_readCursor = 0;
};

} // namespace

class TestTimelineSchedules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void randomSchedulesMatchTheStream();
    void alternatingSendersCaughtUpAfterReconnect();
};

void TestTimelineSchedules::randomSchedulesMatchTheStream()
{
    // REDWIRE_SCHEDULES raises the count for a longer hunt (200,000 pass in ~17 s); a failing seed
    // is printed, REDWIRE_FIRST_SCHEDULE=seed REDWIRE_SCHEDULES=1 REDWIRE_SCHEDULE_TRACE=1 replays it.
    const int schedules = qEnvironmentVariableIntValue("REDWIRE_SCHEDULES") > 0
        ? qEnvironmentVariableIntValue("REDWIRE_SCHEDULES")
        : 3000;
    const int firstSeed = qMax(1, qEnvironmentVariableIntValue("REDWIRE_FIRST_SCHEDULE"));
    for (int seed = firstSeed; seed < firstSeed + schedules; ++seed) {
        Schedule schedule { quint32(seed) };
        const QString problem = schedule.run();
        QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(problem)));
    }
}

void TestTimelineSchedules::alternatingSendersCaughtUpAfterReconnect()
{
    // The crash as reported: a and b alternate; a's subscription drops, a keeps sending (its
    // messages wait unplaced, then their replies arrive), b's are missed; the catch-up page holds
    // a0 b0 a1 b1 ... and must place ours and insert b's between them.
    RoomTimeline timeline;
    TimelineMirror mirror(&timeline);
    QList<ChatMessage> page;
    for (int i = 0; i < 6; ++i) {
        ChatMessage own;
        own.id = QStringLiteral("a%1").arg(i);
        own.text = own.id;
        own.own = true;
        own.delivery = ChatMessage::Delivery::Pending;
        timeline.addPending(own);
        timeline.setDelivery(own.id, ChatMessage::Delivery::Sent, StreamId(quint64(2 * i + 1), 0));
        ChatMessage stored = own;
        stored.streamId = StreamId(quint64(2 * i + 1), 0);
        stored.delivery = ChatMessage::Delivery::Received;
        page.append(stored);
        ChatMessage other;
        other.id = QStringLiteral("b%1").arg(i);
        other.text = other.id;
        other.streamId = StreamId(quint64(2 * i + 2), 0);
        page.append(other);
    }
    timeline.addStored(page, 2);
    QStringList texts;
    for (int row = 0; row < timeline.count(); ++row)
        texts.append(timeline.at(row).text);
    QCOMPARE(texts, QStringList({ "a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4", "a5", "b5" }));
    QCOMPARE(timeline.unplacedCount(), 0);
    QCOMPARE(mirror.problems(), QString());
}

QTEST_GUILESS_MAIN(TestTimelineSchedules)
#include "tst_timelineschedules.moc"
