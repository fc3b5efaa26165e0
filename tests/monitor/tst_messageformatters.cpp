// The three output formats against hostile payloads (quotes, newlines, NUL, invalid UTF-8,
// terminal escapes, bidi overrides): exact expected lines, and round trips through a JSON parser
// and an RFC 4180 reader. And the line each writes for a break in the subscription (a gap).
#include "monitor/CsvMessageFormatter.h"
#include "monitor/JsonLinesMessageFormatter.h"
#include "monitor/MonitoredMessage.h"
#include "monitor/SubscriptionGap.h"
#include "monitor/TextMessageFormatter.h"
#include "monitor/TimestampFormatter.h"
#include "monitor/Utf8Validator.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Redwire;

namespace {
// 2024-05-01T12:34:56.789Z
constexpr qint64 SampleTime = 1714566896789;

MonitoredMessage sample(
    const QByteArray &payload, const QByteArray &channel = "news", const QByteArray &pattern = QByteArray())
{
    MonitoredMessage message;
    message.timestampMs = SampleTime;
    message.channel = channel;
    message.pattern = pattern;
    message.payload = payload;
    message.sequence = 1;
    return message;
}

// A strict RFC 4180 reader for one record (CRLF-terminated): the fields, or an empty list when
// the text is not exactly one well-formed record.
QList<QByteArray> readCsvRecord(const QByteArray &text)
{
    QList<QByteArray> fields;
    QByteArray field;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text.at(i) == '"') {
            ++i;
            for (;;) {
                if (i >= text.size())
                    return {};
                if (text.at(i) == '"') {
                    if (i + 1 < text.size() && text.at(i + 1) == '"') {
                        field += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                field += text.at(i++);
            }
        } else {
            while (i < text.size() && text.at(i) != ',' && text.at(i) != '\r') {
                if (text.at(i) == '"' || text.at(i) == '\n')
                    return {}; // must have been quoted
                field += text.at(i++);
            }
        }
        fields.append(field);
        field.clear();
        if (i < text.size() && text.at(i) == ',') {
            ++i;
            continue;
        }
        if (text.mid(i) == "\r\n")
            return fields;
        return {};
    }
    return {};
}
} // namespace

class TestMessageFormatters : public QObject
{
    Q_OBJECT
private:
    static void addHostilePayloads();

private Q_SLOTS:
    void textIsOneSafeLine_data() { addHostilePayloads(); }
    void textIsOneSafeLine();
    void jsonLinesRoundTrip_data() { addHostilePayloads(); }
    void jsonLinesRoundTrip();
    void csvRoundTrip_data() { addHostilePayloads(); }
    void csvRoundTrip();

    void textExact_data();
    void textExact();
    void jsonExact_data();
    void jsonExact();
    void jsonPlainPayloadLengths();
    void jsonEscapesAtEveryOffset();
    void jsonLinesShareOneBuffer();
    void jsonCachedPrefixMatchesFreshFormatter();
    void csvExact_data();
    void csvExact();
    void csvFormulaCellsDefused_data();
    void csvFormulaCellsDefused();
    void formulasUntouchedOutsideCsv();
    void csvHeader();
    void keyspaceFields_data();
    void keyspaceFields();
    void timestamps();
    void utf8Validation_data();
    void utf8Validation();
    void formatNames();
    void jsonGapLine();
    void textGapLine();
    void csvGapRow();
    void entriesDispatchGaps();
};

