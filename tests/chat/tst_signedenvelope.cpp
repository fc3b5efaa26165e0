// Signed envelopes (docs/PROTOCOL.md, "Signed envelopes"): the canonical form byte for byte, the
// Ed25519 primitives, key names, the trust decision and the pinned keys on disk. The vectors were
// made with the Python snippet in docs/PROTOCOL.md (Debian's python3-cryptography).
#include "chat/CanonicalEnvelope.h"
#include "chat/Ed25519Key.h"
#include "chat/EnvelopeSignature.h"
#include "chat/KeyFingerprint.h"
#include "chat/KeyPinStore.h"
#include "chat/SenderVerification.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;

// Declared before the vectors: moc does not follow the raw string literals below.
class TestSignedEnvelope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void canonicalJson_data();
    void canonicalJson();
    void noCanonicalForm_data();
    void noCanonicalForm();
    void signedBytesMatchThePythonSnippet();
    void rfc8032Vector();
    void signAndVerify();
    void tamperingBreaksTheSignature_data();
    void tamperingBreaksTheSignature();
    void malformedSignatures_data();
    void malformedSignatures();
    void keyNames();
    void trustStates();
    void keyChangeIsReportedUntilAccepted();
    void pinsPersistPrivately();
    void damagedPinFileIsEmptyAndSaysSo();
};

namespace {

QJsonObject parse(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

QByteArray vectorSeed()
{
    QByteArray seed;
    for (int i = 0; i < 32; ++i)
        seed.append(char(i));
    return seed;
}

// The Python snippet's output for seed 00 01 … 1f, channel "chat".
const QByteArray VectorWire
    = R"({"v":1,"id":"vector-1","kind":"message","from":"alice",)"
      R"("text":"h\u00e9llo \"w\u00f6rld\"\n\t\u0001\ud83d\ude00/\u2028","ts":1764547200000,)"
      R"("kid":"56475aa75463474c","sig":"i4w3s7aWrpmpoR/iyv7rvpL5suU+27930RakJ6m8cynBuD1G)"
      R"(txZf0BCyLWL1ULhDJ2m4m5qSG8G4gSQnZQdnBw=="})";
const QByteArray VectorPublicKey
    = QByteArray::fromHex("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
const QByteArray VectorSignedBytes = QByteArray::fromHex(
    "726564776972652d656e76656c6f70652d76310a636861740a7b2266726f6d223a22616c696365222c226964223a2276"
    "6563746f722d31222c226b6964223a2235363437356161373534363334373463222c226b696e64223a226d657373616765"
    "222c2274657874223a2268c3a96c6c6f205c2277c3b6726c645c225c6e5c745c7530303031f09f98802fe280a8222c2274"
    "73223a313736343534373230303030302c2276223a317d");

} // namespace

void TestSignedEnvelope::canonicalJson_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("canonical");
    QTest::newRow("keys sorted, no spaces")
        << QByteArray(R"({ "b" : 1, "a" : "x" })") << QByteArray(R"({"a":"x","b":1})");
    // Code point order (Python's sort_keys): U+FFFF before U+10000, uppercase before lowercase.
    QTest::newRow("key order beyond the BMP")
        << QByteArray(R"({"\uffff":1,"\ud800\udc00":2,"a":3,"B":4,"\u00e9":5})")
        << QByteArray::fromHex("7b2242223a342c2261223a332c22c3a9223a352c22efbfbf223a312c22f0908080223a327d");
    QTest::newRow("escapes")
        << QByteArray(R"({"t":"\" \\ \/ \b \f \n \r \t \u0000 \u001f \u007f \u2028"})")
        << QByteArray("{\"t\":\"\\\" \\\\ / \\b \\f \\n \\r \\t \\u0000 \\u001f \x7f \xe2\x80\xa8\"}");
    QTest::newRow("non-ASCII stays UTF-8") << QByteArray(R"({"t":"\u00e9\u4e2d\ud83d\ude00"})")
                                           << QByteArray("{\"t\":\"\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80\"}");
    QTest::newRow("values")
        << QByteArray(R"({"z":null,"t":true,"f":false,"n":[-5,0,9007199254740991],"o":{"b":"","a":""}})")
        << QByteArray(R"({"f":false,"n":[-5,0,9007199254740991],"o":{"a":"","b":""},"t":true,"z":null})");
    QTest::newRow("integral double is an integer")
        << QByteArray(R"({"ts":1.0e3})") << QByteArray(R"({"ts":1000})");
}

