// ChatEnvelope: the v1 codec. Decoding never fails: anything that is not a well-formed envelope
// is shown as an external plain message, and whatever a remote party wrote is sanitised.
#include "chat/ChatEnvelope.h"
#include "chat/ChatMessage.h"
#include "chat/UntrustedText.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Redwire;
using Kind = ChatEnvelope::Kind;

namespace {
constexpr qsizetype Limit = 64 * 1024;

// A valid envelope with one field replaced (or removed, with an undefined value).
QByteArray envelopeWith(const QString &field, const QJsonValue &value)
{
    QJsonObject object { { "v", 1 }, { "id", "m-1" }, { "kind", "message" }, { "from", "alice" },
        { "text", "hello" }, { "ts", qint64(1700000000000) } };
    if (value.isUndefined())
        object.remove(field);
    else
        object.insert(field, value);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

bool hasControlOrBidi(const QString &text)
{
    for (const QChar c : text) {
        if (UntrustedText::isBidiControl(c.unicode()))
            return true;
        if ((c.unicode() < 0x20 && c != u'\n' && c != u'\t') || c.unicode() == 0x7F)
            return true;
    }
    return false;
}
} // namespace

class TestChatEnvelope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void decodesFields_data();
    void decodesFields();
    void hostilePayloadsAreNeutralised_data();
    void hostilePayloadsAreNeutralised();
    void oversizedPayloadIsCutWithMarker_data();
    void oversizedPayloadIsCutWithMarker();
    void bidiControlsAreStrippedButRawIsKept();
    void lookAlikeSendersAreFlagged_data();
    void lookAlikeSendersAreFlagged();
    void encodeRoundTrips_data();
    void encodeRoundTrips();
    void encodeOmitsAbsentFields();
    void sidSplicedInFrontDecodes();
    void messageFromEnvelope();
    void mentions_data();
    void mentions();
    void changeKinds_data();
    void changeKinds();
    void changesEncodeRoundTrip();
    void replyFromEnvelope();
};

