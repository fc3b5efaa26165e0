// ChannelGlob (Redis glob semantics on bytes) and MessageFilter (channel glob or regex, payload
// substring or regex, invalid expressions refused).
#include "monitor/ChannelGlob.h"
#include "monitor/MessageFilter.h"

#include <QTest>

using namespace Redwire;

class TestMessageFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void glob_data();
    void glob();
    void globSurvivesHostilePatterns();
    void emptyFilterAcceptsEverything();
    void channelGlob();
    void channelRegex();
    void channelDecisionsAreRememberedButBounded();
    void payloadSubstring();
    void payloadSubstringCaseInsensitive();
    void payloadRegex();
    void invalidRegexIsRefused();
    void clearingOnePart();
};

void TestMessageFilter::glob_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("star all") << QByteArray("*") << QByteArray("anything") << true;
    QTest::newRow("star empty") << QByteArray("*") << QByteArray() << true;
    QTest::newRow("literal") << QByteArray("news") << QByteArray("news") << true;
    QTest::newRow("literal longer") << QByteArray("news") << QByteArray("newsy") << false;
    QTest::newRow("prefix star") << QByteArray("news.*") << QByteArray("news.sport") << true;
    QTest::newRow("prefix star slash") << QByteArray("news.*") << QByteArray("news.a/b") << true;
    QTest::newRow("prefix star no") << QByteArray("news.*") << QByteArray("new.sport") << false;
    QTest::newRow("middle star") << QByteArray("a*z") << QByteArray("abcz") << true;
    QTest::newRow("middle star backtrack") << QByteArray("a*bc") << QByteArray("abcbc") << true;
    QTest::newRow("question") << QByteArray("h?llo") << QByteArray("hello") << true;
    QTest::newRow("question needs one") << QByteArray("h?llo") << QByteArray("hllo") << false;
    QTest::newRow("class") << QByteArray("h[ae]llo") << QByteArray("hallo") << true;
    QTest::newRow("class no") << QByteArray("h[ae]llo") << QByteArray("hillo") << false;
    QTest::newRow("negated class") << QByteArray("h[^e]llo") << QByteArray("hallo") << true;
    QTest::newRow("negated class no") << QByteArray("h[^e]llo") << QByteArray("hello") << false;
    QTest::newRow("range") << QByteArray("id[0-9]") << QByteArray("id7") << true;
    QTest::newRow("range no") << QByteArray("id[0-9]") << QByteArray("idx") << false;
    QTest::newRow("reversed range") << QByteArray("id[9-0]") << QByteArray("id3") << true;
    QTest::newRow("escaped star") << QByteArray("a\\*") << QByteArray("a*") << true;
    QTest::newRow("escaped star literal") << QByteArray("a\\*") << QByteArray("ab") << false;
    QTest::newRow("binary") << QByteArray("bin\0*", 5) << QByteArray("bin\0\xff", 5) << true;
    QTest::newRow("high bytes class") << QByteArray("[\x80-\xff]") << QByteArray("\xc3") << true;
    QTest::newRow("trailing stars") << QByteArray("abc***") << QByteArray("abc") << true;
    QTest::newRow("empty pattern") << QByteArray() << QByteArray("x") << false;
    QTest::newRow("both empty") << QByteArray() << QByteArray() << true;
}

void TestMessageFilter::glob()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, text);
    QFETCH(bool, matches);
    QCOMPARE(ChannelGlob::matches(pattern, text), matches);
    QCOMPARE(ChannelGlob(pattern).matches(text), matches);
}

void TestMessageFilter::globSurvivesHostilePatterns()
{
    // Many stars against a long non-matching text: must finish (no exponential backtracking).
    const QByteArray pattern = QByteArray("*a").repeated(50) + "b";
    const QByteArray text(100000, 'a');
    QVERIFY(!ChannelGlob::matches(pattern, text));
    QVERIFY(!ChannelGlob::matches("[", "a")); // unclosed class
    QVERIFY(ChannelGlob::matches("[a", "a"));
    QVERIFY(!ChannelGlob::matches("\\", "a"));
    QVERIFY(ChannelGlob::matches("\\", "\\"));
}

void TestMessageFilter::emptyFilterAcceptsEverything()
{
    const MessageFilter filter;
    QVERIFY(filter.isEmpty());
    QVERIFY(filter.accepts("any", "thing"));
    QVERIFY(filter.accepts(QByteArray(), QByteArray("\0", 1)));
}

void TestMessageFilter::channelGlob()
{
    MessageFilter filter;
    QVERIFY(filter.setChannelFilter(QStringLiteral("orders.*"), MessageFilter::ChannelSyntax::Glob));
    QVERIFY(filter.filtersChannels());
    QVERIFY(!filter.filtersPayloads());
    QVERIFY(filter.acceptsChannel("orders.eu"));
    QVERIFY(!filter.acceptsChannel("xorders.eu")); // anchored, like PSUBSCRIBE
    QVERIFY(filter.accepts("orders.eu", "whatever"));
}