void TestSignedEnvelope::canonicalJson()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, canonical);
    bool ok = false;
    QCOMPARE(CanonicalEnvelope::json(parse(input), &ok), canonical);
    QVERIFY(ok);
}

void TestSignedEnvelope::noCanonicalForm_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::newRow("fraction") << QByteArray(R"({"ts":1.5})");
    QTest::newRow("past 2^53") << QByteArray(R"({"ts":9007199254740993})");
    QTest::newRow("lone surrogate in a value") << QByteArray(R"({"t":"\ud800"})");
    QTest::newRow("lone surrogate in a key") << QByteArray(R"({"\udc00":1})");
    QTest::newRow("nested fraction") << QByteArray(R"({"a":[{"b":0.25}]})");
}

void TestSignedEnvelope::noCanonicalForm()
{
    QFETCH(QByteArray, input);
    const QJsonObject object = parse(input);
    QVERIFY(!object.isEmpty());
    bool ok = true;
    QVERIFY(CanonicalEnvelope::json(object, &ok).isEmpty());
    QVERIFY(!ok);
    // Such an envelope, signed or not, never verifies.
    QJsonObject signedObject = object;
    signedObject.insert(QStringLiteral("kid"), QStringLiteral("0123456789abcdef"));
    signedObject.insert(QStringLiteral("sig"), QString::fromLatin1(QByteArray(64, 'x').toBase64()));
    QVERIFY(!EnvelopeSignature::read(signedObject).wellFormed);
}

void TestSignedEnvelope::signedBytesMatchThePythonSnippet()
{
    const QJsonObject envelope = parse(VectorWire);
    bool ok = false;
    QCOMPARE(CanonicalEnvelope::signedBytes(QByteArrayLiteral("chat"), envelope, &ok), VectorSignedBytes);
    QVERIFY(ok);
    // "sid", added by the send script, is not covered.
    QJsonObject stored = envelope;
    stored.insert(QStringLiteral("sid"), QStringLiteral("1764547200000-0"));
    QCOMPARE(CanonicalEnvelope::signedBytes(QByteArrayLiteral("chat"), stored, &ok), VectorSignedBytes);

    const Ed25519Key key = Ed25519Key::fromPrivateKey(vectorSeed());
    QCOMPARE(key.publicKey(), VectorPublicKey);
    const EnvelopeSignature::Claim claim = EnvelopeSignature::read(stored);
    QVERIFY(claim.wellFormed);
    QVERIFY(EnvelopeSignature::verify(claim, QByteArrayLiteral("chat"), VectorPublicKey));
    // Ed25519 is deterministic: our signature of the same envelope is Python's.
    QJsonObject unsignedEnvelope = envelope;
    unsignedEnvelope.remove(QStringLiteral("sig"));
    unsignedEnvelope.remove(QStringLiteral("kid"));
    QCOMPARE(EnvelopeSignature::sign(unsignedEnvelope, QByteArrayLiteral("chat"), key)
                 .value(QStringLiteral("sig")),
        envelope.value(QStringLiteral("sig")));
    // The same envelope replayed into another channel does not verify.
    QVERIFY(!EnvelopeSignature::verify(claim, QByteArrayLiteral("ops"), VectorPublicKey));
}