void TestChatEnvelope::decodesFields_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<bool>("external");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("sender");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("streamId");
    QTest::addColumn<qint64>("timestamp");

    const int message = int(Kind::Message);
    const qint64 ts = 1700000000000;
    auto valid = [&](const char *name, const QByteArray &payload, int kind, const QString &text,
                     const QByteArray &sid = {}, qint64 timestamp = 1700000000000) {
        QTest::newRow(name) << payload << false << kind << QStringLiteral("alice") << text << sid
                            << timestamp;
    };
    auto externalRow = [&](const char *name, const QByteArray &payload) {
        QTest::newRow(name) << payload << true << message << QString() << UntrustedText::fromUtf8(payload)
                            << QByteArray() << qint64(0);
    };

    valid("valid message", envelopeWith("text", "hello"), message, "hello");
    valid("with stream id", envelopeWith("sid", "1700000000000-7"), message, "hello", "1700000000000-7");
    valid("future version", envelopeWith("v", 2), message, "hello");
    valid("unknown kind kept", envelopeWith("kind", "reaction"), int(Kind::Unknown), "hello");
    valid("join", envelopeWith("kind", "join"), int(Kind::Join), "hello");
    {
        QByteArray join = envelopeWith("text", QJsonValue::Undefined);
        join.replace("\"message\"", "\"join\"");
        valid("join without text", join, int(Kind::Join), QString());
    }
    valid("typing", envelopeWith("kind", "typing"), int(Kind::Typing), "hello");
    valid("extra fields ignored",
        envelopeWith("extra", QJsonObject { { "deep", QJsonArray { 1, 2, QJsonObject {} } } }), message,
        "hello");
    valid("empty text", envelopeWith("text", ""), message, QString());
    valid("ts missing", envelopeWith("ts", QJsonValue::Undefined), message, "hello", {}, 0);
    valid("ts string ignored", envelopeWith("ts", "yesterday"), message, "hello", {}, 0);
    valid("ts negative ignored", envelopeWith("ts", -5), message, "hello", {}, 0);
    valid("ts huge ignored", envelopeWith("ts", 1e300), message, "hello", {}, 0);
    valid("sid number ignored", envelopeWith("sid", 17), message, "hello");
    valid("sid junk ignored", envelopeWith("sid", "abc"), message, "hello");
    valid("sid three parts ignored", envelopeWith("sid", "1-2-3"), message, "hello");
    valid("sid overflow ignored", envelopeWith("sid", "99999999999999999999999-0"), message, "hello");
    valid("reason number ignored", envelopeWith("reason", 3), message, "hello");
    valid("whitespace around", "  \n" + envelopeWith("text", "hello") + "\n ", message, "hello");

    externalRow("v missing", envelopeWith("v", QJsonValue::Undefined));
    externalRow("v string", envelopeWith("v", "1"));
    externalRow("v zero", envelopeWith("v", 0));
    externalRow("v fraction", envelopeWith("v", 1.5));
    externalRow("v negative", envelopeWith("v", -1));
    externalRow("v huge", envelopeWith("v", 1e300));
    externalRow("v null", envelopeWith("v", QJsonValue::Null));
    externalRow("id missing", envelopeWith("id", QJsonValue::Undefined));
    externalRow("id number", envelopeWith("id", 12));
    externalRow("id empty", envelopeWith("id", ""));
    externalRow("id too long", envelopeWith("id", QString(129, u'x')));
    externalRow("kind missing", envelopeWith("kind", QJsonValue::Undefined));
    externalRow("kind number", envelopeWith("kind", 1));
    externalRow("kind empty", envelopeWith("kind", ""));
    externalRow("kind array", envelopeWith("kind", QJsonArray { "message" }));
    externalRow("from missing", envelopeWith("from", QJsonValue::Undefined));
    externalRow("from number", envelopeWith("from", 7));
    externalRow("from empty", envelopeWith("from", ""));
    externalRow("from blank", envelopeWith("from", "   "));
    externalRow("from only bidi", envelopeWith("from", QString(QChar(0x202E))));
    externalRow("from null", envelopeWith("from", QJsonValue::Null));
    externalRow("from too long", envelopeWith("from", QString(65, u'a')));
    externalRow("text missing on a message", envelopeWith("text", QJsonValue::Undefined));
    externalRow("text number", envelopeWith("text", 42));
    externalRow("text null", envelopeWith("text", QJsonValue::Null));
    externalRow("text object", envelopeWith("text", QJsonObject { { "a", 1 } }));
    {
        QByteArray join = envelopeWith("text", 5);
        join.replace("\"message\"", "\"join\"");
        externalRow("join with text of wrong type", join);
    }
    externalRow("plain text", "hello");
    externalRow("redis-py style", "New Message");
    externalRow("empty payload", "");
    externalRow("json array", "[1,2,3]");
    externalRow("json string", "\"hello\"");
    externalRow("json number", "42");
    externalRow("json null", "null");
    externalRow("empty object", "{}");
    externalRow("truncated json", "{\"v\":1,\"id\":\"x\",");
    externalRow("single quotes", "{'v':1}");
    externalRow("trailing garbage", envelopeWith("text", "hi") + "garbage");
    Q_UNUSED(ts)
}

void TestChatEnvelope::decodesFields()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, external);
    QFETCH(int, kind);
    QFETCH(QString, sender);
    QFETCH(QString, text);
    QFETCH(QByteArray, streamId);
    QFETCH(qint64, timestamp);

    const ChatEnvelope envelope = ChatEnvelope::decode(payload, Limit);
    QCOMPARE(envelope.external, external);
    QCOMPARE(int(envelope.kind), kind);
    QCOMPARE(envelope.sender, sender);
    QCOMPARE(envelope.text, text);
    QCOMPARE(envelope.streamId.toByteArray(), streamId);
    QCOMPARE(envelope.timestampMs, timestamp);
    QCOMPARE(envelope.raw, payload);
    QCOMPARE(envelope.rawSize, payload.size());
    QVERIFY(!envelope.truncated);
}