void TestMessageFormatters::addHostilePayloads()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("channel");
    QTest::newRow("empty") << QByteArray() << QByteArray("news");
    QTest::newRow("plain") << QByteArray("hello") << QByteArray("news");
    QTest::newRow("quotes") << QByteArray(R"(she said "hi", then "bye")") << QByteArray("news");
    QTest::newRow("comma") << QByteArray("a,b,c") << QByteArray("a,b");
    QTest::newRow("newlines") << QByteArray("line1\nline2\r\nline3\r") << QByteArray("news");
    QTest::newRow("nul") << QByteArray("a\0b\0", 4) << QByteArray("news");
    QTest::newRow("only nul") << QByteArray("\0", 1) << QByteArray("news");
    QTest::newRow("invalid utf-8") << QByteArray("\xc3\x28\xa0\xa1\xff", 5) << QByteArray("news");
    QTest::newRow("overlong slash") << QByteArray("\xc0\xaf", 2) << QByteArray("news");
    QTest::newRow("surrogate") << QByteArray("\xed\xa0\x80", 3) << QByteArray("news");
    QTest::newRow("truncated sequence") << QByteArray("ok \xe2\x82", 5) << QByteArray("news");
    QTest::newRow("ansi escape") << QByteArray("\x1b[2J\x1b[31mred\x1b]0;title\x07") << QByteArray("news");
    QTest::newRow("c1 csi") << QByteArray("\xc2\x9b"
                                          "31m")
                            << QByteArray("news");
    QTest::newRow("bidi override") << QByteArray("abc\xe2\x80\xae"
                                                 "fed")
                                   << QByteArray("news");
    QTest::newRow("line separator") << QByteArray("a\xe2\x80\xa8"
                                                  "b")
                                    << QByteArray("news");
    QTest::newRow("backslashes") << QByteArray("C:\\path\\x41") << QByteArray("news");
    QTest::newRow("json inside") << QByteArray(R"({"a":"b\"c","n":[1,2]})") << QByteArray("news");
    QTest::newRow("emoji and accents")
        << QByteArray("caf\xc3\xa9 \xf0\x9f\x98\x80") << QByteArray("caf\xc3\xa9");
    QTest::newRow("all bytes") << [] {
        QByteArray all(256, Qt::Uninitialized);
        for (int i = 0; i < 256; ++i)
            all[i] = char(i);
        return all;
    }() << QByteArray("bin");
    QTest::newRow("binary channel") << QByteArray("x") << QByteArray("ch\xff\0\"", 5);
    QTest::newRow("big") << QByteArray(200000, '"') << QByteArray("news");
}

void TestMessageFormatters::textIsOneSafeLine()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, channel);
    TextMessageFormatter formatter;
    formatter.setShowPatterns(true);
    const QByteArray line = formatter.formatted(sample(payload, channel, "*"));
    QVERIFY(line.endsWith('\n'));
    const QByteArray body = line.chopped(1);
    QVERIFY(Utf8Validator::isValid(body));
    for (const char c : body) {
        const auto byte = static_cast<unsigned char>(c);
        QVERIFY2(byte >= 0x20 && byte != 0x7F, qPrintable(QStringLiteral("control byte %1").arg(byte)));
    }
    // No C1 control, line separator or bidi control survives as a character either.
    const QString text = QString::fromUtf8(body);
    for (const QChar ch : text) {
        const char16_t u = ch.unicode();
        QVERIFY(!(u >= 0x80 && u <= 0x9F));
        QVERIFY(!(u >= 0x2028 && u <= 0x202E));
        QVERIFY(!(u >= 0x2066 && u <= 0x2069));
    }
}

void TestMessageFormatters::jsonLinesRoundTrip()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, channel);
    JsonLinesMessageFormatter formatter;
    const QByteArray line = formatter.formatted(sample(payload, channel, "n*"));
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    QCOMPARE(line.count('\r'), 0);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    const QJsonObject object = document.object();
    QCOMPARE(object.value(QLatin1String("time")).toString(), QStringLiteral("2024-05-01T12:34:56.789Z"));
    QCOMPARE(object.value(QLatin1String("pattern")).toString(), QStringLiteral("n*"));
    QCOMPARE(object.value(QLatin1String("size")).toInteger(), payload.size());
    // Exactly one of payload / payload_base64, and it gives back the bytes.
    const bool text = object.contains(QLatin1String("payload"));
    QCOMPARE(text, !object.contains(QLatin1String("payload_base64")));
    QCOMPARE(text, Utf8Validator::isValid(payload));
    const QByteArray decoded = text
        ? object.value(QLatin1String("payload")).toString().toUtf8()
        : QByteArray::fromBase64(object.value(QLatin1String("payload_base64")).toString().toLatin1());
    QCOMPARE(decoded, payload);
    const QByteArray decodedChannel = object.contains(QLatin1String("channel"))
        ? object.value(QLatin1String("channel")).toString().toUtf8()
        : QByteArray::fromBase64(object.value(QLatin1String("channel_base64")).toString().toLatin1());
    QCOMPARE(decodedChannel, channel);
}

void TestMessageFormatters::csvRoundTrip()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, channel);
    CsvMessageFormatter formatter;
    const QByteArray record = formatter.formatted(sample(payload, channel));
    const QList<QByteArray> fields = readCsvRecord(record);
    QCOMPARE(fields.size(), 6);
    QCOMPARE(fields.at(0), QByteArray("2024-05-01T12:34:56.789Z"));
    if (Utf8Validator::isValid(channel))
        QCOMPARE(fields.at(1), channel);
    QCOMPARE(fields.at(2), QByteArray());
    QCOMPARE(fields.at(3), QByteArray::number(payload.size()));
    const bool text = !fields.at(4).isEmpty() || fields.at(5).isEmpty();
    const QByteArray decoded = text ? fields.at(4) : QByteArray::fromBase64(fields.at(5));
    QCOMPARE(decoded, payload);
    QVERIFY(!record.contains('\0'));
    QVERIFY(Utf8Validator::isValid(record));
}