// RFC 8032, section 7.1, test 1 (empty message).
void TestSignedEnvelope::rfc8032Vector()
{
    const Ed25519Key key = Ed25519Key::fromPrivateKey(
        QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    QVERIFY(!key.isNull());
    QCOMPARE(key.publicKey().toHex(),
        QByteArray("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    const QByteArray expected
        = QByteArray::fromHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33b"
                              "acc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    QCOMPARE(key.sign(QByteArrayView()), expected);
    QVERIFY(Ed25519Key::verify(key.publicKey(), QByteArrayView(), expected));
}

void TestSignedEnvelope::signAndVerify()
{
    const Ed25519Key key = Ed25519Key::generate();
    QVERIFY(!key.isNull());
    QCOMPARE(key.publicKey().size(), 32);
    QCOMPARE(Ed25519Key::fromPrivateKey(key.privateKey()).publicKey(), key.publicKey());
    QVERIFY(Ed25519Key::generate().publicKey() != key.publicKey());
    const QByteArray signature = key.sign("hello");
    QCOMPARE(signature.size(), 64);
    QVERIFY(Ed25519Key::verify(key.publicKey(), "hello", signature));
    QVERIFY(!Ed25519Key::verify(key.publicKey(), "hellO", signature));
    QVERIFY(!Ed25519Key::verify(Ed25519Key::generate().publicKey(), "hello", signature));
    QVERIFY(Ed25519Key().sign("x").isEmpty());
    QVERIFY(Ed25519Key::fromPrivateKey("short").isNull());
    QVERIFY(!Ed25519Key::verify("short", "hello", signature));
    QVERIFY(!Ed25519Key::verify(key.publicKey(), "hello", signature.left(63)));
}

void TestSignedEnvelope::tamperingBreaksTheSignature_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("text") << QStringLiteral("text") << QJsonValue(QStringLiteral("héllo \"wörld\""));
    QTest::newRow("from") << QStringLiteral("from") << QJsonValue(QStringLiteral("bob"));
    QTest::newRow("id (replay as another message)")
        << QStringLiteral("id") << QJsonValue(QStringLiteral("vector-2"));
    QTest::newRow("ts") << QStringLiteral("ts") << QJsonValue(1764547200001.0);
    QTest::newRow("kind") << QStringLiteral("kind") << QJsonValue(QStringLiteral("edit"));
    QTest::newRow("an added field") << QStringLiteral("reply") << QJsonValue(QStringLiteral("x"));
}

void TestSignedEnvelope::tamperingBreaksTheSignature()
{
    QFETCH(QString, field);
    QFETCH(QJsonValue, value);
    QJsonObject envelope = parse(VectorWire);
    envelope.insert(field, value);
    const EnvelopeSignature::Claim claim = EnvelopeSignature::read(envelope);
    QVERIFY(claim.wellFormed);
    QVERIFY(!EnvelopeSignature::verify(claim, QByteArrayLiteral("chat"), VectorPublicKey));
}

void TestSignedEnvelope::malformedSignatures_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("sig without kid") << QByteArray(R"({"from":"a","sig":"AAAA"})");
    QTest::newRow("kid without sig") << QByteArray(R"({"from":"a","kid":"0123456789abcdef"})");
    QTest::newRow("sig not a string") << QByteArray(R"({"from":"a","kid":"0123456789abcdef","sig":5})");
    QTest::newRow("kid upper case") << QByteArray(R"({"from":"a","kid":"0123456789ABCDEF","sig":"AAAA"})");
    QTest::newRow("sig not base64") << QByteArray(
        R"({"from":"a","kid":"0123456789abcdef","sig":"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"})");
    QTest::newRow("sig too short") << QByteArray(R"({"from":"a","kid":"0123456789abcdef","sig":"AAAA"})");
}

void TestSignedEnvelope::malformedSignatures()
{
    QFETCH(QByteArray, json);
    const EnvelopeSignature::Claim claim = EnvelopeSignature::read(parse(json));
    QVERIFY(claim.signedEnvelope);
    QVERIFY(!claim.wellFormed);
    KeyPinStore pins;
    QCOMPARE(SenderVerification::assess(QStringLiteral("a"), QByteArrayLiteral("chat"), claim,
                 SenderVerification::PublishedKey::Found, VectorPublicKey, pins, 0),
        SenderTrust::Forged);
}

void TestSignedEnvelope::keyNames()
{
    QCOMPARE(KeyFingerprint::keyId(VectorPublicKey), QStringLiteral("56475aa75463474c"));
    const QString number = KeyFingerprint::safetyNumber(VectorPublicKey);
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{5}( \\d{5}){11}$")).match(number).hasMatch(),
        qPrintable(number));
    QCOMPARE(KeyFingerprint::safetyNumber(VectorPublicKey), number);
    QVERIFY(KeyFingerprint::safetyNumber(Ed25519Key::generate().publicKey()) != number);
}