void TestChatEnvelope::hostilePayloadsAreNeutralised_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("expectedText"); // null: only the properties are checked

    const QString fffd(QChar(0xFFFD));
    QTest::newRow("invalid utf-8 bytes") << QByteArray("\xff\xfehello") << fffd + fffd + "hello";
    QTest::newRow("truncated sequence") << QByteArray("ab\xe2\x82") << QString();
    QTest::newRow("overlong slash") << QByteArray("a\xc0\xaf"
                                                  "b")
                                    << QString();
    QTest::newRow("encoded surrogate") << QByteArray("\xed\xa0\x80") << QString();
    QTest::newRow("above U+10FFFF") << QByteArray("\xf4\x90\x80\x80") << QString();
    QTest::newRow("nul bytes") << QByteArray("a\0b\0", 4) << "a" + fffd + "b" + fffd;
    QTest::newRow("escape sequences") << QByteArray("\x1b[31mred\x1b[0m") << fffd + "[31mred" + fffd + "[0m";
    QTest::newRow("c1 control") << QByteArray("a\xc2\x85"
                                              "b")
                                << "a" + fffd + "b";
    QTest::newRow("crlf") << QByteArray("one\r\ntwo\rthree") << QStringLiteral("one\ntwo\nthree");
    QTest::newRow("raw bidi override") << QByteArray("hi \xe2\x80\xae"
                                                     "evil")
                                       << QStringLiteral("hi evil");
    QTest::newRow("raw bidi isolates") << QByteArray("\xe2\x81\xa6"
                                                     "a\xe2\x81\xa9")
                                       << QStringLiteral("a");
    QTest::newRow("invalid utf-8 inside json string")
        << QByteArray("{\"v\":1,\"id\":\"x\",\"kind\":\"message\",\"from\":\"a\",\"text\":\"\xff\"}")
        << QString();
    QTest::newRow("escaped nul in json")
        << envelopeWith("text", QStringLiteral("a") + QChar(0) + "b") << "a" + fffd + "b";
    QTest::newRow("lone surrogate escape")
        << QByteArray("{\"v\":1,\"id\":\"x\",\"kind\":\"message\",\"from\":\"a\",\"text\":\"x\\ud800y\"}")
        << "x" + fffd + "y";
    QTest::newRow("reversed surrogates") << QByteArray(
        "{\"v\":1,\"id\":\"x\",\"kind\":\"message\",\"from\":\"a\",\"text\":\"\\udc00\\ud800\"}")
                                         << fffd + fffd;
    QTest::newRow("escaped bidi in json") << QByteArray(
        "{\"v\":1,\"id\":\"x\",\"kind\":\"message\",\"from\":\"a\",\"text\":\"a\\u202eb\\u2067c\"}")
                                          << QStringLiteral("abc");
    QTest::newRow("deep array nesting") << QByteArray(60000, '[') << QString();
    QByteArray deepObject;
    for (int i = 0; i < 5000; ++i)
        deepObject += "{\"a\":";
    deepObject += "1";
    deepObject += QByteArray(5000, '}');
    QTest::newRow("deep object nesting") << deepObject << QString();
    QTest::newRow("many keys") << ("{" + QByteArray("\"k\":1,").repeated(5000) + "\"v\":1}") << QString();
    QTest::newRow("junk binary") << QByteArray::fromHex("000102fffe7b227622") << QString();
}

void TestChatEnvelope::hostilePayloadsAreNeutralised()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, expectedText);
    const ChatEnvelope envelope = ChatEnvelope::decode(payload, Limit);
    if (!expectedText.isNull())
        QCOMPARE(envelope.text, expectedText);
    QVERIFY(envelope.text.isValidUtf16());
    QVERIFY2(!hasControlOrBidi(envelope.text), qPrintable(envelope.text.toHtmlEscaped()));
    QVERIFY(!hasControlOrBidi(envelope.sender));
    QCOMPARE(envelope.raw, payload);
    QVERIFY(!envelope.truncated);
}

void TestChatEnvelope::oversizedPayloadIsCutWithMarker_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qsizetype>("limit");
    QTest::addColumn<bool>("truncated");
    QTest::addColumn<qsizetype>("shownBytes");

    QTest::newRow("exactly at the limit")
        << QByteArray(100, 'a') << qsizetype(100) << false << qsizetype(100);
    QTest::newRow("one over") << QByteArray(101, 'a') << qsizetype(100) << true << qsizetype(100);
    QTest::newRow("1 MiB of text") << QByteArray(1024 * 1024, 'x') << Limit << true << Limit;
    // "é" is two bytes: a cut at an odd limit backs off to the character boundary.
    QTest::newRow("multi-byte boundary")
        << QByteArray("\xc3\xa9").repeated(100) << qsizetype(51) << true << qsizetype(50);
    QTest::newRow("4-byte boundary") << QByteArray("\xf0\x9f\x98\x80").repeated(10) << qsizetype(7) << true
                                     << qsizetype(4);
    // A valid envelope over the limit is not parsed: shown as cut plain text.
    QTest::newRow("envelope over the limit")
        << envelopeWith("text", QString(200, u'z')) << qsizetype(120) << true << qsizetype(120);
}

