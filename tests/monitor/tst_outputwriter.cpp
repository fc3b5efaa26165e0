// redwire-monitor's output: lines collected into blocks that a writer thread writes to a file
// descriptor. Order and content kept across many blocks (huge lines included), a quiet stream
// written without a flush, a write error (ENOSPC on /dev/full) and a reader that went away (EPIPE)
// each reported once, and nothing written after an error.
#include "OutputWriter.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <cstring>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

namespace {
// Reads a descriptor to its end on a thread of its own (the writer blocks when a pipe is full).
class PipeDrain
{
public:
    explicit PipeDrain(int fd)
        : m_thread([this, fd] {
            char chunk[65536];
            ssize_t got;
            while ((got = ::read(fd, chunk, sizeof chunk)) != 0) {
                if (got > 0)
                    m_data.append(chunk, got);
                else if (errno != EINTR)
                    break;
            }
        })
    { }
    // Joins: call after the write end is closed.
    QByteArray take()
    {
        m_thread.join();
        return m_data;
    }

private:
    QByteArray m_data;
    std::thread m_thread;
};

QByteArray numberedLine(int index)
{
    // Mostly short lines; some longer than a block, one longer than the collection bound.
    qsizetype length = 20 + index % 150;
    if (index % 9973 == 0)
        length = 70 * 1024;
    if (index == 150000)
        length = 3 * 1024 * 1024;
    QByteArray line = QByteArray::number(index) + ':';
    line += QByteArray(length, char('a' + index % 26));
    line += '\n';
    return line;
}
} // namespace

class TestOutputWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { std::signal(SIGPIPE, SIG_IGN); }
    void blocksKeepTheirOrder();
    void quietStreamIsWrittenWithoutFlush();
    void writeErrorIsReportedOnce();
    void readerGoneIsTold();
};

void TestOutputWriter::blocksKeepTheirOrder()
{
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    PipeDrain drain(fds[0]);
    QByteArray expected;
    qsizetype largestCollection = 0;
    {
        OutputWriter writer(fds[1]);
        QSignalSpy failed(&writer, &OutputWriter::failed);
        for (int i = 0; i < 200000; ++i) {
            const QByteArray line = numberedLine(i);
            writer.buffer() += line;
            expected += line;
            writer.appended();
            largestCollection = std::max(largestCollection, writer.buffer().size());
        }
        QVERIFY(writer.flush());
        QVERIFY(!writer.hasFailed());
        QCOMPARE(failed.count(), 0);
    }
    ::close(fds[1]);
    const QByteArray written = drain.take();
    ::close(fds[0]);
    QCOMPARE(written.size(), expected.size());
    QVERIFY(written == expected);
    // Memory stays bounded: what is collected while the writer is busy, plus one line.
    QVERIFY2(largestCollection <= OutputWriter::MaxCollectedBytes + 3 * 1024 * 1024 + 64,
        qPrintable(QString::number(largestCollection)));
}

void TestOutputWriter::quietStreamIsWrittenWithoutFlush()
{
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    QCOMPARE(::fcntl(fds[0], F_SETFL, O_NONBLOCK), 0);
    QByteArray got;
    auto readAvailable = [&] {
        char chunk[256];
        ssize_t n;
        while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0)
            got.append(chunk, n);
        return got;
    };
    {
        OutputWriter writer(fds[1]);
        writer.buffer() += "one line\n";
        writer.appended();
        QTRY_COMPARE_WITH_TIMEOUT(readAvailable(), QByteArray("one line\n"), 10000);
        writer.buffer() += "and another\n";
        writer.appended();
        QTRY_COMPARE_WITH_TIMEOUT(readAvailable(), QByteArray("one line\nand another\n"), 10000);
    }
    ::close(fds[1]);
    ::close(fds[0]);
}

void TestOutputWriter::writeErrorIsReportedOnce()
{
    const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    {
        OutputWriter writer(fd);
        QSignalSpy failed(&writer, &OutputWriter::failed);
        const QByteArray line(1000, 'x');
        for (int i = 0; i < 1000; ++i) { // 1 MB: several blocks
            writer.buffer() += line;
            writer.appended();
        }
        // Found by the writer thread and reported from the event loop (or at a hand-over).
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(writer.hasFailed());
        QVERIFY(!writer.readerGone());
        QCOMPARE(writer.errorString(), QString::fromLocal8Bit(std::strerror(ENOSPC)));
        writer.buffer() += line;
        writer.appended();
        QVERIFY(!writer.flush());
        QTest::qWait(0);
        QCOMPARE(failed.count(), 1);
    }
    ::close(fd);
}

void TestOutputWriter::readerGoneIsTold()
{
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    ::close(fds[0]);
    {
        OutputWriter writer(fds[1]);
        QSignalSpy failed(&writer, &OutputWriter::failed);
        writer.buffer() += "nobody reads this\n";
        writer.appended();
        QVERIFY(!writer.flush()); // the error of the last lines, found at the end
        QCOMPARE(failed.count(), 1);
        QVERIFY(writer.readerGone());
        QVERIFY(writer.hasFailed());
    }
    ::close(fds[1]);
}

QTEST_GUILESS_MAIN(TestOutputWriter)
#include "tst_outputwriter.moc"
