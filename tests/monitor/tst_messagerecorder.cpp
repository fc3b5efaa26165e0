// MessageRecorder (append while running, batched writes, header once) and MessageExport (the
// buffer to a file in chunks, complete or not at all).
#include "monitor/MessageExport.h"
#include "monitor/MessageRecorder.h"
#include "monitor/MessageRingBuffer.h"
#include "monitor/MonitoredMessage.h"

#include "QueuedEvents.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;
using Format = MessageFormatter::Format;

namespace {
MonitoredMessage message(int i, const QByteArray &payload = QByteArray())
{
    MonitoredMessage m;
    m.timestampMs = 1714566896789 + i;
    m.channel = "ch";
    m.payload = payload.isNull() ? QByteArray::number(i) : payload;
    m.sequence = quint64(i);
    return m;
}

// A path under a regular file: no one, not even root, can create a folder there.
QString unreachablePath(const QTemporaryDir &dir, const QString &name)
{
    QFile blocker(dir.filePath(QStringLiteral("a-file")));
    if (!blocker.open(QIODevice::WriteOnly))
        return {};
    return dir.filePath(QStringLiteral("a-file/sub/") + name);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

class TestMessageRecorder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordsJsonLines();
    void csvHeaderOnlyForANewFile();
    void flushesOnTheTimerAndWhenBig();
    void failsCleanlyOnABadPath();
    void exportWritesTheBufferInChunks();
    void exportIsAllOrNothing();
    void exportRefusesASecondRun();
    void exportCreatesTheFolder();
    void exportSaysOnceWhyTheFolderCannotBeMade();
    void recordingCreatesTheFolder();
};

void TestMessageRecorder::recordsJsonLines()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rec.jsonl"));
    MessageRecorder recorder;
    QSignalSpy recording(&recorder, &MessageRecorder::recordingChanged);
    QVERIFY(recorder.start(path, Format::JsonLines));
    QVERIFY(recorder.isRecording());
    QCOMPARE(recorder.path(), path);
    recorder.messageAccepted(message(1, "hello"));
    recorder.messageAccepted(message(2, QByteArray("\xff", 1)));
    recorder.stop();
    QVERIFY(!recorder.isRecording());
    QCOMPARE(recording.count(), 2);
    QCOMPARE(recorder.messagesRecorded(), 2u);
    const QList<QByteArray> lines = readAll(path).split('\n');
    QCOMPARE(lines.size(), 3); // two lines and the empty rest after the last newline
    QCOMPARE(QJsonDocument::fromJson(lines.at(0)).object().value(QLatin1String("payload")).toString(),
        QStringLiteral("hello"));
    QCOMPARE(QJsonDocument::fromJson(lines.at(1)).object().value(QLatin1String("payload_base64")).toString(),
        QStringLiteral("/w=="));
    // Nothing is written after stop().
    recorder.messageAccepted(message(3));
    QCOMPARE(readAll(path).count('\n'), 2);
}

void TestMessageRecorder::csvHeaderOnlyForANewFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rec.csv"));
    MessageRecorder recorder;
    QVERIFY(recorder.start(path, Format::Csv));
    recorder.messageAccepted(message(1));
    recorder.stop();
    QVERIFY(recorder.start(path, Format::Csv)); // appends
    recorder.messageAccepted(message(2));
    recorder.stop();
    const QByteArray content = readAll(path);
    QCOMPARE(content.count("time,channel"), 1);
    QCOMPARE(content.count("\r\n"), 3);
    QVERIFY(content.endsWith(",2,\r\n"));
}

void TestMessageRecorder::flushesOnTheTimerAndWhenBig()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("rec.txt"));
    MessageRecorder recorder;
    QVERIFY(recorder.start(path, Format::Text));
    recorder.messageAccepted(message(1, "small"));
    QCOMPARE(QFileInfo(path).size(), 0); // batched
    QTRY_VERIFY(QFileInfo(path).size() > 0); // within the flush interval
    const QByteArray big(300 * 1024, 'b');
    recorder.messageAccepted(message(2, big));
    QVERIFY(QFileInfo(path).size() > 300 * 1024); // at once: over the threshold
    recorder.stop();
}

void TestMessageRecorder::failsCleanlyOnABadPath()
{
    MessageRecorder recorder;
    QTemporaryDir dir;
    const QString bad = unreachablePath(dir, QStringLiteral("rec.jsonl"));
    QVERIFY(!recorder.start(bad, Format::JsonLines));
    QVERIFY(!recorder.isRecording());
    QVERIFY(recorder.errorString().contains(bad));
    recorder.messageAccepted(message(1)); // ignored
#ifdef Q_OS_LINUX
    // A write error while recording (the device is full) stops it and says why.
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("Cannot call seek on a sequential device")));
    QVERIFY(recorder.start(QStringLiteral("/dev/full"), Format::JsonLines));
    QSignalSpy failed(&recorder, &MessageRecorder::failed);
    recorder.messageAccepted(message(1, QByteArray(400 * 1024, 'x')));
    QCOMPARE(failed.count(), 1);
    QVERIFY(!recorder.isRecording());
#endif
}