void TestMessageFilter::channelRegex()
{
    MessageFilter filter;
    QVERIFY(filter.setChannelFilter(
        QStringLiteral("ord(er|re)s$"), MessageFilter::ChannelSyntax::RegularExpression));
    QVERIFY(filter.acceptsChannel("eu.orders")); // searched anywhere, like grep
    QVERIFY(filter.acceptsChannel("ordres"));
    QVERIFY(!filter.acceptsChannel("orders.eu"));
    QVERIFY(!filter.acceptsChannel(QByteArray("\xff\xfe", 2)));
    QCOMPARE(filter.channelSyntax(), MessageFilter::ChannelSyntax::RegularExpression);
    QCOMPARE(filter.channelExpression(), QStringLiteral("ord(er|re)s$"));
}

void TestMessageFilter::channelDecisionsAreRememberedButBounded()
{
    MessageFilter filter;
    QVERIFY(
        filter.setChannelFilter(QStringLiteral("^c[0-4]"), MessageFilter::ChannelSyntax::RegularExpression));
    int accepted = 0;
    for (int round = 0; round < 2; ++round)
        for (int i = 0; i < 10000; ++i)
            accepted += filter.acceptsChannel("c" + QByteArray::number(i)) ? 1 : 0;
    // c0..c4, c10..c49, c100..c499, c1000..c4999, twice: the same answers after the memo filled up.
    QCOMPARE(accepted, 2 * 4445);
    // A new expression forgets the old decisions.
    QVERIFY(filter.setChannelFilter(QStringLiteral("^c9"), MessageFilter::ChannelSyntax::RegularExpression));
    QVERIFY(!filter.acceptsChannel("c1"));
    QVERIFY(filter.acceptsChannel("c9"));
}

void TestMessageFilter::payloadSubstring()
{
    MessageFilter filter;
    QVERIFY(filter.setPayloadFilter(QStringLiteral("\"error\""), MessageFilter::PayloadSyntax::Substring));
    QVERIFY(filter.acceptsPayload(R"({"level":"error"})"));
    QVERIFY(!filter.acceptsPayload(R"({"level":"ERROR"})"));
    QVERIFY(!filter.acceptsPayload(QByteArray()));
    QVERIFY(filter.acceptsPayload(QByteArray("\0\xff\"error\"", 10)));
    QVERIFY(!filter.accepts("any", "nothing"));
}

void TestMessageFilter::payloadSubstringCaseInsensitive()
{
    MessageFilter filter;
    QVERIFY(filter.setPayloadFilter(
        QStringLiteral("Straße"), MessageFilter::PayloadSyntax::Substring, Qt::CaseInsensitive));
    QVERIFY(filter.acceptsPayload("HAUPTSTRASSE") == false); // no folding of ß to SS: plain case
    QVERIFY(filter.acceptsPayload(QStringLiteral("die STRAßE").toUtf8()));
}

void TestMessageFilter::payloadRegex()
{
    MessageFilter filter;
    QVERIFY(filter.setPayloadFilter(
        QStringLiteral("^\\{.*\"id\":\\s*\\d+"), MessageFilter::PayloadSyntax::RegularExpression));
    QVERIFY(filter.acceptsPayload(R"({"id": 42})"));
    QVERIFY(!filter.acceptsPayload(R"({"id": "x"})"));
    QVERIFY(filter.setPayloadFilter(
        QStringLiteral("warn"), MessageFilter::PayloadSyntax::RegularExpression, Qt::CaseInsensitive));
    QVERIFY(filter.acceptsPayload("WARNING"));
}

void TestMessageFilter::invalidRegexIsRefused()
{
    MessageFilter filter;
    QVERIFY(filter.setChannelFilter(QStringLiteral("ok"), MessageFilter::ChannelSyntax::RegularExpression));
    QString error;
    QVERIFY(!filter.setChannelFilter(
        QStringLiteral("(unclosed"), MessageFilter::ChannelSyntax::RegularExpression, &error));
    QVERIFY(!error.isEmpty());
    QCOMPARE(filter.channelExpression(), QStringLiteral("ok")); // unchanged
    error.clear();
    QVERIFY(!filter.setPayloadFilter(
        QStringLiteral("[z-a]"), MessageFilter::PayloadSyntax::RegularExpression, Qt::CaseSensitive, &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!MessageFilter::regularExpressionError(QStringLiteral("*")).isEmpty());
    QVERIFY(MessageFilter::regularExpressionError(QStringLiteral("a*")).isEmpty());
    // A glob is never invalid.
    QVERIFY(filter.setChannelFilter(QStringLiteral("(unclosed"), MessageFilter::ChannelSyntax::Glob));
}

void TestMessageFilter::clearingOnePart()
{
    MessageFilter filter;
    filter.setChannelFilter(QStringLiteral("a*"), MessageFilter::ChannelSyntax::Glob);
    filter.setPayloadFilter(QStringLiteral("x"), MessageFilter::PayloadSyntax::Substring);
    QVERIFY(!filter.accepts("b", "x"));
    filter.setChannelFilter(QString(), MessageFilter::ChannelSyntax::Glob);
    QVERIFY(filter.accepts("b", "x"));
    QVERIFY(!filter.accepts("b", "y"));
    filter.setPayloadFilter(QString(), MessageFilter::PayloadSyntax::Substring);
    QVERIFY(filter.isEmpty());
}

QTEST_APPLESS_MAIN(TestMessageFilter)
#include "tst_messagefilter.moc"
