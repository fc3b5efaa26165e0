// MessageRingBuffer: bounded, oldest dropped and counted, positions that never repeat.
#include "monitor/MessageRingBuffer.h"

#include <QTest>

using namespace Redwire;

namespace {
MonitoredMessage message(quint64 sequence)
{
    MonitoredMessage m;
    m.sequence = sequence;
    m.channel = "c";
    m.payload = QByteArray::number(qulonglong(sequence));
    return m;
}

QList<quint64> sequences(const MessageRingBuffer &buffer)
{
    QList<quint64> out;
    for (qsizetype i = 0; i < buffer.size(); ++i)
        out.append(buffer.at(i).sequence);
    return out;
}
} // namespace

class TestMessageRingBuffer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startsEmpty();
    void keepsOrderUntilFull();
    void dropsOldestWhenFullAndCountsIt_data();
    void dropsOldestWhenFullAndCountsIt();
    void positionsSurviveClear();
    void atPositionFindsHeldMessagesOnly();
    void shrinkingDropsOldest();
    void growingKeepsEverything();
    void takeFirstThenAppendWhileGrowing();
    void capacityOfOne();
    void defaultCapacity();
    void gapEntriesAreNotCountedAsDropped();
};

void TestMessageRingBuffer::startsEmpty()
{
    MessageRingBuffer buffer(3);
    QVERIFY(buffer.isEmpty());
    QCOMPARE(buffer.size(), 0);
    QCOMPARE(buffer.capacity(), 3);
    QCOMPARE(buffer.firstPosition(), 0u);
    QCOMPARE(buffer.endPosition(), 0u);
    QCOMPARE(buffer.droppedCount(), 0u);
    QCOMPARE(buffer.atPosition(0), nullptr);
}

void TestMessageRingBuffer::keepsOrderUntilFull()
{
    MessageRingBuffer buffer(3);
    buffer.append(message(1));
    buffer.append(message(2));
    QCOMPARE(sequences(buffer), (QList<quint64> { 1, 2 }));
    buffer.append(message(3));
    QVERIFY(buffer.isFull());
    QCOMPARE(sequences(buffer), (QList<quint64> { 1, 2, 3 }));
    QCOMPARE(buffer.droppedCount(), 0u);
}

void TestMessageRingBuffer::dropsOldestWhenFullAndCountsIt_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("appended");
    QTest::newRow("one over") << 3 << 4;
    QTest::newRow("wraps twice") << 3 << 9;
    QTest::newRow("large") << 1000 << 25017;
}

void TestMessageRingBuffer::dropsOldestWhenFullAndCountsIt()
{
    QFETCH(int, capacity);
    QFETCH(int, appended);
    MessageRingBuffer buffer(capacity);
    for (int i = 1; i <= appended; ++i)
        buffer.append(message(quint64(i)));
    QCOMPARE(buffer.size(), capacity);
    QCOMPARE(buffer.droppedCount(), quint64(appended - capacity));
    for (int i = 0; i < capacity; ++i)
        QCOMPARE(buffer.at(i).sequence, quint64(appended - capacity + 1 + i));
    QCOMPARE(buffer.endPosition(), quint64(appended));
    QCOMPARE(buffer.firstPosition(), quint64(appended - capacity));
    QCOMPARE(buffer.at(capacity - 1).payload, QByteArray::number(appended));
}

void TestMessageRingBuffer::positionsSurviveClear()
{
    MessageRingBuffer buffer(4);
    for (int i = 1; i <= 6; ++i)
        buffer.append(message(quint64(i)));
    buffer.clear();
    QVERIFY(buffer.isEmpty());
    QCOMPARE(buffer.firstPosition(), 6u);
    QCOMPARE(buffer.endPosition(), 6u);
    QCOMPARE(buffer.droppedCount(), 2u); // clear() is not a drop
    buffer.append(message(7));
    QCOMPARE(buffer.firstPosition(), 6u);
    QCOMPARE(buffer.atPosition(6)->sequence, 7u);
    buffer.resetDropCount();
    QCOMPARE(buffer.droppedCount(), 0u);
}

