// MessagePackDecoder: every MessagePack type to JSON, map order kept, non-string keys, extensions
// and timestamps, and hostile input (truncation at every byte, huge declared lengths, deep
// nesting, output bounds) never crashes or allocates what the input does not hold.
#include "monitor/MessagePackDecoder.h"

#include <QJsonDocument>
#include <QTest>

using namespace Redwire;
using Status = MessagePackDecoder::Status;
using Layout = MessagePackDecoder::Layout;

namespace {
QByteArray hex(const char *text)
{
    return QByteArray::fromHex(text);
}
QByteArray compact(const QByteArray &data)
{
    return MessagePackDecoder::toJson(data, Layout::Compact).json;
}
} // namespace

class TestMessagePackDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void types_data();
    void types();
    void errors_data();
    void errors();
    void everyTruncationIsReported();
    void hugeDeclaredLengthsAllocateNothing();
    void nestingIsBounded();
    void outputIsBounded();
    void indentedKeepsOrderAndReadsAsJson();
};

void TestMessagePackDecoder::types_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("nil") << hex("c0") << QByteArray("null");
    QTest::newRow("false") << hex("c2") << QByteArray("false");
    QTest::newRow("true") << hex("c3") << QByteArray("true");
    QTest::newRow("positive fixint 0") << hex("00") << QByteArray("0");
    QTest::newRow("positive fixint 127") << hex("7f") << QByteArray("127");
    QTest::newRow("negative fixint -1") << hex("ff") << QByteArray("-1");
    QTest::newRow("negative fixint -32") << hex("e0") << QByteArray("-32");
    QTest::newRow("uint8") << hex("ccff") << QByteArray("255");
    QTest::newRow("uint16") << hex("cdffff") << QByteArray("65535");
    QTest::newRow("uint32") << hex("ceffffffff") << QByteArray("4294967295");
    QTest::newRow("uint64 max") << hex("cfffffffffffffffff") << QByteArray("18446744073709551615");
    QTest::newRow("int8 -128") << hex("d080") << QByteArray("-128");
    QTest::newRow("int8 5") << hex("d005") << QByteArray("5");
    QTest::newRow("int16 -32768") << hex("d18000") << QByteArray("-32768");
    QTest::newRow("int32 -2^31") << hex("d280000000") << QByteArray("-2147483648");
    QTest::newRow("int64 min") << hex("d38000000000000000") << QByteArray("-9223372036854775808");
    QTest::newRow("int64 -1") << hex("d3ffffffffffffffff") << QByteArray("-1");
    QTest::newRow("float32 1.5") << hex("ca3fc00000") << QByteArray("1.5");
    QTest::newRow("float32 2") << hex("ca40000000") << QByteArray("2.0");
    QTest::newRow("float64 -0.25") << hex("cbbfd0000000000000") << QByteArray("-0.25");
    QTest::newRow("float64 1e300") << hex("cb7e37e43c8800759c") << QByteArray("1e+300");
    QTest::newRow("float64 NaN") << hex("cb7ff8000000000000") << QByteArray("\"NaN\"");
    QTest::newRow("float32 -inf") << hex("caff800000") << QByteArray("\"-Infinity\"");
    QTest::newRow("fixstr empty") << hex("a0") << QByteArray("\"\"");
    QTest::newRow("fixstr") << hex("a3616263") << QByteArray("\"abc\"");
    QTest::newRow("fixstr escapes") << hex("a4220a5c01") << QByteArray(R"("\"\n\\\u0001")");
    QTest::newRow("fixstr utf8") << hex("a5636166c3a9") << QByteArray("\"caf\xc3\xa9\"");
    QTest::newRow("fixstr bad utf8") << hex("a2ff41")
                                     << QByteArray("\"\xef\xbf\xbd"
                                                   "A\"");
    QTest::newRow("str8") << hex("d90568656c6c6f") << QByteArray("\"hello\"");
    QTest::newRow("str16") << hex("da00026869") << QByteArray("\"hi\"");
    QTest::newRow("str32") << hex("db000000026869") << QByteArray("\"hi\"");
    QTest::newRow("bin8") << hex("c403000102") << QByteArray(R"({"$bin":"AAEC"})");
    QTest::newRow("bin16 empty") << hex("c50000") << QByteArray(R"({"$bin":""})");
    QTest::newRow("bin32") << hex("c600000001ff") << QByteArray(R"({"$bin":"/w=="})");
    QTest::newRow("fixarray empty") << hex("90") << QByteArray("[]");
    QTest::newRow("fixarray") << hex("9301c0a178") << QByteArray(R"([1,null,"x"])");
    QTest::newRow("array16") << hex("dc00020102") << QByteArray("[1,2]");
    QTest::newRow("array32") << hex("dd000000010c") << QByteArray("[12]");
    QTest::newRow("fixmap empty") << hex("80") << QByteArray("{}");
    // Keys in the order sent, not sorted.
    QTest::newRow("fixmap order") << hex("82a17a01a16102") << QByteArray(R"({"z":1,"a":2})");
    QTest::newRow("map16") << hex("de0001a16b90") << QByteArray(R"({"k":[]})");
    QTest::newRow("map32") << hex("df00000001a16bc3") << QByteArray(R"({"k":true})");
    QTest::newRow("int key") << hex("8101a161") << QByteArray(R"({"1":"a"})");
    QTest::newRow("negative key") << hex("81ffc0") << QByteArray(R"({"-1":null})");
    QTest::newRow("nil key") << hex("81c001") << QByteArray(R"({"null":1})");
    QTest::newRow("bool key") << hex("81c301") << QByteArray(R"({"true":1})");
    QTest::newRow("array key") << hex("81920102c0") << QByteArray(R"({"[1,2]":null})");
    QTest::newRow("map key") << hex("8181a16101c0") << QByteArray(R"({"{\"a\":1}":null})");
    QTest::newRow("nested") << hex("82a17492c3c2a16d81a17890")
                            << QByteArray(R"({"t":[true,false],"m":{"x":[]}})");
    QTest::newRow("fixext1") << hex("d40541") << QByteArray(R"({"$ext":5,"data":"QQ=="})");
    QTest::newRow("fixext2") << hex("d5fe0102") << QByteArray(R"({"$ext":-2,"data":"AQI="})");
    QTest::newRow("fixext16") << hex("d801000102030405060708090a0b0c0d0e0f")
                              << QByteArray(R"({"$ext":1,"data":"AAECAwQFBgcICQoLDA0ODw=="})");
    QTest::newRow("ext8") << hex("c7020761ff") << QByteArray(R"({"$ext":7,"data":"Yf8="})");
    QTest::newRow("ext16 empty") << hex("c8000009") << QByteArray(R"({"$ext":9,"data":""})");
    QTest::newRow("ext32") << hex("c9000000010a00") << QByteArray(R"({"$ext":10,"data":"AA=="})");
    // 2024-05-01T12:34:56Z is 1714566896 s.
    QTest::newRow("timestamp32") << hex("d6ff663236f0")
                                 << QByteArray(R"({"$timestamp":"2024-05-01T12:34:56Z"})");
    // 789000000 ns << 2 | seconds >> 32 (0), then the low 32 bits of the seconds.
    QTest::newRow("timestamp64") << hex("d7ffbc1cbd00663236f0")
                                 << QByteArray(R"({"$timestamp":"2024-05-01T12:34:56.789Z"})");
    QTest::newRow("timestamp96 before 1970") << hex(
        "c70cff00000001ffffffffffffffff") << QByteArray(R"({"$timestamp":"1969-12-31T23:59:59.000000001Z"})");
    QTest::newRow("timestamp bad length") << hex("d5ff0102") << QByteArray(R"({"$ext":-1,"data":"AQI="})");
    QTest::newRow("timestamp bad nanoseconds")
        << hex("c70cff3b9aca0000000000000000ff") << QByteArray(R"({"$ext":-1,"data":"O5rKAAAAAAAAAAD/"})");
}