void TestChatEnvelope::oversizedPayloadIsCutWithMarker()
{
    QFETCH(QByteArray, payload);
    QFETCH(qsizetype, limit);
    QFETCH(bool, truncated);
    QFETCH(qsizetype, shownBytes);
    const ChatEnvelope envelope = ChatEnvelope::decode(payload, limit);
    QCOMPARE(envelope.truncated, truncated);
    QCOMPARE(envelope.rawSize, payload.size());
    QCOMPARE(envelope.raw.size(), shownBytes);
    QVERIFY(payload.startsWith(envelope.raw));
    if (truncated) {
        QVERIFY(envelope.external);
        QVERIFY(envelope.text.endsWith(ChatEnvelope::truncationMarker(shownBytes, payload.size())));
        QVERIFY(!envelope.text.contains(QChar(0xFFFD))); // the cut never splits a character
    }
}

void TestChatEnvelope::bidiControlsAreStrippedButRawIsKept()
{
    const QString evil = QStringLiteral("access = \"user\u202E \u2066// admin\u2069\u2066\"");
    const QByteArray payload = envelopeWith("text", evil);
    QByteArray withBidiSender = payload;
    withBidiSender.replace("\"alice\"", "\"al\u202Eice\"");
    const ChatEnvelope envelope = ChatEnvelope::decode(withBidiSender, Limit);
    QVERIFY(!envelope.external);
    // Stripping the control from the name would turn it into "alice": it is written out instead,
    // and flagged.
    QCOMPARE(envelope.sender, QStringLiteral("al<U+202E>ice"));
    QVERIFY(envelope.senderSuspicious);
    QCOMPARE(envelope.text, QStringLiteral("access = \"user // admin\""));
    QVERIFY(!UntrustedText::containsBidiControl(envelope.text));
    QCOMPARE(envelope.raw, withBidiSender); // the bytes as received
    QVERIFY(envelope.raw.contains("\xe2\x80\xae"));
}

void TestChatEnvelope::lookAlikeSendersAreFlagged_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("shown");
    QTest::addColumn<bool>("suspicious");
    QTest::newRow("alice") << QStringLiteral("alice") << QStringLiteral("alice") << false;
    QTest::newRow("cyrillic a") << QStringLiteral("\u0430lice") << QStringLiteral("<U+0430>lice") << true;
    QTest::newRow("zero-width") << QStringLiteral("ali\u200Bce") << QStringLiteral("ali<U+200B>ce") << true;
    QTest::newRow("trailing space") << QStringLiteral("alice ") << QStringLiteral("alice<U+0020>") << true;
}

void TestChatEnvelope::lookAlikeSendersAreFlagged()
{
    QFETCH(QString, from);
    QFETCH(QString, shown);
    QFETCH(bool, suspicious);
    QByteArray payload = envelopeWith("text", QStringLiteral("hi"));
    payload.replace("\"alice\"", "\"" + from.toUtf8() + "\"");
    const ChatEnvelope envelope = ChatEnvelope::decode(payload, Limit);
    QVERIFY(!envelope.external);
    QCOMPARE(envelope.sender, shown);
    QCOMPARE(envelope.senderSuspicious, suspicious);
    QCOMPARE(ChatMessage::fromEnvelope(envelope, QStringLiteral("bob"), 0).senderSuspicious, suspicious);
}

void TestChatEnvelope::encodeRoundTrips_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("text");
    QTest::newRow("message") << int(Kind::Message) << QStringLiteral("hello");
    QTest::newRow("quotes and escapes") << int(Kind::Message) << QStringLiteral("\"q\" \\ / \n\t{}[]");
    QTest::newRow("unicode") << int(Kind::Message) << QStringLiteral("héllo 😀 مرحبا");
    QTest::newRow("empty message") << int(Kind::Message) << QString();
    QTest::newRow("join") << int(Kind::Join) << QString();
    QTest::newRow("typing") << int(Kind::Typing) << QString();
}