void TestMessageRingBuffer::atPositionFindsHeldMessagesOnly()
{
    MessageRingBuffer buffer(2);
    for (int i = 1; i <= 5; ++i)
        buffer.append(message(quint64(i)));
    QCOMPARE(buffer.atPosition(2), nullptr);
    QCOMPARE(buffer.atPosition(3)->sequence, 4u);
    QCOMPARE(buffer.atPosition(4)->sequence, 5u);
    QCOMPARE(buffer.atPosition(5), nullptr);
}

void TestMessageRingBuffer::shrinkingDropsOldest()
{
    MessageRingBuffer buffer(5);
    for (int i = 1; i <= 7; ++i) // wrapped: the oldest is not at index 0 of the storage
        buffer.append(message(quint64(i)));
    buffer.setCapacity(2);
    QCOMPARE(sequences(buffer), (QList<quint64> { 6, 7 }));
    QCOMPARE(buffer.droppedCount(), 5u);
    buffer.append(message(8));
    QCOMPARE(sequences(buffer), (QList<quint64> { 7, 8 }));
    QCOMPARE(buffer.firstPosition(), 6u);
}

void TestMessageRingBuffer::growingKeepsEverything()
{
    MessageRingBuffer buffer(3);
    for (int i = 1; i <= 4; ++i)
        buffer.append(message(quint64(i)));
    buffer.setCapacity(5);
    QCOMPARE(sequences(buffer), (QList<quint64> { 2, 3, 4 }));
    for (int i = 5; i <= 8; ++i)
        buffer.append(message(quint64(i)));
    QCOMPARE(sequences(buffer), (QList<quint64> { 4, 5, 6, 7, 8 }));
    QCOMPARE(buffer.droppedCount(), 3u);
}

void TestMessageRingBuffer::takeFirstThenAppendWhileGrowing()
{
    MessageRingBuffer buffer(4);
    buffer.append(message(1));
    buffer.append(message(2));
    QCOMPARE(buffer.takeFirst().sequence, 1u);
    buffer.append(message(3));
    buffer.append(message(4));
    buffer.append(message(5));
    QCOMPARE(sequences(buffer), (QList<quint64> { 2, 3, 4, 5 }));
    buffer.append(message(6));
    QCOMPARE(sequences(buffer), (QList<quint64> { 3, 4, 5, 6 }));
    while (!buffer.isEmpty())
        buffer.takeFirst();
    buffer.append(message(7));
    QCOMPARE(sequences(buffer), (QList<quint64> { 7 }));
}

void TestMessageRingBuffer::capacityOfOne()
{
    MessageRingBuffer buffer(0); // taken as 1
    QCOMPARE(buffer.capacity(), 1);
    buffer.append(message(1));
    buffer.append(message(2));
    QCOMPARE(sequences(buffer), (QList<quint64> { 2 }));
    QCOMPARE(buffer.droppedCount(), 1u);
}

void TestMessageRingBuffer::defaultCapacity()
{
    QCOMPARE(MessageRingBuffer().capacity(), 100000);
}

// A gap pushed out of the history is not a message the view dropped.
void TestMessageRingBuffer::gapEntriesAreNotCountedAsDropped()
{
    MessageRingBuffer buffer(2);
    SubscriptionGap gap;
    gap.timeMs = 42;
    buffer.append(message(1));
    buffer.append(MonitoredMessage::fromGap(gap));
    QVERIFY(buffer.at(1).isGap());
    QCOMPARE(buffer.at(1).timestampMs, 42);
    buffer.append(message(2)); // message 1 leaves
    buffer.append(message(3)); // the gap leaves
    QCOMPARE(sequences(buffer), (QList<quint64> { 2, 3 }));
    QCOMPARE(buffer.droppedCount(), 1u);
    buffer.append(MonitoredMessage::fromGap(gap)); // message 2 leaves
    buffer.setCapacity(1); // message 3 leaves
    QCOMPARE(buffer.droppedCount(), 3u);
    buffer.setCapacity(2);
    buffer.append(message(4));
    buffer.setCapacity(1); // the gap leaves
    QCOMPARE(sequences(buffer), (QList<quint64> { 4 }));
    QCOMPARE(buffer.droppedCount(), 3u);
}

QTEST_APPLESS_MAIN(TestMessageRingBuffer)
#include "tst_messageringbuffer.moc"