void TestMessagePackDecoder::types()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, json);
    const auto result = MessagePackDecoder::toJson(data, Layout::Compact);
    QCOMPARE(int(result.status), int(Status::Ok));
    QCOMPARE(result.json, json);
    QJsonParseError error;
    QJsonDocument::fromJson("[" + result.json + "]", &error);
    QCOMPARE(error.errorString(), QJsonParseError().errorString());
}

void TestMessagePackDecoder::errors_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("offset");
    QTest::newRow("empty") << QByteArray() << int(Status::Truncated) << 0;
    QTest::newRow("never used c1") << hex("c1") << int(Status::Invalid) << 0;
    QTest::newRow("c1 inside array") << hex("9201c1") << int(Status::Invalid) << 2;
    QTest::newRow("trailing") << hex("0102") << int(Status::TrailingBytes) << 1;
    QTest::newRow("str8 short") << hex("d905616263") << int(Status::Truncated) << 2;
    QTest::newRow("uint32 short") << hex("ce0102") << int(Status::Truncated) << 1;
    QTest::newRow("fixarray short") << hex("93c0c0") << int(Status::Truncated) << 1;
    QTest::newRow("map missing value") << hex("81a161") << int(Status::Truncated) << 3;
}

void TestMessagePackDecoder::errors()
{
    QFETCH(QByteArray, data);
    QFETCH(int, status);
    QFETCH(int, offset);
    const auto result = MessagePackDecoder::toJson(data);
    QCOMPARE(int(result.status), status);
    QVERIFY(!result.ok());
    QCOMPARE(result.errorOffset, qsizetype(offset));
}

