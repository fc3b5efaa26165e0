// HistoryBackfill against a real redis-server: the latest page, older pages, catching up in
// pages after an ID, entries written by others, malformed replies, cancelling, failures.
#include "chat/ChatEnvelope.h"
#include "chat/HistoryBackfill.h"

#include "ChatTestSupport.h"

#include <QSignalSpy>

using namespace Redwire;
using ChatTest::roundTrip;
using Purpose = HistoryBackfill::Purpose;
using RedwireTest::RedisServerProcess;

namespace {
const QByteArray Key = "redwire:{room:chat}:history";

// XADDs `count` envelopes "t1".."t<count>" (numbered from `first`); returns their IDs.
QList<StreamId> addMessages(CommandConnection &connection, int first, int count)
{
    QList<StreamId> ids;
    for (int n = first; n < first + count; ++n) {
        const QByteArray env = ChatEnvelope::create(
            ChatEnvelope::Kind::Message, QStringLiteral("bob"), QStringLiteral("t%1").arg(n))
                                   .encode();
        ids.append(StreamId::parse(roundTrip(connection, { "XADD", Key, "*", "env", env }).bytes()));
    }
    return ids;
}

QStringList textsOf(const QList<ChatEnvelope> &envelopes)
{
    QStringList texts;
    for (const ChatEnvelope &envelope : envelopes)
        texts.append(envelope.text);
    return texts;
}

QStringList range(int from, int to)
{
    QStringList texts;
    for (int n = from; n <= to; ++n)
        texts.append(QStringLiteral("t%1").arg(n));
    return texts;
}

struct Page
{
    Purpose purpose;
    QList<ChatEnvelope> envelopes;
    bool finished;
    bool reachedStart;
    int tag;
};

Page pageAt(const QSignalSpy &spy, int index)
{
    const QList<QVariant> &args = spy.at(index);
    return { args.at(0).value<Purpose>(), args.at(1).value<QList<ChatEnvelope>>(), args.at(2).toBool(),
        args.at(3).toBool(), args.at(4).toInt() };
}
} // namespace

class TestHistoryBackfill : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void latestThenOlderPages();
    void catchUpInPages();
    void catchUpFromTheStart();
    void emptyStream();
    void entriesWrittenByOthers();
    void malformedRepliesAreSkipped();
    void cancelDropsTheAnswer();
    void failureIsReported();

private:
    RedisServerProcess m_server;
    std::unique_ptr<CommandConnection> m_connection;
    ChatConfig m_config;
};

void TestHistoryBackfill::initTestCase()
{
    qRegisterMetaType<QList<ChatEnvelope>>();
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void TestHistoryBackfill::init()
{
    m_connection = std::make_unique<CommandConnection>(ChatTest::optionsFor(m_server));
    QSignalSpy connected(m_connection.get(), &RedisConnection::connected);
    m_connection->connectToServer();
    QVERIFY(connected.wait(5000));
    QCOMPARE(roundTrip(*m_connection, { "FLUSHALL" }), RedisReply::status("OK"));
    m_config = ChatConfig();
}

void TestHistoryBackfill::cleanup()
{
    m_connection.reset();
}

void TestHistoryBackfill::latestThenOlderPages()
{
    const QList<StreamId> ids = addMessages(*m_connection, 1, 120);
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);

    QVERIFY(backfill.loadLatest(7));
    QVERIFY(!backfill.loadLatest(7)); // already running
    QVERIFY(pages.wait(5000));
    Page page = pageAt(pages, 0);
    QCOMPARE(page.purpose, Purpose::Latest);
    QCOMPARE(textsOf(page.envelopes), range(71, 120));
    QCOMPARE(page.envelopes.last().streamId, ids.last());
    QVERIFY(page.finished);
    QVERIFY(!page.reachedStart);
    QCOMPARE(page.tag, 7);

    QVERIFY(backfill.loadOlder(page.envelopes.first().streamId, 7));
    QVERIFY(pages.wait(5000));
    page = pageAt(pages, 1);
    QCOMPARE(textsOf(page.envelopes), range(21, 70));
    QVERIFY(!page.reachedStart);

    QVERIFY(backfill.loadOlder(page.envelopes.first().streamId, 7));
    QVERIFY(pages.wait(5000));
    page = pageAt(pages, 2);
    QCOMPARE(textsOf(page.envelopes), range(1, 20));
    QVERIFY(page.reachedStart);
    QCOMPARE(page.envelopes.first().streamId, ids.first());
}

void TestHistoryBackfill::catchUpInPages()
{
    const QList<StreamId> ids = addMessages(*m_connection, 1, 100);
    m_config.catchUpPageSize = 30;
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);
    QVERIFY(backfill.catchUp(ids.at(9), 3)); // after t10
    QTRY_VERIFY(!pages.isEmpty() && pages.last().at(2).toBool());
    QCOMPARE(pages.count(), 4); // 30 + 30 + 30 + 0 (the last full page needs one more read)
    QList<ChatEnvelope> all;
    for (int i = 0; i < pages.count(); ++i) {
        const Page page = pageAt(pages, i);
        QCOMPARE(page.purpose, Purpose::CatchUp);
        QCOMPARE(page.finished, i == pages.count() - 1);
        all += page.envelopes;
    }
    QCOMPARE(textsOf(all), range(11, 100));
    QVERIFY(!backfill.isRunning(Purpose::CatchUp));
}

