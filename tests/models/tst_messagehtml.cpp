// MessageHtml: remote text can never become markup; only http(s) links are made clickable.
#include "models/MessageHtml.h"

#include <QTest>

using namespace Redwire;

class TestMessageHtml : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void render_data();
    void render();
};

void TestMessageHtml::render_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("html");
    QTest::newRow("plain") << "hello"
                           << "hello";
    QTest::newRow("tags escaped") << "<b>hi</b><img src=x>"
                                  << "&lt;b&gt;hi&lt;/b&gt;&lt;img src=x&gt;";
    QTest::newRow("entities escaped") << "&amp; &#60;"
                                      << "&amp;amp; &amp;#60;";
    QTest::newRow("newline") << "a\nb"
                             << "a<br>b";
    QTest::newRow("link")
        << "see https://example.org/x?a=1&b=2."
        << "see <a href=\"https://example.org/x?a=1&amp;b=2\">https://example.org/x?a=1&amp;b=2</a>.";
    QTest::newRow("http link") << "http://a.b"
                               << "<a href=\"http://a.b\">http://a.b</a>";
    QTest::newRow("javascript is text") << "javascript:alert(1)"
                                        << "javascript:alert(1)";
    QTest::newRow("file is text") << "file:///etc/passwd"
                                  << "file:///etc/passwd";
    QTest::newRow("quote breaks out of no href")
        << "https://x.org/\"onmouseover=\"y"
        << "<a href=\"https://x.org/\">https://x.org/</a>&quot;onmouseover=&quot;y";
    QTest::newRow("control chars") << QString::fromUtf8("a\x01"
                                                        "b")
                                   << QString::fromUtf8("a\xef\xbf\xbd"
                                                        "b");
}

void TestMessageHtml::render()
{
    QFETCH(QString, text);
    QFETCH(QString, html);
    QCOMPARE(MessageHtml::fromPlainText(text), html);
}

QTEST_GUILESS_MAIN(TestMessageHtml)
#include "tst_messagehtml.moc"