void TestMessageRecorder::exportWritesTheBufferInChunks()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export.csv"));
    MessageRingBuffer buffer(10000);
    for (int i = 1; i <= 10000; ++i)
        buffer.append(message(i, i == 5 ? QByteArray("with \"quotes\",\nand newline") : QByteArray()));
    MessageExport exporter;
    QSignalSpy progress(&exporter, &MessageExport::progress);
    QSignalSpy finished(&exporter, &MessageExport::finished);
    QVERIFY(exporter.start(buffer, path, Format::Csv));
    QVERIFY(exporter.isRunning());
    buffer.clear(); // the snapshot does not care
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(progress.count() >= 3); // 4000 per turn
    QCOMPARE(progress.last().at(0).value<qsizetype>(), 10000);
    const QByteArray content = readAll(path);
    QVERIFY(content.startsWith("time,channel,pattern,size,payload,payload_base64\r\n"));
    QCOMPARE(content.count("\r\n"), 10001);
    QVERIFY(content.contains(R"("with ""quotes"",)"
                             "\nand newline\""));
}

void TestMessageRecorder::exportIsAllOrNothing()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export.jsonl"));
    MessageRingBuffer buffer(10000);
    for (int i = 1; i <= 10000; ++i)
        buffer.append(message(i));
    MessageExport exporter;
    QSignalSpy finished(&exporter, &MessageExport::finished);
    QVERIFY(exporter.start(buffer, path, Format::JsonLines));
    exporter.cancel();
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toBool(), false);
    QVERIFY(!QFile::exists(path));
    // A chunk queued before the cancel must not run after it.
    QSignalSpy progress(&exporter, &MessageExport::progress);
    QVERIFY(RedwireTest::runQueuedEvents());
    QCOMPARE(progress.count(), 0);
    QVERIFY(!QFile::exists(path));
    QVERIFY(!exporter.start(buffer, unreachablePath(dir, QStringLiteral("x.jsonl")), Format::JsonLines));
    QVERIFY(!exporter.errorString().isEmpty());
}

void TestMessageRecorder::exportRefusesASecondRun()
{
    QTemporaryDir dir;
    MessageRingBuffer buffer(10);
    buffer.append(message(1));
    MessageExport exporter;
    QSignalSpy finished(&exporter, &MessageExport::finished);
    QVERIFY(exporter.start(buffer, dir.filePath(QStringLiteral("a.jsonl")), Format::JsonLines));
    QVERIFY(!exporter.start(buffer, dir.filePath(QStringLiteral("b.jsonl")), Format::JsonLines));
    QVERIFY(finished.wait(5000));
    QCOMPARE(readAll(dir.filePath(QStringLiteral("a.jsonl"))).count('\n'), 1);
    QVERIFY(exporter.start(buffer, dir.filePath(QStringLiteral("b.jsonl")), Format::JsonLines));
    QVERIFY(finished.wait(5000));
}

// The default path, ~/Documents/redwire-export.csv, must work on a system without ~/Documents.
void TestMessageRecorder::exportCreatesTheFolder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("Documents/exports/export.csv"));
    MessageRingBuffer buffer(10);
    buffer.append(message(1, "=1+1"));
    MessageExport exporter;
    QSignalSpy finished(&exporter, &MessageExport::finished);
    QVERIFY2(exporter.start(buffer, path, Format::Csv), qPrintable(exporter.errorString()));
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().at(0).toBool(), true);
    QVERIFY(readAll(path).endsWith(",ch,,4,'=1+1,\r\n"));
}

void TestMessageRecorder::exportSaysOnceWhyTheFolderCannotBeMade()
{
    QTemporaryDir dir;
    const QString path = unreachablePath(dir, QStringLiteral("export.csv"));
    MessageRingBuffer buffer(10);
    buffer.append(message(1));
    MessageExport exporter;
    QSignalSpy finished(&exporter, &MessageExport::finished);
    QVERIFY(!exporter.start(buffer, path, Format::Csv));
    QCOMPARE(exporter.errorString(),
        QStringLiteral("Cannot export to %1: cannot create the folder %2.")
            .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(QFileInfo(path).absolutePath())));
    QCOMPARE(finished.count(), 0);
    QVERIFY(!exporter.isRunning());
}

void TestMessageRecorder::recordingCreatesTheFolder()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("Documents/rec.jsonl"));
    MessageRecorder recorder;
    QVERIFY2(recorder.start(path, Format::JsonLines), qPrintable(recorder.errorString()));
    recorder.messageAccepted(message(1, "x"));
    recorder.stop();
    QCOMPARE(readAll(path).count('\n'), 1);
    const QString bad = unreachablePath(dir, QStringLiteral("rec.jsonl"));
    QVERIFY(!recorder.start(bad, Format::JsonLines));
    QCOMPARE(recorder.errorString(),
        QStringLiteral("Cannot record to %1: cannot create the folder %2.")
            .arg(QDir::toNativeSeparators(bad), QDir::toNativeSeparators(QFileInfo(bad).absolutePath())));
}

QTEST_MAIN(TestMessageRecorder)
#include "tst_messagerecorder.moc"