// Every proper prefix of a valid value is reported as truncated, never read past its end.
void TestMessagePackDecoder::everyTruncationIsReported()
{
    const QByteArray whole = hex("83a17492c3cbbfd0000000000000a16d81a178dc0002d90568656c6c6fc403000102"
                                 "a174d7ffbc1cbd00663236f0");
    QVERIFY(MessagePackDecoder::toJson(whole).ok());
    for (qsizetype length = 0; length < whole.size(); ++length) {
        // A copy of exactly `length` bytes: ASan sees any read past it.
        const QByteArray prefix(whole.constData(), length);
        const auto result = MessagePackDecoder::toJson(prefix);
        QVERIFY2(result.status == Status::Truncated, qPrintable(QString::number(length)));
    }
}

void TestMessagePackDecoder::hugeDeclaredLengthsAllocateNothing()
{
    for (const char *data : { "dbffffffff41", "c6ffffffff00", "c9ffffffff0100", "ddffffffffc0",
             "dfffffffffc0c0", "dcffff", "deffff01", "cf", "d3ffff" }) {
        const auto result = MessagePackDecoder::toJson(hex(data));
        QVERIFY2(result.status == Status::Truncated, data);
        QVERIFY(result.json.size() < 64);
    }
}

void TestMessagePackDecoder::nestingIsBounded()
{
    MessagePackDecoder::Limits limits;
    limits.maxDepth = 64;
    QByteArray deepArrays(limits.maxDepth, char(0x91));
    deepArrays += char(0x01);
    QVERIFY(MessagePackDecoder::toJson(deepArrays, Layout::Indented, limits).ok());
    deepArrays.prepend(char(0x91));
    QCOMPARE(
        int(MessagePackDecoder::toJson(deepArrays, Layout::Indented, limits).status), int(Status::TooDeep));

    // A million levels (maps as keys of maps, too) stop at the limit, with the stack untouched.
    const QByteArray hostileArrays(1000 * 1000, char(0x91));
    QCOMPARE(int(MessagePackDecoder::toJson(hostileArrays).status), int(Status::TooDeep));
    const QByteArray hostileKeys(1000 * 1000, char(0x81));
    QCOMPARE(int(MessagePackDecoder::toJson(hostileKeys).status), int(Status::TooDeep));
}

void TestMessagePackDecoder::outputIsBounded()
{
    // 64 levels of one-element arrays around 10,000 nils: the indented text would be 2.5 MB.
    QByteArray data;
    for (int i = 0; i < 60; ++i)
        data += char(0x91);
    data += hex("dc2710") + QByteArray(10000, char(0xc0));
    MessagePackDecoder::Limits limits;
    limits.maxOutputBytes = 100 * 1024;
    const auto result = MessagePackDecoder::toJson(data, Layout::Indented, limits);
    QCOMPARE(int(result.status), int(Status::OutputTooLarge));
    QVERIFY(result.json.size() < limits.maxOutputBytes + 1024);
}

void TestMessagePackDecoder::indentedKeepsOrderAndReadsAsJson()
{
    // {"z": 1, "a": [true, {}], "m": {1: "x"}}
    const auto result = MessagePackDecoder::toJson(hex("83a17a01a16192c380a16d8101a178"));
    QVERIFY(result.ok());
    QCOMPARE(result.json,
        QByteArray("{\n    \"z\": 1,\n    \"a\": [\n        true,\n        {}\n    ],\n    \"m\": {\n"
                   "        \"1\": \"x\"\n    }\n}"));
    QVERIFY(QJsonDocument::fromJson(result.json).isObject());
    QCOMPARE(
        compact(hex("83a17a01a16192c380a16d8101a178")), QByteArray(R"({"z":1,"a":[true,{}],"m":{"1":"x"}})"));
}

QTEST_GUILESS_MAIN(TestMessagePackDecoder)
#include "tst_messagepackdecoder.moc"