void TestMessageFormatters::textExact_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("expected"); // after the time and a space
    QTest::newRow("plain") << QByteArray("hello") << QByteArray() << QByteArray("news hello\n");
    QTest::newRow("pattern") << QByteArray("hello") << QByteArray("n*") << QByteArray("news (n*) hello\n");
    QTest::newRow("controls") << QByteArray("a\nb\tc\rd\x1b[0m\x07\x7f") << QByteArray()
                              << QByteArray("news a\\nb\\tc\\rd\\e[0m\\x07\\x7f\n");
    QTest::newRow("backslash") << QByteArray("a\\nb") << QByteArray() << QByteArray("news a\\\\nb\n");
    QTest::newRow("invalid utf-8") << QByteArray("\xff\xc3(", 3) << QByteArray()
                                   << QByteArray("news \\xff\\xc3(\n");
    QTest::newRow("nul") << QByteArray("\0", 1) << QByteArray() << QByteArray("news \\x00\n");
    QTest::newRow("bidi") << QByteArray("a\xe2\x80\xae"
                                        "b")
                          << QByteArray() << QByteArray("news a\\u202eb\n");
    QTest::newRow("c1") << QByteArray("\xc2\x85") << QByteArray() << QByteArray("news \\u0085\n");
    QTest::newRow("utf-8 kept") << QByteArray("caf\xc3\xa9") << QByteArray()
                                << QByteArray("news caf\xc3\xa9\n");
}

void TestMessageFormatters::textExact()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, expected);
    TextMessageFormatter formatter;
    formatter.setShowPatterns(true);
    const QByteArray line = formatter.formatted(sample(payload, "news", pattern));
    const QByteArray time
        = QDateTime::fromMSecsSinceEpoch(SampleTime).toString(QStringLiteral("HH:mm:ss.zzz")).toLatin1();
    QCOMPARE(line, time + ' ' + expected);
}

void TestMessageFormatters::jsonExact_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray head = R"({"time":"2024-05-01T12:34:56.789Z","channel":"news",)";
    QTest::newRow("plain") << QByteArray("hello") << QByteArray()
                           << head
            + R"("pattern":null,"size":5,"payload":"hello"})"
              "\n";
    QTest::newRow("escapes") << QByteArray("\"\\\n\r\t\b\f\x01\x1f\x7f") << QByteArray("*")
                             << head
            + R"("pattern":"*","size":10,"payload":"\"\\\n\r\t\b\f\u0001\u001f)"
              "\x7f\"}\n";
    QTest::newRow("nul is text") << QByteArray("a\0b", 3) << QByteArray()
                                 << head
            + R"("pattern":null,"size":3,"payload":"a\u0000b"})"
              "\n";
    QTest::newRow("separators") << QByteArray("\xe2\x80\xa8\xe2\x80\xa9") << QByteArray()
                                << head
            + R"("pattern":null,"size":6,"payload":"\u2028\u2029"})"
              "\n";
    QTest::newRow("binary") << QByteArray("\xff\x00", 2) << QByteArray()
                            << head
            + R"("pattern":null,"size":2,"payload_base64":"/wA="})"
              "\n";
}

void TestMessageFormatters::jsonExact()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, expected);
    JsonLinesMessageFormatter formatter;
    QCOMPARE(formatter.formatted(sample(payload, "news", pattern)), expected);
}

// A printable-ASCII payload is copied in without escapes, in steps of 16, 8, 4 or single bytes,
// or by memcpy beyond 256 bytes: every length up to past that bound, and a few long ones.
void TestMessageFormatters::jsonPlainPayloadLengths()
{
    JsonLinesMessageFormatter formatter;
    QList<qsizetype> lengths;
    for (qsizetype length = 0; length <= 300; ++length)
        lengths.append(length);
    lengths << 1000 << 4096 << 70000;
    for (const qsizetype length : std::as_const(lengths)) {
        QByteArray payload(length, Qt::Uninitialized);
        for (qsizetype i = 0; i < length; ++i)
            payload[i] = char(' ' + 1 + (i * 7 + length) % 90); // printable ASCII
        payload.replace('"', '#').replace('\\', '/');
        const QByteArray expected
            = R"({"time":"2024-05-01T12:34:56.789Z","channel":"news","pattern":null,"size":)"
            + QByteArray::number(length) + R"(,"payload":")" + payload + "\"}\n";
        QCOMPARE(formatter.formatted(sample(payload)), expected);
    }
}

