// PayloadPresentation (preview, JSON pretty-printing, hex dump) and ChannelPalette.
#include "monitor/ChannelPalette.h"
#include "monitor/PayloadPresentation.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using Kind = PayloadPresentation::Kind;

class TestPayloadPresentation : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kinds_data();
    void kinds();
    void previewIsOneEscapedLine();
    void previewCutsLongPayloads();
    void previewDoesNotSplitCharacters();
    void previewOfBinaryIsHex();
    void detailPrettyPrintsJson();
    void detailDecodesMessagePack();
    void detailOfTextIsVerbatim();
    void hexDumpLayout();
    void hexDumpIsBounded();
    void paletteIsStableAndOverridable();
};

void TestPayloadPresentation::kinds_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");
    QTest::newRow("empty") << QByteArray() << int(Kind::Empty);
    QTest::newRow("object") << QByteArray(R"( {"a": [1, 2]} )") << int(Kind::Json);
    QTest::newRow("array") << QByteArray("[1,2,3]") << int(Kind::Json);
    QTest::newRow("broken json") << QByteArray(R"({"a": )") << int(Kind::Text);
    QTest::newRow("number") << QByteArray("42") << int(Kind::Text);
    QTest::newRow("text") << QByteArray("hello") << int(Kind::Text);
    QTest::newRow("nul text") << QByteArray("a\0b", 3) << int(Kind::Text);
    QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\xff", 9) << int(Kind::Binary);
    // {"id": 7, "ok": true} in MessagePack: not UTF-8 (0x82, 0xc3), one whole value.
    QTest::newRow("msgpack") << QByteArray::fromHex("82a2696407a26f6bc3") << int(Kind::MessagePack);
    QTest::newRow("msgpack with trailing bytes")
        << QByteArray::fromHex("82a2696407a26f6bc3ff") << int(Kind::Binary);
    // Valid MessagePack that is also UTF-8 text stays text ("a" is the fixint 97).
    QTest::newRow("msgpack-looking text") << QByteArray("a") << int(Kind::Text);
}

void TestPayloadPresentation::kinds()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);
    QCOMPARE(int(PayloadPresentation::kindOf(payload)), kind);
}

void TestPayloadPresentation::previewIsOneEscapedLine()
{
    QCOMPARE(PayloadPresentation::preview("a\nb\x1b[31m"), QStringLiteral("a\\nb\\e[31m"));
    QCOMPARE(PayloadPresentation::preview("caf\xc3\xa9"), QStringLiteral("café"));
    QCOMPARE(PayloadPresentation::preview(QByteArray()), QString());
}

void TestPayloadPresentation::previewCutsLongPayloads()
{
    const QByteArray payload(1024 * 1024, 'x');
    const QString preview = PayloadPresentation::preview(payload, 50);
    QCOMPARE(preview.size(), 51);
    QVERIFY(preview.endsWith(QChar(0x2026)));
    QCOMPARE(PayloadPresentation::preview("short", 50), QStringLiteral("short"));
    // Escapes make the text longer than the payload: still cut at the length asked.
    QCOMPARE(PayloadPresentation::preview(QByteArray(100, '\n'), 10).size(), 11);
}

void TestPayloadPresentation::previewDoesNotSplitCharacters()
{
    QByteArray payload;
    for (int i = 0; i < 400; ++i)
        payload += "\xf0\x9f\x98\x80"; // U+1F600, two UTF-16 units
    for (int length : { 1, 2, 3, 7, 8, 159, 160 }) {
        const QString preview = PayloadPresentation::preview(payload, length);
        QVERIFY(preview.endsWith(QChar(0x2026)));
        const QString kept = preview.chopped(1);
        QVERIFY(!kept.contains(QChar(0xFFFD)));
        QVERIFY(kept.isEmpty() || !kept.back().isHighSurrogate());
        QVERIFY(kept.size() <= length);
    }
}

void TestPayloadPresentation::previewOfBinaryIsHex()
{
    QCOMPARE(PayloadPresentation::preview(QByteArray("\x00\xff\x10", 3)), QStringLiteral("00 ff 10"));
    const QString cut = PayloadPresentation::preview(QByteArray(100, '\xff'), 30);
    QCOMPARE(cut, QStringLiteral("ff ff ff ff ff ff ff ff ff ff") + QChar(0x2026));
}