void TestChatEnvelope::encodeRoundTrips()
{
    QFETCH(int, kind);
    QFETCH(QString, text);
    ChatEnvelope sent = ChatEnvelope::create(Kind(kind), QStringLiteral("bob"), text);
    sent.streamId = StreamId(1700000000123, 4);
    const ChatEnvelope received = ChatEnvelope::decode(sent.encode(), Limit);
    QVERIFY(!received.external);
    QCOMPARE(received.version, ChatEnvelope::ProtocolVersion);
    QCOMPARE(received.id, sent.id);
    QCOMPARE(int(received.kind), kind);
    QCOMPARE(received.sender, sent.sender);
    QCOMPARE(received.text, text);
    QCOMPARE(received.timestampMs, sent.timestampMs);
    QCOMPARE(received.streamId, sent.streamId);
}

void TestChatEnvelope::encodeOmitsAbsentFields()
{
    ChatEnvelope typing = ChatEnvelope::create(Kind::Typing, QStringLiteral("bob"));
    const QJsonObject object = QJsonDocument::fromJson(typing.encode()).object();
    QCOMPARE(object.value("v").toInt(), 1);
    QCOMPARE(object.value("kind").toString(), QStringLiteral("typing"));
    QVERIFY(!object.contains("sid"));
    QVERIFY(!object.contains("text"));
    QVERIFY(!object.contains("reason"));
    QVERIFY(typing.encode().startsWith('{'));
    QVERIFY(!typing.encode().contains('\n'));
    // A kind this version does not know is written back as it came.
    ChatEnvelope unknown = ChatEnvelope::decode(envelopeWith("kind", "poll"), Limit);
    QCOMPARE(unknown.kindName, QStringLiteral("poll"));
    QCOMPARE(
        QJsonDocument::fromJson(unknown.encode()).object().value("kind").toString(), QStringLiteral("poll"));
}

void TestChatEnvelope::sidSplicedInFrontDecodes()
{
    // What the send script publishes: the stored envelope with "sid" inserted first.
    const QByteArray stored = ChatEnvelope::create(Kind::Message, QStringLiteral("bob"), "hi").encode();
    const QByteArray published = "{\"sid\":\"1700000000000-0\"," + stored.mid(1);
    const ChatEnvelope envelope = ChatEnvelope::decode(published, Limit);
    QVERIFY(!envelope.external);
    QCOMPARE(envelope.streamId, StreamId(1700000000000, 0));
    QCOMPARE(envelope.text, QStringLiteral("hi"));
}

void TestChatEnvelope::messageFromEnvelope()
{
    const ChatEnvelope plain = ChatEnvelope::decode("hello carol", Limit);
    const ChatMessage external = ChatMessage::fromEnvelope(plain, QStringLiteral("carol"), 42);
    QVERIFY(external.external);
    QVERIFY(external.sender.isEmpty());
    QVERIFY(external.id.isEmpty());
    QCOMPARE(external.timestampMs, qint64(42)); // no timestamp given: the arrival time
    QVERIFY(external.mentionsMe);
    QVERIFY(!external.own);

    const ChatEnvelope ours = ChatEnvelope::decode(envelopeWith("text", "alice here"), Limit);
    const ChatMessage own = ChatMessage::fromEnvelope(ours, QStringLiteral("alice"), 42);
    QVERIFY(own.own);
    QVERIFY(!own.mentionsMe); // our own words never mention us
    QCOMPARE(own.timestampMs, qint64(1700000000000));
}

void TestChatEnvelope::mentions_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("mentions");
    QTest::newRow("plain") << "hi bob" << true;
    QTest::newRow("at sign") << "@bob look" << true;
    QTest::newRow("punctuation") << "bob, look" << true;
    QTest::newRow("case") << "BOB!" << true;
    QTest::newRow("prefix of a word") << "bobby" << false;
    QTest::newRow("suffix of a word") << "kebob" << false;
    QTest::newRow("underscore word") << "bob_x" << false;
    QTest::newRow("second occurrence") << "bobby and bob" << true;
    QTest::newRow("absent") << "hello" << false;
    QTest::newRow("combining mark after") << QStringLiteral("bob\u0301") << false;
}

void TestChatEnvelope::mentions()
{
    QFETCH(QString, text);
    QFETCH(bool, mentions);
    QCOMPARE(ChatMessage::textMentions(text, u"bob"), mentions);
}

namespace {
// An edit, delete, react or reply envelope with `fields` replacing the defaults.
QByteArray changeWith(const QString &kind, const QJsonObject &fields)
{
    QJsonObject object { { "v", 1 }, { "id", "c-1" }, { "kind", kind }, { "from", "alice" }, { "ref", "m-1" },
        { "ts", qint64(1700000000000) } };
    for (auto it = fields.begin(); it != fields.end(); ++it)
        object.insert(it.key(), it.value());
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}
} // namespace