void TestHistoryBackfill::catchUpFromTheStart()
{
    addMessages(*m_connection, 1, 5);
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);
    QVERIFY(backfill.catchUp(StreamId(), 0));
    QVERIFY(pages.wait(5000));
    QCOMPARE(textsOf(pageAt(pages, 0).envelopes), range(1, 5));
}

void TestHistoryBackfill::emptyStream()
{
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);
    QVERIFY(backfill.loadLatest(1));
    QVERIFY(pages.wait(5000));
    QVERIFY(pageAt(pages, 0).envelopes.isEmpty());
    QVERIFY(pageAt(pages, 0).reachedStart);
}

void TestHistoryBackfill::entriesWrittenByOthers()
{
    roundTrip(*m_connection, { "XADD", Key, "*", "text", "hi", "user", "x" });
    roundTrip(*m_connection, { "XADD", Key, "*", "env", "not json \xe2\x80\xae!" });
    // A "sid" inside the stored JSON is ignored: the entry's own ID wins.
    const QByteArray liar = "{\"sid\":\"1-1\","
        + ChatEnvelope::create(ChatEnvelope::Kind::Message, "bob", "ok").encode().mid(1);
    const StreamId liarId
        = StreamId::parse(roundTrip(*m_connection, { "XADD", Key, "*", "env", liar }).bytes());
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);
    QVERIFY(backfill.loadLatest(1));
    QVERIFY(pages.wait(5000));
    const QList<ChatEnvelope> envelopes = pageAt(pages, 0).envelopes;
    QCOMPARE(envelopes.size(), 3);
    QVERIFY(envelopes.at(0).external);
    QCOMPARE(envelopes.at(0).text, QStringLiteral("text=hi\nuser=x"));
    QVERIFY(envelopes.at(1).external);
    QCOMPARE(envelopes.at(1).text, QStringLiteral("not json !"));
    QVERIFY(!envelopes.at(2).external);
    QCOMPARE(envelopes.at(2).streamId, liarId);
    for (const ChatEnvelope &envelope : envelopes)
        QVERIFY(!envelope.streamId.isNull());
}

void TestHistoryBackfill::malformedRepliesAreSkipped()
{
    const QByteArray env = ChatEnvelope::create(ChatEnvelope::Kind::Message, "bob", "fine").encode();
    const RedisReply good = RedisReply::array({ RedisReply::string("5-0"),
        RedisReply::array({ RedisReply::string("env"), RedisReply::string(env) }) });
    const RedisReply reply = RedisReply::array({
        RedisReply::integer(3), // not an entry
        RedisReply::array({ RedisReply::string("6-0") }), // no fields
        RedisReply::array({ RedisReply::string("junk"), RedisReply::array({}) }), // bad ID
        RedisReply::array(
            { RedisReply::string("7-0"), RedisReply::array({ RedisReply::string("env") }) }), // odd
        RedisReply::array({ RedisReply::string("8-0"), RedisReply::string("flat") }), // fields not an array
        good,
    });
    const QList<ChatEnvelope> envelopes = HistoryBackfill::parseEntries(reply, 1024);
    QCOMPARE(envelopes.size(), 1);
    QCOMPARE(envelopes.first().text, QStringLiteral("fine"));
    QCOMPARE(envelopes.first().streamId, StreamId(5, 0));
    QVERIFY(HistoryBackfill::parseEntries(RedisReply::status("OK"), 1024).isEmpty());
    QVERIFY(HistoryBackfill::parseEntries(RedisReply::nil(), 1024).isEmpty());
}

void TestHistoryBackfill::cancelDropsTheAnswer()
{
    addMessages(*m_connection, 1, 3);
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy pages(&backfill, &HistoryBackfill::pageLoaded);
    QVERIFY(backfill.loadLatest(1));
    backfill.cancel(Purpose::Latest);
    QVERIFY(!backfill.isRunning(Purpose::Latest));
    // Replies come in order: once this PING is answered, the XREVRANGE was answered too.
    QCOMPARE(roundTrip(*m_connection, { "PING" }), RedisReply::status("PONG"));
    QCOMPARE(pages.count(), 0);
    QVERIFY(backfill.loadLatest(2));
    QVERIFY(pages.wait(5000));
    QCOMPARE(pageAt(pages, 0).tag, 2);
}

void TestHistoryBackfill::failureIsReported()
{
    roundTrip(*m_connection, { "SET", Key, "not a stream" });
    HistoryBackfill backfill(m_connection.get(), Key, m_config);
    QSignalSpy failed(&backfill, &HistoryBackfill::failed);
    QVERIFY(backfill.loadLatest(4));
    QVERIFY(failed.wait(5000));
    QVERIFY(failed.first().at(1).toString().startsWith(QLatin1String("WRONGTYPE")));
    QCOMPARE(failed.first().at(2).toInt(), 4);
    QVERIFY(!backfill.isRunning(Purpose::Latest));
    // Not connected: the handler reports NotConnected.
    m_connection->disconnectFromServer();
    QVERIFY(backfill.catchUp(StreamId(1, 0), 5));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.last().at(0).value<Purpose>(), Purpose::CatchUp);
}

QTEST_GUILESS_MAIN(TestHistoryBackfill)
#include "tst_historybackfill.moc"