// The formatter scans for bytes that need a look 16 and 8 at a time: each kind of such byte, at
// every offset of payloads from 1 to 48 bytes, is escaped as a byte-by-byte reading would.
void TestMessageFormatters::jsonEscapesAtEveryOffset()
{
    struct Special
    {
        QByteArray raw;
        QByteArray escaped; // empty: copied as it is
    };
    const QList<Special> specials = {
        { "\"", "\\\"" }, { "\\", "\\\\" }, { "\n", "\\n" }, { QByteArray(1, '\x01'), "\\u0001" },
        { QByteArray(1, '\x1f'), "\\u001f" }, { "\x7f", {} }, // DEL needs no escape in JSON
        { "\xc3\xa9", {} }, // é: valid UTF-8, copied
        { "\xe2\x80\xa8", "\\u2028" }, // a line separator for JavaScript
    };
    JsonLinesMessageFormatter formatter;
    for (const Special &special : specials) {
        for (qsizetype length = 1; length <= 48; ++length) {
            for (qsizetype at = 0; at < length; ++at) {
                const QByteArray payload
                    = QByteArray(at, 'a') + special.raw + QByteArray(length - at - 1, 'b');
                const QByteArray expected
                    = R"({"time":"2024-05-01T12:34:56.789Z","channel":"news","pattern":null,"size":)"
                    + QByteArray::number(payload.size()) + R"(,"payload":")" + QByteArray(at, 'a')
                    + (special.escaped.isEmpty() ? special.raw : special.escaped)
                    + QByteArray(length - at - 1, 'b') + "\"}\n";
                const QByteArray line = formatter.formatted(sample(payload));
                if (line != expected)
                    QFAIL(qPrintable(QStringLiteral("%1 at %2 of %3: %4")
                                         .arg(QString::fromLatin1(special.raw.toHex()))
                                         .arg(at)
                                         .arg(length)
                                         .arg(QString::fromUtf8(line))));
            }
        }
    }
}

// Lines appended one after another to one buffer, as redwire-monitor does: each line is whole,
// whatever came before it (plain and escaped payloads, channel and pattern changes, a new second).
void TestMessageFormatters::jsonLinesShareOneBuffer()
{
    JsonLinesMessageFormatter formatter;
    QByteArray out = "start\n";
    QByteArray expected = out;
    struct Step
    {
        QByteArray payload;
        QByteArray channel;
        QByteArray pattern;
        qint64 time;
        QByteArray line;
    };
    const QList<Step> steps = {
        { "a", "news", {}, SampleTime,
            R"({"time":"2024-05-01T12:34:56.789Z","channel":"news","pattern":null,"size":1,"payload":"a"})" },
        { "say \"hi\"", "news", {}, SampleTime + 1,
            R"({"time":"2024-05-01T12:34:56.790Z","channel":"news","pattern":null,"size":8,"payload":"say \"hi\""})" },
        { QByteArray(20, 'z'), "sport", "s*", SampleTime + 300,
            R"({"time":"2024-05-01T12:34:57.089Z","channel":"sport","pattern":"s*","size":20,"payload":"zzzzzzzzzzzzzzzzzzzz"})" },
        { "\xff", "sport", "s*", SampleTime + 300,
            R"({"time":"2024-05-01T12:34:57.089Z","channel":"sport","pattern":"s*","size":1,"payload_base64":"/w=="})" },
        { "", "news", {}, SampleTime + 1211,
            R"({"time":"2024-05-01T12:34:58.000Z","channel":"news","pattern":null,"size":0,"payload":""})" },
    };
    for (const Step &step : steps) {
        MonitoredMessage message = sample(step.payload, step.channel, step.pattern);
        message.timestampMs = step.time;
        formatter.append(message, out);
        expected += step.line + '\n';
        QCOMPARE(out, expected);
    }
}