void TestChatEnvelope::changeKinds_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("ref");
    QTest::addColumn<QString>("reaction");
    QTest::addColumn<bool>("on");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("applicable"); // changeProblem() is empty

    QTest::newRow("edit") << changeWith("edit", { { "text", "new text" } }) << int(Kind::Edit) << "m-1"
                          << "" << true << "new text" << true;
    QTest::newRow("delete") << changeWith("delete", { { "text", "(deleted a message)" } })
                            << int(Kind::Delete) << "m-1"
                            << "" << true << "(deleted a message)" << true;
    QTest::newRow("delete without text") << changeWith("delete", {}) << int(Kind::Delete) << "m-1"
                                         << "" << true << "" << true;
    QTest::newRow("react") << changeWith("react", { { "reaction", "👍" }, { "text", "👍" } })
                           << int(Kind::React) << "m-1"
                           << "👍" << true << "👍" << true;
    QTest::newRow("react off") << changeWith("react", { { "reaction", "👍" }, { "on", false } })
                               << int(Kind::React) << "m-1"
                               << "👍" << false << "" << true;
    QTest::newRow("react with skin tone")
        << changeWith("react", { { "reaction", "👍🏽" } }) << int(Kind::React) << "m-1"
        << "👍🏽" << true << "" << true;
    QTest::newRow("react zwj family")
        << changeWith("react", { { "reaction", "👨‍👩‍👧" } }) << int(Kind::React) << "m-1"
        << "👨‍👩‍👧" << true << "" << true;
    QTest::newRow("message with ref is a reply")
        << changeWith("message", { { "text", "yes" } }) << int(Kind::Message) << "m-1"
        << "" << true << "yes" << false;

    // Hostile or broken: still envelopes (old clients show their text), never applied.
    QTest::newRow("edit: missing ref")
        << QByteArray(R"({"v":1,"id":"c-1","kind":"edit","from":"alice","text":"x"})") << int(Kind::Edit)
        << ""
        << "" << true << "x" << false;
    QTest::newRow("edit: ref is a number")
        << changeWith("edit", { { "ref", 42 }, { "text", "x" } }) << int(Kind::Edit) << ""
        << "" << true << "x" << false;
    QTest::newRow("edit: ref is an object")
        << changeWith("edit", { { "ref", QJsonObject { { "id", "m-1" } } }, { "text", "x" } })
        << int(Kind::Edit) << ""
        << "" << true << "x" << false;
    QTest::newRow("edit: empty ref") << changeWith("edit", { { "ref", "" }, { "text", "x" } })
                                     << int(Kind::Edit) << ""
                                     << "" << true << "x" << false;
    QTest::newRow("edit: ref too long")
        << changeWith("edit", { { "ref", QString(129, 'r') }, { "text", "x" } }) << int(Kind::Edit) << ""
        << "" << true << "x" << false;
    QTest::newRow("edit: no text") << changeWith("edit", {}) << int(Kind::Edit) << "m-1"
                                   << "" << true << "" << false;
    QTest::newRow("edit: blank text")
        << changeWith("edit", { { "text", "  \n " } }) << int(Kind::Edit) << "m-1"
        << "" << true << "  \n " << false;
    QTest::newRow("edit: huge text") << changeWith("edit", { { "text", QString(60000, 'x') } })
                                     << int(Kind::Edit) << "m-1"
                                     << "" << true << QString(60000, 'x') << true;
    QTest::newRow("react: no reaction") << changeWith("react", {}) << int(Kind::React) << "m-1"
                                        << "" << true << "" << false;
    QTest::newRow("react: a word") << changeWith("react", { { "reaction", "FREE" } }) << int(Kind::React)
                                   << "m-1"
                                   << "" << true << "" << false;
    QTest::newRow("react: two emoji")
        << changeWith("react", { { "reaction", "👍👍" } }) << int(Kind::React) << "m-1"
        << "" << true << "" << false;
    QTest::newRow("react: huge") << changeWith("react", { { "reaction", QString(5000, 'x') } })
                                 << int(Kind::React) << "m-1"
                                 << "" << true << "" << false;
    QTest::newRow("react: bidi control")
        << changeWith("react", { { "reaction", QStringLiteral("\u202e") + "a" } }) << int(Kind::React)
        << "m-1"
        << "" << true << "" << false;
    QTest::newRow("react: space") << changeWith("react", { { "reaction", " " } }) << int(Kind::React) << "m-1"
                                  << "" << true << "" << false;
    QTest::newRow("react: reaction is a number")
        << changeWith("react", { { "reaction", 1 } }) << int(Kind::React) << "m-1"
        << "" << true << "" << false;
    QTest::newRow("react: on is a string (ignored: on)")
        << changeWith("react", { { "reaction", "😮" }, { "on", "false" } }) << int(Kind::React) << "m-1"
        << "😮" << true << "" << true;
    QTest::newRow("delete: text is a number (not an envelope)")
        << changeWith("delete", { { "text", 5 } }) << int(Kind::Message) << ""
        << "" << true << QString::fromUtf8(changeWith("delete", { { "text", 5 } })) << false;
}

