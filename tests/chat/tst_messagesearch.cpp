// Searching a room against a real redis-server: a 2,000-message stream, hits in any case (also
// outside ASCII), newest first, the loaded messages first and then the server in pages, stopping
// at the batch limit until asked to go further, and a clear error when the history cannot be read.
#include "chat/MessageSearch.h"

#include "CommandTestSupport.h"
#include "HistorySeeding.h"
#include "SessionTestSupport.h"

#include "redis/RedisClient.h"

#include <QSignalSpy>

using namespace Redwire;
using namespace ChatTest;
using RedwireTest::RedisServerProcess;

namespace {
// Every 100th message has the needle, in varying case; m1000 has it in German capitals.
QString textOf(int n)
{
    static const QStringList needles { QStringLiteral("NeEdLe"), QStringLiteral("needle"),
        QStringLiteral("NEEDLE") };
    if (n == 1000)
        return QStringLiteral("GROSSE ÄPFEL");
    if (n % 100 == 0)
        return QStringLiteral("message %1 with a %2 in it").arg(n).arg(needles.at((n / 100) % 3));
    return QStringLiteral("message %1").arg(n);
}
} // namespace

class TestMessageSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void searchesLoadedThenServerUpToTheLimit();
    void caseInsensitiveBeyondAscii();
    void anEmptyTextClears();
    void unreadableHistoryIsAnError();

private:
    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<ChatSession> m_session;
    ChatRoom *m_room = nullptr;
    QList<StreamId> m_ids;
};

void TestMessageSearch::initTestCase()
{
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    CommandConnection seeder(optionsFor(*m_server));
    QSignalSpy connected(&seeder, &RedisConnection::connected);
    seeder.connectToServer();
    QVERIFY(connected.wait(5000));
    m_ids = seedMessages(
        seeder, RoomAddress::room(QStringLiteral("chat")), QStringLiteral("bob"), 2000, textOf);
    QCOMPARE(m_ids.size(), 2000);
    m_session = sessionFor(*m_server, QStringLiteral("alice"));
    m_room = m_session->joinRoom(QStringLiteral("chat"));
    QTRY_VERIFY(m_room->isSynced());
    // alice's own notices (joined) go into the stream too: the tests count entries, so they start
    // once the room holds the newest one (under ASan it can land after the room is synced).
    QTRY_COMPARE_WITH_TIMEOUT(m_room->timeline()->newestStreamId().toByteArray(),
        m_server
            ->cli({ QStringLiteral("XREVRANGE"), QString::fromLatin1(m_room->address().historyKey()),
                QStringLiteral("+"), QStringLiteral("-"), QStringLiteral("COUNT"), QStringLiteral("1") })
            .split('\n')
            .value(0)
            .trimmed(),
        10000);
}

void TestMessageSearch::cleanupTestCase()
{
    m_session.reset();
    m_server.reset();
}

