// RoomAddress: channel and key names of rooms and direct conversations, and name validation.
#include "chat/RoomAddress.h"

#include <QTest>

using namespace Redwire;

namespace {
// Redis Cluster's rule: the hash tag is what lies between the first '{' and the first '}' after
// it, when that is not empty; otherwise the whole key.
QByteArray hashTag(const QByteArray &key)
{
    const qsizetype open = key.indexOf('{');
    if (open < 0)
        return key;
    const qsizetype close = key.indexOf('}', open + 1);
    if (close < 0 || close == open + 1)
        return key;
    return key.mid(open + 1, close - open - 1);
}
} // namespace

class TestRoomAddress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roomNames_data();
    void roomNames();
    void roomKeysShareOneSlot_data();
    void roomKeysShareOneSlot();
    void nicknames_data();
    void nicknames();
    void escapedNicknames_data();
    void escapedNicknames();
    void directConversation();
    void directChannelParsing_data();
    void directChannelParsing();
};

void TestRoomAddress::roomNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("chat") << "chat" << true;
    QTest::newRow("spaces and unicode") << QStringLiteral("Café du Monde ☕") << true;
    QTest::newRow("braces") << "a{b}c" << true;
    QTest::newRow("200 bytes") << QString(200, u'x') << true;
    QTest::newRow("201 bytes") << QString(201, u'x') << false;
    QTest::newRow("100 two-byte chars") << QString(100, QChar(0xE9)) << true;
    QTest::newRow("101 two-byte chars") << QString(101, QChar(0xE9)) << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("newline") << "a\nb" << false;
    QTest::newRow("carriage return") << "a\rb" << false;
    QTest::newRow("nul") << QString(QStringLiteral("a") + QChar(0) + "b") << false;
    QTest::newRow("bidi") << QStringLiteral("a\u202Eb") << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << false;
    QTest::newRow("dm prefix") << "dm:{a|b}" << false;
    QTest::newRow("redwire prefix") << "redwire:x" << false;
    QTest::newRow("heartbeat prefix") << "__redwire:heartbeat:1" << false;
}

void TestRoomAddress::roomNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(RoomAddress::roomNameProblem(name).isEmpty(), valid);
    const RoomAddress address = RoomAddress::room(name);
    QCOMPARE(address.isValid(), valid);
    if (valid) {
        QCOMPARE(address.channel(), name.toUtf8());
        QCOMPARE(address.name(), name);
        QVERIFY(!address.isDirect());
    }
}

void TestRoomAddress::roomKeysShareOneSlot_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("chat") << "chat";
    QTest::newRow("closing brace") << "a}b";
    QTest::newRow("opening brace") << "{x";
    QTest::newRow("both") << "}{";
    QTest::newRow("unicode") << QStringLiteral("ünï");
}

void TestRoomAddress::roomKeysShareOneSlot()
{
    QFETCH(QString, name);
    const RoomAddress address = RoomAddress::room(name);
    QVERIFY(address.isValid());
    if (name == QLatin1String("chat")) {
        QCOMPARE(address.historyKey(), QByteArray("redwire:{room:chat}:history"));
        QCOMPARE(address.presenceKey(), QByteArray("redwire:{room:chat}:presence"));
        QCOMPARE(address.sentKey("abc"), QByteArray("redwire:{room:chat}:sent:abc"));
    }
    const QByteArray tag = hashTag(address.historyKey());
    QCOMPARE(hashTag(address.presenceKey()), tag);
    QCOMPARE(hashTag(address.sentKey("some-id")), tag);
}

void TestRoomAddress::nicknames_data()
{
    QTest::addColumn<QString>("nickname");
    QTest::addColumn<bool>("valid");
    QTest::newRow("alice") << "alice" << true;
    QTest::newRow("unicode") << QStringLiteral("zoë") << true;
    QTest::newRow("dash dot") << "a-b.c" << true;
    QTest::newRow("64 bytes") << QString(64, u'n') << true;
    QTest::newRow("65 bytes") << QString(65, u'n') << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("space") << "a b" << false;
    QTest::newRow("tab") << "a\tb" << false;
    QTest::newRow("pipe") << "a|b" << false;
    QTest::newRow("brace") << "a}" << false;
    QTest::newRow("star") << "a*" << false;
    QTest::newRow("question") << "a?" << false;
    QTest::newRow("bracket") << "[a]" << false;
    QTest::newRow("backslash") << "a\\" << false;
    QTest::newRow("at") << "@a" << false;
    QTest::newRow("bidi") << QStringLiteral("a\u2066") << false;
    QTest::newRow("c1") << QString(QStringLiteral("a") + QChar(0x85)) << false;
    QTest::newRow("zero-width space") << QStringLiteral("ali\u200Bce") << false;
    QTest::newRow("zero-width joiner") << QStringLiteral("alice\u200D") << false;
    QTest::newRow("byte order mark") << QStringLiteral("\uFEFFalice") << false;
    QTest::newRow("soft hyphen") << QStringLiteral("al\u00ADice") << false;
    QTest::newRow("cyrillic a in latin") << QStringLiteral("\u0430lice") << false;
    QTest::newRow("greek o in latin") << QStringLiteral("b\u03BFb") << false;
    QTest::newRow("all cyrillic") << QStringLiteral("\u0430\u043B\u0438\u0441\u0430") << true;
    QTest::newRow("latin and digits") << QStringLiteral("alice42") << true;
    QTest::newRow("cjk") << QStringLiteral("\u674E\u96F7") << true;
}