// The formatter keeps the line up to the payload while the millisecond, the channel, the pattern
// and the payload's size stay the same: every line must still be what a formatter that never saw
// a message before writes, whichever of them changes, in whatever order.
void TestMessageFormatters::jsonCachedPrefixMatchesFreshFormatter()
{
    struct Step
    {
        qint64 time;
        QByteArray channel;
        QByteArray pattern;
        QByteArray payload;
    };
    const QByteArray news = "news";
    const QList<Step> steps = {
        { SampleTime, news, {}, "aaaa" },
        { SampleTime, news, {}, "bbbb" }, // all the same: the cached prefix
        { SampleTime, news, {}, "ccccc" }, // another size
        { SampleTime, news, {}, "dddd" }, // back to the first size
        { SampleTime + 1, news, {}, "eeee" }, // the next millisecond
        { SampleTime + 1, news, {}, "say \"hi\"" }, // escapes: the general path
        { SampleTime + 1, news, {}, "ffff" }, // and back
        { SampleTime + 1, news, {}, "\xff\xfe\xfd\xfc" }, // not UTF-8, same size
        { SampleTime + 1, news, {}, "gggg" },
        { SampleTime + 1, "sport", {}, "hhhh" }, // another channel, same time and size
        { SampleTime + 1, news, {}, "iiii" }, // and back
        { SampleTime + 1, news, "n*", "jjjj" }, // a pattern
        { SampleTime + 1, news, {}, "kkkk" },
        { SampleTime + 1, "__keyspace@0__:user:1", "__keyspace@0__:*", "set" },
        { SampleTime + 1, "__keyspace@0__:user:1", "__keyspace@0__:*", "del" },
        { SampleTime + 1, news, {}, "llll" },
        { SampleTime + 211, news, {}, "mmmm" }, // the next second
        { SampleTime + 211, news, {}, QByteArray(300, 'n') }, // longer than a short copy
        { SampleTime + 211, news, {}, QByteArray(300, 'o') },
        { SampleTime + 211, news, {}, QByteArray() },
        { SampleTime + 211, news, {}, QByteArray() },
        { -1, news, {}, "pppp" }, // before the epoch: 1969-12-31T23:59:59.999Z
        { -1000, news, {}, "qqqq" },
        { 0, news, {}, "rrrr" },
        { 0, "caf\xc3\xa9", {}, "ssss" }, // a channel that needs no escape but is not ASCII
        { 0, "t\nab", {}, "tttt" }, // one that needs an escape
        { 0, "\xff", {}, "uuuu" }, // one that is not UTF-8
        { 0, news, {}, "vvvv" },
    };
    JsonLinesMessageFormatter formatter;
    QByteArray out;
    QByteArray expected;
    for (const Step &step : steps) {
        MonitoredMessage message = sample(step.payload, step.channel, step.pattern);
        message.timestampMs = step.time;
        formatter.append(message, out);
        JsonLinesMessageFormatter fresh;
        const QByteArray line = fresh.formatted(message);
        QVERIFY(line.endsWith('\n'));
        expected += line;
        QCOMPARE(out, expected);
    }
    QVERIFY(out.contains(
        R"({"time":"1969-12-31T23:59:59.999Z","channel":"news","pattern":null,"size":4,"payload":"pppp"})"));
}