void TestMessageSearch::searchesLoadedThenServerUpToTheLimit()
{
    ChatConfig config = fastConfig();
    config.searchPageSize = 300;
    config.searchBatch = 1000;
    MessageSearch search(m_session->client()->commands(), m_room->timeline(), m_room->address().historyKey(),
        QStringLiteral("alice"), config);
    QSignalSpy progress(&search, &MessageSearch::progressChanged);
    // What the search covers: the room's timeline and what lies below it. A notice of alice's
    // written after this (a stalled machine's idle watch) is not part of it.
    const StreamId newest = m_room->timeline()->newestStreamId();
    search.start(QStringLiteral("needle"));
    // The loaded page (the latest 50 or so) at once: m2000 is among them.
    QVERIFY(search.isRunning());
    QVERIFY(!search.hits().isEmpty());
    QCOMPARE(search.hits().first().streamId, m_ids.at(1999));
    const int loaded = search.searchedCount();
    QVERIFY2(loaded >= 49 && loaded <= 60, qPrintable(QString::number(loaded)));
    // Then the server, a page at a time, with progress, up to the batch limit.
    QTRY_VERIFY_WITH_TIMEOUT(!search.isRunning(), 10000);
    QVERIFY(progress.size() >= 3);
    QCOMPARE(search.searchedCount(), loaded + 1000);
    QVERIFY(!search.isComplete());
    QVERIFY(search.error().isEmpty());
    // The newest ~1,050 entries reach back to about m950: m1100 .. m2000 (m1000 has no needle).
    QCOMPARE(search.hits().size(), 10);
    QCOMPARE(search.hits().last().streamId, m_ids.at(1099));
    for (int i = 1; i < search.hits().size(); ++i)
        QVERIFY(search.hits().at(i).streamId < search.hits().at(i - 1).streamId);

    // Further: to the beginning of the history.
    search.searchFurther();
    QVERIFY(search.isRunning());
    QTRY_VERIFY_WITH_TIMEOUT(!search.isRunning(), 10000);
    QVERIFY(search.isComplete());
    // Every entry once: what was loaded, then the rest of the stream below it.
    const RedisReply upToNewest = RedwireTest::roundTrip(*m_session->client()->commands(),
        { "XRANGE", m_room->address().historyKey(), "-", newest.toByteArray() });
    QCOMPARE(upToNewest.type(), RedisReply::Type::Array);
    QCOMPARE(search.searchedCount(), int(upToNewest.size()));
    QCOMPARE(search.hits().size(), 19); // m100 .. m2000 but m1000
    for (const MessageSearch::Hit &hit : search.hits()) {
        QVERIFY2(hit.text.contains(QStringLiteral("needle"), Qt::CaseInsensitive), qPrintable(hit.text));
        QCOMPARE(hit.sender, QStringLiteral("bob"));
    }
    QCOMPARE(search.hits().last().streamId, m_ids.at(99));
    search.searchFurther(); // nothing left: no-op
    QVERIFY(!search.isRunning());
}

void TestMessageSearch::caseInsensitiveBeyondAscii()
{
    MessageSearch search(m_session->client()->commands(), m_room->timeline(), m_room->address().historyKey(),
        QStringLiteral("alice"), fastConfig());
    search.start(QStringLiteral("  grosse äpfel  "));
    QTRY_VERIFY_WITH_TIMEOUT(!search.isRunning(), 10000);
    QVERIFY(search.isComplete()); // 2,000 < the default batch of 5,000
    QCOMPARE(search.hits().size(), 1);
    QCOMPARE(search.hits().first().streamId, m_ids.at(999));
    QCOMPARE(search.hits().first().text, QStringLiteral("GROSSE ÄPFEL"));
}

void TestMessageSearch::anEmptyTextClears()
{
    MessageSearch search(m_session->client()->commands(), m_room->timeline(), m_room->address().historyKey(),
        QStringLiteral("alice"), fastConfig());
    search.start(QStringLiteral("message 1999"));
    QCOMPARE(search.hits().size(), 1);
    QSignalSpy cleared(&search, &MessageSearch::hitsCleared);
    search.start(QStringLiteral("   "));
    QCOMPARE(cleared.size(), 1);
    QVERIFY(search.hits().isEmpty());
    QVERIFY(!search.isRunning());
    QCOMPARE(search.searchedCount(), 0);
}

void TestMessageSearch::unreadableHistoryIsAnError()
{
    m_server->cli({ QStringLiteral("SET"), QStringLiteral("not-a-stream"), QStringLiteral("x") });
    ChatRoom *empty = m_session->joinRoom(QStringLiteral("nothing here"));
    MessageSearch search(m_session->client()->commands(), empty->timeline(), "not-a-stream",
        QStringLiteral("alice"), fastConfig());
    search.start(QStringLiteral("needle"));
    QTRY_VERIFY_WITH_TIMEOUT(!search.isRunning(), 10000);
    QVERIFY2(search.error().contains(QStringLiteral("WRONGTYPE")), qPrintable(search.error()));
    QVERIFY(search.hits().isEmpty());
}

QTEST_GUILESS_MAIN(TestMessageSearch)
#include "tst_messagesearch.moc"