void TestPayloadPresentation::detailPrettyPrintsJson()
{
    const QString detail = PayloadPresentation::detail(R"({"user":"ann","tags":["a","b"]})");
    QVERIFY(detail.contains(QStringLiteral("\n    \"tags\": [\n")));
    QVERIFY(detail.contains(QStringLiteral("\"user\": \"ann\"")));
    // Keys in the order they came, numbers as written (QJsonDocument would sort and reformat).
    QCOMPARE(PayloadPresentation::detail(R"({"z":1.50,"a":{"y":0,"b":1}})"),
        QStringLiteral("{\n    \"z\": 1.50,\n    \"a\": {\n        \"y\": 0,\n        \"b\": 1\n    }\n}"));
    QCOMPARE(PayloadPresentation::raw(R"({"z":1.50})"), QStringLiteral(R"({"z":1.50})"));
}

void TestPayloadPresentation::detailDecodesMessagePack()
{
    const QByteArray payload = QByteArray::fromHex("82a2696407a26f6bc3");
    QCOMPARE(PayloadPresentation::detail(payload), QStringLiteral("{\n    \"id\": 7,\n    \"ok\": true\n}"));
    QVERIFY(PayloadPresentation::raw(payload).startsWith(QStringLiteral("00000000  82 a2 69 64")));
    QCOMPARE(PayloadPresentation::kindName(Kind::MessagePack), QStringLiteral("msgpack"));
}

void TestPayloadPresentation::detailOfTextIsVerbatim()
{
    QCOMPARE(PayloadPresentation::detail("line1\nline2"), QStringLiteral("line1\nline2"));
    QCOMPARE(PayloadPresentation::detail(QByteArray()), QString());
}

void TestPayloadPresentation::hexDumpLayout()
{
    const QByteArray payload("Hello, \x00\x01\x02world!\xff\xfe\x80", 20);
    const QString dump = PayloadPresentation::detail(payload);
    const QStringList lines = dump.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(lines.at(0),
        QStringLiteral("00000000  48 65 6c 6c 6f 2c 20 00  01 02 77 6f 72 6c 64 21  |Hello, ...world!|"));
    QCOMPARE(lines.at(1),
        QStringLiteral("00000010  ff fe 80 00") + QString(39, QLatin1Char(' ')) + QStringLiteral("|....|"));
}

void TestPayloadPresentation::hexDumpIsBounded()
{
    const QByteArray payload(1024 * 1024, '\xff');
    const QString dump = PayloadPresentation::hexDump(payload, 64);
    QCOMPARE(dump.count(QLatin1Char('\n')), 4);
    QVERIFY(dump.contains(QStringLiteral("1048512")));
}

void TestPayloadPresentation::paletteIsStableAndOverridable()
{
    const QRegularExpression hexColor(QStringLiteral("^#[0-9a-f]{6}$"));
    const QString news = ChannelPalette::defaultColor("news");
    QVERIFY(hexColor.match(news).hasMatch());
    QCOMPARE(ChannelPalette::defaultColor("news"), news);
    // Different channels spread over the whole palette (NamePalette: 12 colours).
    QSet<QString> colors;
    for (int i = 0; i < 50; ++i)
        colors.insert(ChannelPalette::defaultColor("channel-" + QByteArray::number(i)));
    QCOMPARE(colors.size(), NamePalette::size());

    ChannelPalette palette;
    QSignalSpy changed(&palette, &ChannelPalette::colorsChanged);
    QCOMPARE(palette.colorFor("news"), news);
    palette.setColor("news", QStringLiteral("#123456"));
    QCOMPARE(palette.colorFor("news"), QStringLiteral("#123456"));
    palette.setColor("news", QStringLiteral("#123456"));
    QCOMPARE(changed.count(), 1);
    palette.setColor("news", QString());
    QCOMPARE(palette.colorFor("news"), news);
    QCOMPARE(changed.count(), 2);
}

QTEST_MAIN(TestPayloadPresentation)
#include "tst_payloadpresentation.moc"