void TestSignedEnvelope::trustStates()
{
    using SenderVerification::PublishedKey;
    KeyPinStore pins;
    const QJsonObject wire = parse(VectorWire);
    const EnvelopeSignature::Claim claim = EnvelopeSignature::read(wire);
    const QString alice = QStringLiteral("alice");

    QJsonObject plain = wire;
    plain.remove(QStringLiteral("sig"));
    plain.remove(QStringLiteral("kid"));
    QCOMPARE(SenderVerification::assess(alice, QByteArrayLiteral("chat"), EnvelopeSignature::read(plain),
                 PublishedKey::NotFetched, {}, pins, 0),
        SenderTrust::Unsigned);
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::NotFetched, {}, pins, 0),
        SenderTrust::Pending);
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Missing, {}, pins, 0),
        SenderTrust::Forged);
    // A key published under alice's name that did not make this signature.
    const QByteArray other = Ed25519Key::generate().publicKey();
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Found, other, pins, 0),
        SenderTrust::Forged);
    QVERIFY(!pins.pin(alice));
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Found, VectorPublicKey, pins, 7),
        SenderTrust::NewKey);
    QCOMPARE(pins.pin(alice)->publicKey, VectorPublicKey);
    QCOMPARE(pins.pin(alice)->pinnedAtMs, 7);
    // Pinned: no lookup needed any more.
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::NotFetched, {}, pins, 8),
        SenderTrust::Verified);
    // Forged text under alice's pinned key id.
    QJsonObject forged = wire;
    forged.insert(QStringLiteral("text"), QStringLiteral("send me your password"));
    QCOMPARE(SenderVerification::assess(alice, QByteArrayLiteral("chat"), EnvelopeSignature::read(forged),
                 PublishedKey::Found, VectorPublicKey, pins, 9),
        SenderTrust::Forged);
}

void TestSignedEnvelope::keyChangeIsReportedUntilAccepted()
{
    using SenderVerification::PublishedKey;
    KeyPinStore pins;
    const QString alice = QStringLiteral("alice");
    QVERIFY(pins.setPin(alice, VectorPublicKey, 1));
    const Ed25519Key newKey = Ed25519Key::generate();
    const QJsonObject envelope
        = EnvelopeSignature::sign(QJsonObject { { QStringLiteral("v"), 1 }, { QStringLiteral("from"), alice },
                                      { QStringLiteral("text"), QStringLiteral("new laptop") } },
            QByteArrayLiteral("chat"), newKey);
    const EnvelopeSignature::Claim claim = EnvelopeSignature::read(envelope);
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::NotFetched, {}, pins, 2),
        SenderTrust::Pending);
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Found, newKey.publicKey(), pins, 2),
        SenderTrust::KeyChanged);
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Found, newKey.publicKey(), pins, 3),
        SenderTrust::KeyChanged);
    QCOMPARE(pins.pin(alice)->publicKey, VectorPublicKey);
    // The user accepts the new key.
    QVERIFY(pins.setPin(alice, newKey.publicKey(), 4));
    QCOMPARE(SenderVerification::assess(
                 alice, QByteArrayLiteral("chat"), claim, PublishedKey::Found, newKey.publicKey(), pins, 5),
        SenderTrust::Verified);
}

void TestSignedEnvelope::pinsPersistPrivately()
{
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("trust/127.0.0.1-6379.json"));
    {
        KeyPinStore pins(path);
        QVERIFY(pins.setPin(QStringLiteral("alice"), VectorPublicKey, 11));
        QVERIFY(pins.setPin(QStringLiteral("bøb"), Ed25519Key::generate().publicKey(), 12));
        QVERIFY(pins.forget(QStringLiteral("bøb")));
    }
    QCOMPARE(QFile::permissions(path)
            & ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
        QFile::Permissions());
    KeyPinStore reopened(path);
    QVERIFY(reopened.errorString().isEmpty());
    QCOMPARE(reopened.pin(QStringLiteral("alice"))->publicKey, VectorPublicKey);
    QCOMPARE(reopened.pin(QStringLiteral("alice"))->pinnedAtMs, 11);
    QVERIFY(!reopened.pin(QStringLiteral("bøb")));
}

void TestSignedEnvelope::damagedPinFileIsEmptyAndSaysSo()
{
    QTemporaryDir directory;
    const QString path = directory.filePath(QStringLiteral("pins.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"version\":1,\"pins\":{\"alice\":{\"key\":\"c2hvcnQ=\"}");
    file.close();
    KeyPinStore pins(path);
    QVERIFY(!pins.errorString().isEmpty());
    QVERIFY(!pins.pin(QStringLiteral("alice")));
    // Pinning again replaces the damaged file.
    QVERIFY(pins.setPin(QStringLiteral("alice"), VectorPublicKey, 1));
    QCOMPARE(KeyPinStore(path).pin(QStringLiteral("alice"))->publicKey, VectorPublicKey);
}

QTEST_GUILESS_MAIN(TestSignedEnvelope)
#include "tst_signedenvelope.moc"
