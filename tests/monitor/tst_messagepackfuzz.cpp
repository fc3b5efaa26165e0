// A libFuzzer-style run of MessagePackDecoder as an ordinary test: a fixed number of random and
// mutated inputs from a fixed seed (so a failure can be replayed), each decoded in both layouts.
// What must hold: no crash or sanitizer report, a bounded output, the same answer twice, and
// every successful decoding is valid JSON. REDWIRE_FUZZ_ITERATIONS and REDWIRE_FUZZ_SEED change
// the run.
#include "monitor/MessagePackDecoder.h"

#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Redwire;
using Layout = MessagePackDecoder::Layout;

namespace {

// Valid values to start mutations from: every type at least once.
const char *const Seeds[] = {
    "c0",
    "83a17a01a16192c380a16d8101a178",
    "de0002a16bdc000301d0ffcd1234a16cdf00000001c2cb3ff8000000000000",
    "92c403000102c70c ff00000001ffffffffffffffff",
    "81920102ca3fc00000",
    "d9056162636465",
    "d6ff663236f0",
    "d7ffbc1cbd00663236f0",
    "dd0000000381a178c0d8010001020304050607080900010203040506",
    "92cfffffffffffffffffd38000000000000000",
};

QByteArray seed(int index)
{
    return QByteArray::fromHex(QByteArray(Seeds[index]).replace(' ', ""));
}

// Bytes that mean the most to the decoder: lengths and type markers at their edges.
const unsigned char Interesting[] = { 0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc4, 0xc6,
    0xc7, 0xc9, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd8, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff };

QByteArray mutate(QByteArray data, QRandomGenerator &random)
{
    const int edits = 1 + int(random.bounded(4));
    for (int e = 0; e < edits; ++e) {
        const auto at = [&] { return data.isEmpty() ? 0 : qsizetype(random.bounded(int(data.size()))); };
        switch (random.bounded(6)) {
        case 0: // flip a bit
            if (!data.isEmpty()) {
                const qsizetype i = at();
                data[i] = char(data.at(i) ^ (1 << random.bounded(8)));
            }
            break;
        case 1: // an interesting byte
            if (!data.isEmpty())
                data[at()] = char(Interesting[random.bounded(int(sizeof Interesting))]);
            break;
        case 2: // insert random bytes
            data.insert(at(), QByteArray(1 + int(random.bounded(8)), char(random.bounded(256))));
            break;
        case 3: // cut
            data.truncate(at());
            break;
        case 4: // duplicate a slice (nesting, repeated elements)
            if (!data.isEmpty()) {
                const qsizetype from = at();
                data.insert(at(), data.mid(from, 1 + int(random.bounded(16))));
            }
            break;
        default: // splice another seed in
            data.insert(at(), seed(int(random.bounded(int(std::size(Seeds))))));
            break;
        }
    }
    return data;
}

} // namespace

class TestMessagePackFuzz : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedsDecode();
    void randomAndMutatedInputs();
};

void TestMessagePackFuzz::seedsDecode()
{
    for (int i = 0; i < int(std::size(Seeds)); ++i) {
        const auto result = MessagePackDecoder::toJson(seed(i), Layout::Compact);
        QVERIFY2(result.ok(), Seeds[i]);
        QVERIFY2(!QJsonDocument::fromJson("[" + result.json + "]").isNull(), result.json.constData());
    }
}

void TestMessagePackFuzz::randomAndMutatedInputs()
{
    const int iterations = qEnvironmentVariableIsSet("REDWIRE_FUZZ_ITERATIONS")
        ? qEnvironmentVariableIntValue("REDWIRE_FUZZ_ITERATIONS")
        : 20000;
    const quint32 seedValue = qEnvironmentVariableIsSet("REDWIRE_FUZZ_SEED")
        ? quint32(qEnvironmentVariableIntValue("REDWIRE_FUZZ_SEED"))
        : 20240501u;
    QRandomGenerator random(seedValue);
    MessagePackDecoder::Limits limits;
    limits.maxOutputBytes = 256 * 1024;
    int decoded = 0;
    for (int i = 0; i < iterations; ++i) {
        QByteArray input;
        if (i % 4 == 0) {
            input.resize(qsizetype(random.bounded(64)));
            for (char &c : input)
                c = char(random.bounded(256));
        } else {
            input = mutate(seed(int(random.bounded(int(std::size(Seeds))))), random);
        }
        const QByteArray exact(input.constData(), input.size()); // no spare capacity for ASan to miss
        for (const Layout layout : { Layout::Compact, Layout::Indented }) {
            const auto result = MessagePackDecoder::toJson(exact, layout, limits);
            const auto again = MessagePackDecoder::toJson(exact, layout, limits);
            const QByteArray context = "seed " + QByteArray::number(seedValue) + " iteration "
                + QByteArray::number(i) + " input " + exact.toHex();
            QVERIFY2(result.status == again.status && result.json == again.json, context.constData());
            QVERIFY2(result.json.size() <= limits.maxOutputBytes + 64 * 1024, context.constData());
            if (!result.ok()) {
                QVERIFY2(result.errorOffset >= 0 && result.errorOffset <= exact.size(), context.constData());
                continue;
            }
            ++decoded;
            QJsonParseError error;
            QJsonDocument::fromJson("[" + result.json + "]", &error);
            QVERIFY2(error.error == QJsonParseError::NoError, (context + " json " + result.json).constData());
        }
    }
    qInfo("%d input(s), %d decoding(s) succeeded", iterations, decoded);
    QVERIFY(decoded > 0);
}

QTEST_GUILESS_MAIN(TestMessagePackFuzz)
#include "tst_messagepackfuzz.moc"
