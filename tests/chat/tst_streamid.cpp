// StreamId: strict parsing of "ms-seq" and ordering.
#include "chat/StreamId.h"

#include <QTest>

using namespace Redwire;

class TestStreamId : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data();
    void parse();
    void ordering();
};

void TestStreamId::parse_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<quint64>("ms");
    QTest::addColumn<quint64>("seq");
    QTest::newRow("typical") << QByteArray("1700000000000-0") << true << quint64(1700000000000) << quint64(0);
    QTest::newRow("zero") << QByteArray("0-0") << true << quint64(0) << quint64(0);
    QTest::newRow("max") << QByteArray("18446744073709551615-18446744073709551615") << true
                         << quint64(18446744073709551615ULL) << quint64(18446744073709551615ULL);
    QTest::newRow("overflow") << QByteArray("18446744073709551616-0") << false << quint64(0) << quint64(0);
    QTest::newRow("no dash") << QByteArray("1700") << false << quint64(0) << quint64(0);
    QTest::newRow("empty") << QByteArray() << false << quint64(0) << quint64(0);
    QTest::newRow("empty seq") << QByteArray("1-") << false << quint64(0) << quint64(0);
    QTest::newRow("empty ms") << QByteArray("-1") << false << quint64(0) << quint64(0);
    QTest::newRow("sign") << QByteArray("+1-2") << false << quint64(0) << quint64(0);
    QTest::newRow("spaces") << QByteArray(" 1-2") << false << quint64(0) << quint64(0);
    QTest::newRow("three parts") << QByteArray("1-2-3") << false << quint64(0) << quint64(0);
    QTest::newRow("letters") << QByteArray("1a-2") << false << quint64(0) << quint64(0);
    QTest::newRow("special +") << QByteArray("+") << false << quint64(0) << quint64(0);
}

void TestStreamId::parse()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    QFETCH(quint64, ms);
    QFETCH(quint64, seq);
    const StreamId id = StreamId::parse(text);
    QCOMPARE(!id.isNull(), valid);
    if (valid) {
        QCOMPARE(id.milliseconds(), ms);
        QCOMPARE(id.sequence(), seq);
        QCOMPARE(id.toByteArray(), text);
    }
}

void TestStreamId::ordering()
{
    QVERIFY(StreamId(1, 5) < StreamId(2, 0));
    QVERIFY(StreamId(2, 0) < StreamId(2, 1));
    QVERIFY(StreamId() < StreamId(0, 0));
    QVERIFY(StreamId(3, 3) == StreamId::parse("3-3"));
    QVERIFY(StreamId() == StreamId());
    QVERIFY(StreamId(10, 0) > StreamId(9, 99));
    QCOMPARE(qHash(StreamId(1, 2)), qHash(StreamId::parse("1-2")));
}

QTEST_GUILESS_MAIN(TestStreamId)
#include "tst_streamid.moc"