void TestMessageFormatters::csvExact_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray time = "2024-05-01T12:34:56.789Z";
    QTest::newRow("plain") << QByteArray("hello") << QByteArray("news") << time + ",news,,5,hello,\r\n";
    QTest::newRow("quotes") << QByteArray(R"(say "hi")") << QByteArray("news")
                            << time
            + R"(,news,,8,"say ""hi""",)"
              "\r\n";
    QTest::newRow("comma channel") << QByteArray("x") << QByteArray("a,b") << time + ",\"a,b\",,1,x,\r\n";
    QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("news") << time + ",news,,3,\"a\nb\",\r\n";
    QTest::newRow("nul is base64") << QByteArray("a\0", 2) << QByteArray("news")
                                   << time + ",news,,2,,YQA=\r\n";
    QTest::newRow("binary") << QByteArray("\xff") << QByteArray("news") << time + ",news,,1,,/w==\r\n";
    QTest::newRow("binary channel") << QByteArray("x") << QByteArray("c\xff\\", 3)
                                    << time + ",c\\xff\\\\,,1,x,\r\n";
    QTest::newRow("nul in channel") << QByteArray("x") << QByteArray("c\0d", 3)
                                    << time + ",c\\x00d,,1,x,\r\n";
    QTest::newRow("empty") << QByteArray() << QByteArray("news") << time + ",news,,0,,\r\n";
}

// Keyspace notifications get their db, key and event in every format; a channel that only looks
// like one is formatted as any other message.
void TestMessageFormatters::keyspaceFields_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("text"); // after the time
    QTest::addColumn<QByteArray>("json"); // after the payload field
    QTest::addColumn<QByteArray>("csv"); // the last three cells
    using B = QByteArray;
    QTest::newRow("keyspace") << B("__keyspace@0__:user:1") << B("set") << B("db=0 event=set key=user:1")
                              << B(R"(,"keyspace":{"db":0,"key":"user:1","event":"set"}})")
                              << B(",0,user:1,set");
    QTest::newRow("keyevent") << B("__keyevent@12__:expired") << B("s:a b")
                              << B("db=12 event=expired key=s:a b")
                              << B(R"(,"keyspace":{"db":12,"key":"s:a b","event":"expired"}})")
                              << B(",12,s:a b,expired");
    QTest::newRow("binary key") << B("__keyspace@0__:k\xff\n", 18) << B("del")
                                << B("db=0 event=del key=k\\xff\\n")
                                << B(R"(,"keyspace":{"db":0,"key_base64":"a/8K","event":"del"}})")
                                << B(",0,\"k\\xff\n\",del");
    QTest::newRow("formula key") << B("__keyspace@0__:=1+1") << B("set") << B("db=0 event=set key==1+1")
                                 << B(R"(,"keyspace":{"db":0,"key":"=1+1","event":"set"}})")
                                 << B(",0,'=1+1,set");
    QTest::newRow("malformed") << B("__keyspace@x__:k") << B("set") << B("__keyspace@x__:k set") << B("}")
                               << B(",,,");
    QTest::newRow("plain") << B("news") << B("hi") << B("news hi") << B("}") << B(",,,");
}

void TestMessageFormatters::keyspaceFields()
{
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, json);
    QFETCH(QByteArray, csv);
    const MonitoredMessage message = sample(payload, channel);

    TextMessageFormatter textFormatter;
    const QByteArray time
        = QDateTime::fromMSecsSinceEpoch(SampleTime).toString(QStringLiteral("HH:mm:ss.zzz")).toLatin1();
    QCOMPARE(textFormatter.formatted(message), time + ' ' + text + '\n');

    JsonLinesMessageFormatter jsonFormatter;
    const QByteArray line = jsonFormatter.formatted(message);
    QVERIFY2(line.endsWith(json + '\n'), line.constData());
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(line, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(!object.contains(QLatin1String("event"))); // "event" marks gaps, never messages

    CsvMessageFormatter csvFormatter;
    QCOMPARE(csvFormatter.header(), QByteArray("time,channel,pattern,size,payload,payload_base64\r\n"));
    const QByteArray plainRow = csvFormatter.formatted(message);
    csvFormatter.setKeyspaceColumns(true);
    QCOMPARE(csvFormatter.header(),
        QByteArray("time,channel,pattern,size,payload,payload_base64,db,key,event\r\n"));
    const QByteArray row = csvFormatter.formatted(message);
    QCOMPARE(row, plainRow.chopped(2) + csv + "\r\n");
}

void TestMessageFormatters::csvExact()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, expected);
    CsvMessageFormatter formatter;
    QCOMPARE(formatter.formatted(sample(payload, channel)), expected);
}

// A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a ' in front; the
// size column still gives the payload's own length, so a reader can take the ' off again.
void TestMessageFormatters::csvFormulaCellsDefused_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("expected"); // after the time and a comma
    QTest::newRow("hyperlink") << QByteArray(R"(=HYPERLINK("http://evil.invalid","click"))")
                               << QByteArray("news") << QByteArray()
                               << QByteArray(R"x(news,,41,"'=HYPERLINK(""http://evil.invalid"",""click"")",)x"
                                             "\r\n");
    QTest::newRow("plus") << QByteArray("+1+1") << QByteArray("news") << QByteArray()
                          << QByteArray("news,,4,'+1+1,\r\n");
    QTest::newRow("minus") << QByteArray("-2+3") << QByteArray("news") << QByteArray()
                           << QByteArray("news,,4,'-2+3,\r\n");
    QTest::newRow("at") << QByteArray("@SUM(A1:A9)") << QByteArray("news") << QByteArray()
                        << QByteArray("news,,11,'@SUM(A1:A9),\r\n");
    QTest::newRow("tab") << QByteArray("\t=1+1") << QByteArray("news") << QByteArray()
                         << QByteArray("news,,5,'\t=1+1,\r\n");
    QTest::newRow("carriage return") << QByteArray("\r=1+1") << QByteArray("news") << QByteArray()
                                     << QByteArray("news,,5,\"'\r=1+1\",\r\n");
    QTest::newRow("lone equals") << QByteArray("=") << QByteArray("news") << QByteArray()
                                 << QByteArray("news,,1,'=,\r\n");
    QTest::newRow("channel and pattern")
        << QByteArray("x") << QByteArray("=cmd|' /C calc'!A0") << QByteArray("-*")
        << QByteArray("'=cmd|' /C calc'!A0,'-*,1,x,\r\n");
    QTest::newRow("not first") << QByteArray("a=1+1") << QByteArray("news") << QByteArray()
                               << QByteArray("news,,5,a=1+1,\r\n");
    QTest::newRow("quote first") << QByteArray("'=1") << QByteArray("news") << QByteArray()
                                 << QByteArray("news,,3,'=1,\r\n");
    QTest::newRow("newline first") << QByteArray("\n=1") << QByteArray("news") << QByteArray()
                                   << QByteArray("news,,3,\"\n=1\",\r\n");
    QTest::newRow("binary stays base64")
        << QByteArray("=\xff") << QByteArray("news") << QByteArray() << QByteArray("news,,2,,Pf8=\r\n");
}

void TestMessageFormatters::csvFormulaCellsDefused()
{
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, channel);
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, expected);
    CsvMessageFormatter formatter;
    const QByteArray record = formatter.formatted(sample(payload, channel, pattern));
    QCOMPARE(record, "2024-05-01T12:34:56.789Z," + expected);
    const QList<QByteArray> fields = readCsvRecord(record);
    QCOMPARE(fields.size(), 6);
    if (fields.at(4).isEmpty())
        return;
    // Undoing it: one ' more than the size says.
    QByteArray cell = fields.at(4);
    if (cell.size() == fields.at(3).toLongLong() + 1 && cell.startsWith('\''))
        cell.remove(0, 1);
    QCOMPARE(cell, payload);
}

void TestMessageFormatters::formulasUntouchedOutsideCsv()
{
    const MonitoredMessage message = sample("=HYPERLINK(\"x\")", "-chan");
    QCOMPARE(JsonLinesMessageFormatter().formatted(message),
        QByteArray(R"({"time":"2024-05-01T12:34:56.789Z","channel":"-chan","pattern":null,"size":15,)"
                   R"x("payload":"=HYPERLINK(\"x\")"})x"
                   "\n"));
    QVERIFY(TextMessageFormatter().formatted(message).endsWith(" -chan =HYPERLINK(\"x\")\n"));
}

void TestMessageFormatters::csvHeader()
{
    CsvMessageFormatter formatter;
    QCOMPARE(formatter.header(), QByteArray("time,channel,pattern,size,payload,payload_base64\r\n"));
    QCOMPARE(readCsvRecord(formatter.header()).size(), 6);
    QVERIFY(JsonLinesMessageFormatter().header().isEmpty());
    QVERIFY(TextMessageFormatter().header().isEmpty());
}

void TestMessageFormatters::timestamps()
{
    TimestampFormatter iso(TimestampFormatter::Style::IsoUtc);
    QCOMPARE(iso.format(SampleTime), QByteArray("2024-05-01T12:34:56.789Z"));
    QCOMPARE(iso.format(SampleTime + 1), QByteArray("2024-05-01T12:34:56.790Z")); // cached second
    QCOMPARE(iso.format(SampleTime + 211), QByteArray("2024-05-01T12:34:57.000Z")); // next second
    QCOMPARE(iso.format(0), QByteArray("1970-01-01T00:00:00.000Z"));
    QCOMPARE(iso.format(-1), QByteArray("1969-12-31T23:59:59.999Z"));
    TimestampFormatter local(TimestampFormatter::Style::LocalTimeOfDay);
    QCOMPARE(local.format(SampleTime),
        QDateTime::fromMSecsSinceEpoch(SampleTime).toString(QStringLiteral("HH:mm:ss.zzz")).toLatin1());
}

void TestMessageFormatters::utf8Validation_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ascii long") << QByteArray(1000, 'a') << true;
    QTest::newRow("two byte") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("three byte") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("four byte") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("max") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("above max") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("overlong 2") << QByteArray("\xc1\xbf") << false;
    QTest::newRow("overlong 3") << QByteArray("\xe0\x80\xaf") << false;
    QTest::newRow("overlong 4") << QByteArray("\xf0\x80\x80\xaf") << false;
    QTest::newRow("surrogate") << QByteArray("\xed\xbf\xbf") << false;
    QTest::newRow("lone continuation") << QByteArray("\x80") << false;
    QTest::newRow("truncated") << QByteArray("\xe2\x82") << false;
    QTest::newRow("invalid after 8 ascii") << QByteArray("abcdefgh\xff") << false;
    QTest::newRow("nul") << QByteArray("\0", 1) << true;
}

void TestMessageFormatters::utf8Validation()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(Utf8Validator::isValid(bytes), valid);
}

void TestMessageFormatters::formatNames()
{
    MessageFormatter::Format format;
    QVERIFY(MessageFormatter::parseFormatName(u"jsonl", &format));
    QCOMPARE(format, MessageFormatter::Format::JsonLines);
    QVERIFY(MessageFormatter::parseFormatName(u"csv", &format));
    QCOMPARE(format, MessageFormatter::Format::Csv);
    QVERIFY(MessageFormatter::parseFormatName(u"text", &format));
    QCOMPARE(format, MessageFormatter::Format::Text);
    QVERIFY(!MessageFormatter::parseFormatName(u"xml", &format));
    QCOMPARE(
        MessageFormatter::create(MessageFormatter::Format::Csv)->format(), MessageFormatter::Format::Csv);
    QCOMPARE(MessageFormatter::fileSuffix(MessageFormatter::Format::JsonLines), QStringLiteral("jsonl"));
}

namespace {
// A gap whose reason carries what a server may put in an error text.
SubscriptionGap sampleGap(bool resumed = true)
{
    SubscriptionGap gap;
    gap.sinceMs = SampleTime - 2500; // 2024-05-01T12:34:54.289Z
    gap.timeMs = SampleTime;
    gap.cause = SubscriptionGap::Cause::ProbablyOutputBufferLimit;
    gap.reason = QStringLiteral("probably \"limit\",\nthen \x1b[31mred");
    gap.resumed = resumed;
    return gap;
}
} // namespace

void TestMessageFormatters::jsonGapLine()
{
    JsonLinesMessageFormatter formatter;
    QByteArray out;
    formatter.appendGap(sampleGap(), out);
    QCOMPARE(out,
        QByteArray(
            R"({"event":"gap","time":"2024-05-01T12:34:56.789Z","since":"2024-05-01T12:34:54.289Z",)"
            R"("reason":"probably \"limit\",\nthen \u001b[31mred","cause":"probably-output-buffer-limit",)"
            R"("resumed":true})"
            "\n"));
    QJsonParseError error;
    const QJsonObject gap = QJsonDocument::fromJson(out, &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(gap.value(QLatin1String("event")).toString(), QStringLiteral("gap"));
    QCOMPARE(gap.value(QLatin1String("reason")).toString(), sampleGap().reason);
    QCOMPARE(QDateTime::fromString(gap.value(QLatin1String("since")).toString(), Qt::ISODateWithMs)
                 .toMSecsSinceEpoch(),
        SampleTime - 2500);
    out.clear();
    formatter.appendGap(sampleGap(false), out);
    QVERIFY(out.endsWith(",\"resumed\":false}\n"));
    // Message lines never have the key.
    const QJsonObject message = QJsonDocument::fromJson(formatter.formatted(sample("x"))).object();
    QVERIFY(!message.contains(QLatin1String("event")));
}

void TestMessageFormatters::textGapLine()
{
    TextMessageFormatter formatter;
    QByteArray out;
    formatter.appendGap(sampleGap(), out);
    auto local = [](qint64 ms) {
        return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("HH:mm:ss.zzz")).toLatin1();
    };
    QCOMPARE(out,
        local(SampleTime) + " *** gap since " + local(SampleTime - 2500)
            + ": messages may be missing (probably \"limit\",\\nthen \\e[31mred)\n");
    out.clear();
    formatter.appendGap(sampleGap(false), out);
    QVERIFY(out.contains("not subscribed again when the monitor stopped"));
    QCOMPARE(out.count('\n'), 1);
}

void TestMessageFormatters::csvGapRow()
{
    CsvMessageFormatter formatter;
    QByteArray out;
    formatter.appendGap(sampleGap(), out);
    const QList<QByteArray> fields = readCsvRecord(out);
    QCOMPARE(fields.size(), 6);
    QCOMPARE(fields.at(0), QByteArray("2024-05-01T12:34:56.789Z"));
    QCOMPARE(fields.at(1), QByteArray()); // no channel
    QCOMPARE(fields.at(3), QByteArray()); // no size: a message row always has one
    QCOMPARE(fields.at(4), "gap since 2024-05-01T12:34:54.289Z: " + sampleGap().reason.toUtf8());
    QCOMPARE(fields.at(5), QByteArray());
}

void TestMessageFormatters::entriesDispatchGaps()
{
    JsonLinesMessageFormatter formatter;
    QByteArray out;
    formatter.appendEntry(MonitoredMessage::fromGap(sampleGap()), out);
    formatter.appendEntry(sample("x"), out);
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith("{\"event\":\"gap\""));
    QVERIFY(lines.at(1).startsWith("{\"time\":"));
}

QTEST_APPLESS_MAIN(TestMessageFormatters)
#include "tst_messageformatters.moc"