void TestRoomAddress::escapedNicknames_data()
{
    QTest::addColumn<QString>("nickname");
    QTest::addColumn<QString>("shown");
    QTest::newRow("cyrillic a") << QStringLiteral("\u0430lice") << QStringLiteral("<U+0430>lice");
    QTest::newRow("zero-width") << QStringLiteral("ali\u200Bce") << QStringLiteral("ali<U+200B>ce");
    QTest::newRow("bidi") << QStringLiteral("bob\u202Eevil") << QStringLiteral("bob<U+202E>evil");
    QTest::newRow("space") << QStringLiteral("al ice") << QStringLiteral("al<U+0020>ice");
    QTest::newRow("clean") << QStringLiteral("alice") << QStringLiteral("alice");
}

void TestRoomAddress::escapedNicknames()
{
    QFETCH(QString, nickname);
    QFETCH(QString, shown);
    QCOMPARE(RoomAddress::escapedNickname(nickname), shown);
}

void TestRoomAddress::nicknames()
{
    QFETCH(QString, nickname);
    QFETCH(bool, valid);
    QCOMPARE(RoomAddress::nicknameProblem(nickname).isEmpty(), valid);
    QCOMPARE(RoomAddress::direct(nickname, QStringLiteral("zed")).isValid(), valid && nickname != u"zed");
}

void TestRoomAddress::directConversation()
{
    const RoomAddress fromAlice = RoomAddress::direct(QStringLiteral("alice"), QStringLiteral("bob"));
    const RoomAddress fromBob = RoomAddress::direct(QStringLiteral("bob"), QStringLiteral("alice"));
    QVERIFY(fromAlice.isDirect());
    QCOMPARE(fromAlice.channel(), QByteArray("dm:{alice|bob}"));
    QCOMPARE(fromBob.channel(), fromAlice.channel());
    QCOMPARE(fromAlice.historyKey(), QByteArray("redwire:{dm:alice|bob}:history"));
    QCOMPARE(fromAlice.historyKey(), fromBob.historyKey());
    QCOMPARE(fromAlice.name(), QStringLiteral("bob"));
    QCOMPARE(fromBob.name(), QStringLiteral("alice"));
    QCOMPARE(hashTag(fromAlice.historyKey()), hashTag(fromAlice.sentKey("x")));
    QVERIFY(!RoomAddress::direct(QStringLiteral("alice"), QStringLiteral("alice")).isValid());
    QCOMPARE(RoomAddress::directPatterns(QStringLiteral("bob")),
        QList<QByteArray>({ "dm:{bob|*}", "dm:{*|bob}" }));
    QCOMPARE(RoomAddress::directIndexKey(QStringLiteral("bob")), QByteArray("redwire:{user:bob}:dms"));
    // Sorted by UTF-8 bytes: "Zed" < "alice" < "émile".
    QCOMPARE(RoomAddress::direct(QStringLiteral("alice"), QStringLiteral("Zed")).channel(),
        QByteArray("dm:{Zed|alice}"));
    QCOMPARE(RoomAddress::direct(QStringLiteral("émile"), QStringLiteral("alice")).channel(),
        QStringLiteral("dm:{alice|émile}").toUtf8());
}

void TestRoomAddress::directChannelParsing_data()
{
    QTest::addColumn<QByteArray>("channel");
    QTest::addColumn<QString>("peer"); // empty: refused
    QTest::newRow("me second") << QByteArray("dm:{alice|bob}") << "alice";
    QTest::newRow("me first") << QByteArray("dm:{bob|carol}") << "carol";
    QTest::newRow("not sorted") << QByteArray("dm:{carol|bob}") << "";
    QTest::newRow("not mine") << QByteArray("dm:{alice|carol}") << "";
    QTest::newRow("three names") << QByteArray("dm:{alice|x|bob}") << "";
    QTest::newRow("to myself") << QByteArray("dm:{bob|bob}") << "";
    QTest::newRow("empty peer") << QByteArray("dm:{|bob}") << "";
    QTest::newRow("no braces") << QByteArray("dm:alice|bob") << "";
    QTest::newRow("trailing junk") << QByteArray("dm:{alice|bob}x") << "";
    QTest::newRow("invalid utf-8 peer") << QByteArray("dm:{\xff|bob}") << "";
    QTest::newRow("space in peer") << QByteArray("dm:{a b|bob}") << "";
}

void TestRoomAddress::directChannelParsing()
{
    QFETCH(QByteArray, channel);
    QFETCH(QString, peer);
    const RoomAddress address = RoomAddress::fromDirectChannel(channel, QStringLiteral("bob"));
    QCOMPARE(address.isValid(), !peer.isEmpty());
    if (!peer.isEmpty()) {
        QCOMPARE(address.name(), peer);
        QCOMPARE(address.channel(), channel);
    }
}

QTEST_GUILESS_MAIN(TestRoomAddress)
#include "tst_roomaddress.moc"
