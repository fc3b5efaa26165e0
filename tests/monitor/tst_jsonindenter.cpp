// JsonIndenter: pretty-printing that keeps keys in the order received and every token as written.
#include "monitor/JsonIndenter.h"

#include <QJsonDocument>
#include <QTest>

using namespace Redwire;

class TestJsonIndenter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void indents_data();
    void indents();
    void deepNestingUsesNoStack();
};

void TestJsonIndenter::indents_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("order kept") << QByteArray(R"({"z":1,"a":2,"m":3})")
                                << QByteArray("{\n    \"z\": 1,\n    \"a\": 2,\n    \"m\": 3\n}");
    QTest::newRow("nested") << QByteArray(R"( { "b" : [ 1 , {"y":null,"x":true} ] } )")
                            << QByteArray("{\n    \"b\": [\n        1,\n        {\n            \"y\": null,\n"
                                          "            \"x\": true\n        }\n    ]\n}");
    QTest::newRow("empty containers")
        << QByteArray(R"({"a":{ },"b":[ ]})") << QByteArray("{\n    \"a\": {},\n    \"b\": []\n}");
    QTest::newRow("strings untouched")
        << QByteArray(R"(["a, {b}: [c]","q\"uo\\\"te",  "sp  ace"])")
        << QByteArray("[\n    \"a, {b}: [c]\",\n    \"q\\\"uo\\\\\\\"te\",\n    \"sp  ace\"\n]");
    QTest::newRow("numbers as written")
        << QByteArray(R"([1.50,1e3,-0,12345678901234567890])")
        << QByteArray("[\n    1.50,\n    1e3,\n    -0,\n    12345678901234567890\n]");
    QTest::newRow("unicode escapes") << QByteArray(R"({"\u00e9":"\ud83d\ude00"})")
                                     << QByteArray("{\n    \"\\u00e9\": \"\\ud83d\\ude00\"\n}");
}

void TestJsonIndenter::indents()
{
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, expected);
    const QByteArray result = JsonIndenter::indented(json);
    QCOMPARE(result, expected);
    // The same document as QJsonDocument reads it.
    QCOMPARE(QJsonDocument::fromJson(result), QJsonDocument::fromJson(json));
}

void TestJsonIndenter::deepNestingUsesNoStack()
{
    const int depth = 1000; // the text grows with the square of the depth (indentation)
    const QByteArray json = QByteArray(depth, '[') + QByteArray(depth, ']');
    const QByteArray result = JsonIndenter::indented(json);
    QVERIFY(result.startsWith("[\n    [\n"));
    QVERIFY(result.contains("[]\n") && result.endsWith("\n    ]\n]"));
    // Unterminated input comes back re-spaced, never read past its end.
    const QByteArray unterminated = "{\"a\":\"b";
    QCOMPARE(JsonIndenter::indented(unterminated), QByteArray("{\n    \"a\": \"b"));
}

QTEST_GUILESS_MAIN(TestJsonIndenter)
#include "tst_jsonindenter.moc"
