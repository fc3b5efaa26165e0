// UntrustedText: sanitising remote text for display, and cutting UTF-8 on character boundaries.
#include "chat/UntrustedText.h"

#include <QTest>

using namespace Redwire;
using Lines = UntrustedText::Lines;

class TestUntrustedText : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sanitized_data();
    void sanitized();
    void everyBidiControlIsRemoved();
    void utf8PrefixLength_data();
    void utf8PrefixLength();
};

void TestUntrustedText::sanitized_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<int>("lines");
    QTest::addColumn<QString>("expected");
    const QString fffd(QChar(0xFFFD));
    const int keep = int(Lines::Keep);
    const int flatten = int(Lines::Flatten);
    QTest::newRow("plain") << "hello" << keep << "hello";
    QTest::newRow("newline kept") << "a\nb\tc" << keep << "a\nb\tc";
    QTest::newRow("newline flattened") << "a\nb\tc" << flatten << "a b c";
    QTest::newRow("crlf") << "a\r\nb" << keep << "a\nb";
    QTest::newRow("lone cr") << "a\rb" << keep << "a\nb";
    QTest::newRow("crlf flattened") << "a\r\nb" << flatten << "a b";
    QTest::newRow("line separator flattened") << QStringLiteral("a\u2028b\u2029c") << flatten << "a b c";
    QTest::newRow("line separator kept") << QStringLiteral("a\u2028b") << keep << QStringLiteral("a\u2028b");
    QTest::newRow("nul") << QString(QStringLiteral("a") + QChar(0) + "b") << keep << "a" + fffd + "b";
    QTest::newRow("bell del") << QStringLiteral("\a\x7f") << keep << fffd + fffd;
    QTest::newRow("emoji pair kept") << QStringLiteral("😀") << keep << QStringLiteral("😀");
    QTest::newRow("lone high") << QString(QChar(0xD83D)) + "x" << keep << fffd + "x";
    QTest::newRow("lone low") << QString(QChar(0xDE00)) << keep << fffd;
    QTest::newRow("high at end") << "x" + QString(QChar(0xD83D)) << keep << "x" + fffd;
    QTest::newRow("rtl text kept") << QStringLiteral("שלום") << keep << QStringLiteral("שלום");
    QTest::newRow("marks kept") << QStringLiteral("a\u200Fb") << keep << QStringLiteral("a\u200Fb");
}

void TestUntrustedText::sanitized()
{
    QFETCH(QString, input);
    QFETCH(int, lines);
    QFETCH(QString, expected);
    QCOMPARE(UntrustedText::sanitized(input, Lines(lines)), expected);
}

void TestUntrustedText::everyBidiControlIsRemoved()
{
    const char32_t controls[] = { 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069 };
    for (const char32_t control : controls) {
        QVERIFY(UntrustedText::isBidiControl(control));
        const QString text = QStringLiteral("a") + QChar(char16_t(control)) + QStringLiteral("b");
        QCOMPARE(UntrustedText::sanitized(text), QStringLiteral("ab"));
        QCOMPARE(UntrustedText::fromUtf8(text.toUtf8()), QStringLiteral("ab"));
    }
    QVERIFY(!UntrustedText::isBidiControl(0x2029));
    QVERIFY(!UntrustedText::isBidiControl(0x206A));
}

void TestUntrustedText::utf8PrefixLength_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<qsizetype>("max");
    QTest::addColumn<qsizetype>("expected");
    QTest::newRow("ascii") << QByteArray("abcdef") << qsizetype(3) << qsizetype(3);
    QTest::newRow("all fits") << QByteArray("abc") << qsizetype(10) << qsizetype(3);
    QTest::newRow("zero") << QByteArray("abc") << qsizetype(0) << qsizetype(0);
    QTest::newRow("inside 2-byte") << QByteArray("a\xc3\xa9") << qsizetype(2) << qsizetype(1);
    QTest::newRow("after 2-byte") << QByteArray("a\xc3\xa9z") << qsizetype(3) << qsizetype(3);
    QTest::newRow("inside 4-byte") << QByteArray("\xf0\x9f\x98\x80") << qsizetype(3) << qsizetype(0);
    QTest::newRow("invalid run of continuations")
        << QByteArray("\x80\x80\x80\x80\x80\x80") << qsizetype(5) << qsizetype(5);
}

void TestUntrustedText::utf8PrefixLength()
{
    QFETCH(QByteArray, bytes);
    QFETCH(qsizetype, max);
    QFETCH(qsizetype, expected);
    QCOMPARE(UntrustedText::utf8PrefixLength(bytes, max), expected);
}

QTEST_GUILESS_MAIN(TestUntrustedText)
#include "tst_untrustedtext.moc"
