// NamePalette: every name colour reads as text (WCAG AA) on the surfaces of the theme it is shown
// on (ui/Theme.qml), colours are told apart, a name keeps its colour, and the monitor colours a
// channel as the chat colours a sender.
#include "WcagContrast.h"

#include "monitor/ChannelPalette.h"
#include "palette/NamePalette.h"

#include <QSet>
#include <QTest>

using namespace Redwire;
using namespace Redwire::Test;

namespace {
// CIE L*a*b* distance (ΔE*76) between two sRGB colours.
double labDistance(const QString &a, const QString &b)
{
    auto lab = [](const QString &hex) {
        const double r = srgbToLinear(QStringView(hex).mid(1, 2).toInt(nullptr, 16));
        const double g = srgbToLinear(QStringView(hex).mid(3, 2).toInt(nullptr, 16));
        const double bl = srgbToLinear(QStringView(hex).mid(5, 2).toInt(nullptr, 16));
        const double x = (0.4124 * r + 0.3576 * g + 0.1805 * bl) / 0.95047;
        const double y = 0.2126 * r + 0.7152 * g + 0.0722 * bl;
        const double z = (0.0193 * r + 0.1192 * g + 0.9505 * bl) / 1.08883;
        auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
        return std::array<double, 3> { 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)) };
    };
    const auto p = lab(a);
    const auto q = lab(b);
    return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}
} // namespace

class TestNamePalette : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyColourReadsOnItsTheme_data();
    void everyColourReadsOnItsTheme();
    void coloursAreToldApart_data();
    void coloursAreToldApart();
    void aNameKeepsItsColour();
    void nearbyNamesDiffer();
    void theMonitorColoursChannelsAlike();
};

void TestNamePalette::everyColourReadsOnItsTheme_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addColumn<QString>("surface");
    QTest::newRow("light background") << false << QStringLiteral("background");
    QTest::newRow("light sidebar") << false << QStringLiteral("sidebar");
    QTest::newRow("light surface") << false << QStringLiteral("surface");
    QTest::newRow("light raised") << false << QStringLiteral("raised");
    QTest::newRow("dark background") << true << QStringLiteral("background");
    QTest::newRow("dark sidebar") << true << QStringLiteral("sidebar");
    QTest::newRow("dark surface") << true << QStringLiteral("surface");
    QTest::newRow("dark raised") << true << QStringLiteral("raised");
}

void TestNamePalette::everyColourReadsOnItsTheme()
{
    QFETCH(bool, dark);
    QFETCH(QString, surface);
    const ThemeColors theme = readThemeColors(QStringLiteral(REDWIRE_THEME_QML));
    QVERIFY2(theme.contains(surface), qPrintable(surface));
    const QString behind = dark ? theme.value(surface).first : theme.value(surface).second;
    const auto colors
        = NamePalette::colors(dark ? NamePalette::Background::Dark : NamePalette::Background::Light);
    QCOMPARE(colors.size(), NamePalette::size());
    for (const QString &color : colors) {
        const double ratio = contrastRatio(color, behind);
        QVERIFY2(ratio >= 4.5, qPrintable(QStringLiteral("%1 on %2: %3:1").arg(color, behind).arg(ratio)));
    }
}

void TestNamePalette::coloursAreToldApart_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

void TestNamePalette::coloursAreToldApart()
{
    QFETCH(bool, dark);
    const auto colors
        = NamePalette::colors(dark ? NamePalette::Background::Dark : NamePalette::Background::Light);
    for (int i = 0; i < colors.size(); ++i) {
        for (int j = i + 1; j < colors.size(); ++j) {
            const double distance = labDistance(colors.at(i), colors.at(j));
            QVERIFY2(distance >= 15,
                qPrintable(QStringLiteral("%1 and %2: ΔE %3").arg(colors.at(i), colors.at(j)).arg(distance)));
        }
    }
}

void TestNamePalette::aNameKeepsItsColour()
{
    // FNV-1a, not qHash: the same slot in every process and on every machine.
    QCOMPARE(NamePalette::indexFor("alice"), 11);
    QCOMPARE(NamePalette::indexFor("bob"), 8);
    QCOMPARE(NamePalette::colorFor("bob", NamePalette::Background::Light), QStringLiteral("#5f53e6"));
    QCOMPARE(NamePalette::colorFor("bob", NamePalette::Background::Dark), QStringLiteral("#968eef"));
    QCOMPARE(NamePalette::indexFor(""), NamePalette::indexFor(QByteArrayView()));
}

void TestNamePalette::nearbyNamesDiffer()
{
    // The names that looked the same before (issue #12), and a room's worth of names use most of
    // the palette (12 slots: two names share one with odds of 1 in 12, the name is always written).
    QVERIFY(NamePalette::indexFor("frank") != NamePalette::indexFor("gina"));
    QSet<int> used;
    for (const char *name :
        { "alice", "bob", "carol", "dave", "erin", "frank", "gina", "heidi", "ivan", "judy" })
        used.insert(NamePalette::indexFor(name));
    QVERIFY2(used.size() >= 7, qPrintable(QString::number(used.size())));
}

void TestNamePalette::theMonitorColoursChannelsAlike()
{
    ChannelPalette palette;
    QCOMPARE(palette.colorFor("alice"), NamePalette::colorFor("alice", NamePalette::Background::Light));
    palette.setBackground(NamePalette::Background::Dark);
    QCOMPARE(palette.colorFor("alice"), NamePalette::colorFor("alice", NamePalette::Background::Dark));
    palette.setColor("alice", QStringLiteral("#123456"));
    QCOMPARE(palette.colorFor("alice"), QStringLiteral("#123456"));
}

QTEST_GUILESS_MAIN(TestNamePalette)
#include "tst_namepalette.moc"
