// ui/Theme.qml: every text colour keeps WCAG AA contrast (4.5:1) on every surface of its palette,
// light and dark, read from the QML file's own hex values.
#include "WcagContrast.h"

#include <QTest>

using namespace Redwire::Test;

class TestThemeContrast : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void textReadsOnSurface_data();
    void textReadsOnSurface();

private:
    ThemeColors m_theme;
};

void TestThemeContrast::initTestCase()
{
    m_theme = readThemeColors(QStringLiteral(REDWIRE_THEME_QML));
    QVERIFY2(m_theme.size() >= 15, qPrintable(QString::number(m_theme.size())));
}

void TestThemeContrast::textReadsOnSurface_data()
{
    QTest::addColumn<QString>("foreground");
    QTest::addColumn<QString>("behind");
    const QStringList texts = { QStringLiteral("text"), QStringLiteral("mutedText"), QStringLiteral("accent"),
        QStringLiteral("ok"), QStringLiteral("warning"), QStringLiteral("danger"), QStringLiteral("link") };
    // Messages sit on background/surface, lists on sidebar, headers and chips on raised; a selected
    // or mentioning message on selection/mention.
    const QStringList surfaces
        = { QStringLiteral("background"), QStringLiteral("sidebar"), QStringLiteral("surface"),
              QStringLiteral("raised"), QStringLiteral("selection"), QStringLiteral("mention") };
    for (const QString &text : texts) {
        for (const QString &surface : surfaces)
            QTest::addRow("%s on %s", qPrintable(text), qPrintable(surface)) << text << surface;
    }
    QTest::newRow("accentText on accent") << QStringLiteral("accentText") << QStringLiteral("accent");
}

void TestThemeContrast::textReadsOnSurface()
{
    QFETCH(QString, foreground);
    QFETCH(QString, behind);
    QVERIFY2(m_theme.contains(foreground), qPrintable(foreground));
    QVERIFY2(m_theme.contains(behind), qPrintable(behind));
    const auto check = [&](const QString &palette, const QString &fg, const QString &bg) {
        const double ratio = contrastRatio(fg, bg);
        QVERIFY2(ratio >= 4.5,
            qPrintable(QStringLiteral("%1: %2 %3 on %4 %5 is %6:1")
                           .arg(palette, foreground, fg, behind, bg)
                           .arg(ratio, 0, 'f', 2)));
    };
    check(QStringLiteral("dark"), m_theme.value(foreground).first, m_theme.value(behind).first);
    check(QStringLiteral("light"), m_theme.value(foreground).second, m_theme.value(behind).second);
}

QTEST_GUILESS_MAIN(TestThemeContrast)
#include "tst_themecontrast.moc"