void TestChatEnvelope::changeKinds()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);
    QFETCH(QString, ref);
    QFETCH(QString, reaction);
    QFETCH(bool, on);
    QFETCH(QString, text);
    QFETCH(bool, applicable);

    const ChatEnvelope envelope = ChatEnvelope::decode(payload, Limit);
    QCOMPARE(int(envelope.kind), kind);
    QCOMPARE(envelope.ref, ref);
    QCOMPARE(envelope.reaction, reaction);
    QCOMPARE(envelope.reactionOn, on);
    QCOMPARE(envelope.text, text);
    QCOMPARE(envelope.changeProblem().isEmpty(), applicable);
    QVERIFY(!hasControlOrBidi(envelope.text));
    QVERIFY(!hasControlOrBidi(envelope.reaction));
}

void TestChatEnvelope::changesEncodeRoundTrip()
{
    ChatEnvelope edit = ChatEnvelope::create(Kind::Edit, QStringLiteral("bob"), QStringLiteral("fixed"));
    edit.ref = QStringLiteral("m-7");
    ChatEnvelope decoded = ChatEnvelope::decode(edit.encode(), Limit);
    QCOMPARE(decoded.kind, Kind::Edit);
    QCOMPARE(decoded.kindName, QStringLiteral("edit"));
    QCOMPARE(decoded.ref, QStringLiteral("m-7"));
    QCOMPARE(decoded.text, QStringLiteral("fixed"));
    QVERIFY(decoded.changeProblem().isEmpty());

    ChatEnvelope react
        = ChatEnvelope::create(Kind::React, QStringLiteral("bob"), QStringLiteral("(took back ❤️)"));
    react.ref = QStringLiteral("m-7");
    react.reaction = QStringLiteral("❤️");
    react.reactionOn = false;
    const QJsonObject json = QJsonDocument::fromJson(react.encode()).object();
    QCOMPARE(json.value("kind").toString(), QStringLiteral("react"));
    QCOMPARE(json.value("reaction").toString(), QStringLiteral("❤️"));
    QCOMPARE(json.value("on").toBool(true), false);
    QCOMPARE(json.value("text").toString(), QStringLiteral("(took back ❤️)")); // what old clients show
    decoded = ChatEnvelope::decode(react.encode(), Limit);
    QCOMPARE(decoded.reaction, QStringLiteral("❤️"));
    QVERIFY(!decoded.reactionOn);

    // A plain message has no ref, reaction or on.
    const QJsonObject plain
        = QJsonDocument::fromJson(ChatEnvelope::create(Kind::Message, QStringLiteral("bob"), "hi").encode())
              .object();
    QVERIFY(!plain.contains("ref") && !plain.contains("reaction") && !plain.contains("on"));
}

void TestChatEnvelope::replyFromEnvelope()
{
    const ChatMessage reply = ChatMessage::fromEnvelope(
        ChatEnvelope::decode(changeWith("message", { { "text", "yes" } }), Limit), QStringLiteral("bob"), 1);
    QCOMPARE(reply.replyTo, QStringLiteral("m-1"));
    QCOMPARE(reply.text, QStringLiteral("yes"));
    QVERIFY(reply.isConversation());
    // Only a message answers: a ref on a notice means nothing.
    const ChatMessage join = ChatMessage::fromEnvelope(
        ChatEnvelope::decode(changeWith("join", {}), Limit), QStringLiteral("bob"), 1);
    QVERIFY(join.replyTo.isEmpty());
}

QTEST_GUILESS_MAIN(TestChatEnvelope)
#include "tst_chatenvelope.moc"
