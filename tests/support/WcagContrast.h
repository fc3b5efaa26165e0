#pragma once

// WCAG 2.x relative luminance and contrast ratio of "#rrggbb" colours, and a reader for the
// colours ui/Theme.qml declares as `readonly property color name: dark ? "#dark" : "#light"`.
#include <QFile>
#include <QHash>
#include <QPair>
#include <QRegularExpression>
#include <QString>

#include <algorithm>
#include <cmath>

namespace Redwire::Test {

inline double srgbToLinear(int channel)
{
    const double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

inline double relativeLuminance(const QString &hex)
{
    const int r = QStringView(hex).mid(1, 2).toInt(nullptr, 16);
    const int g = QStringView(hex).mid(3, 2).toInt(nullptr, 16);
    const int b = QStringView(hex).mid(5, 2).toInt(nullptr, 16);
    return 0.2126 * srgbToLinear(r) + 0.7152 * srgbToLinear(g) + 0.0722 * srgbToLinear(b);
}

inline double contrastRatio(const QString &a, const QString &b)
{
    const double la = relativeLuminance(a);
    const double lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

// The theme's colours by name: first the dark shade, second the light one. A colour that does not
// depend on the theme has the same value in both.
using ThemeColors = QHash<QString, QPair<QString, QString>>;

inline ThemeColors readThemeColors(const QString &themeQmlPath)
{
    QFile file(themeQmlPath);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    const QString qml = QString::fromUtf8(file.readAll());
    ThemeColors colors;
    static const QRegularExpression both(QStringLiteral(
        R"re(readonly property color (\w+): dark \? "(#[0-9a-fA-F]{6})" : "(#[0-9a-fA-F]{6})")re"));
    for (auto it = both.globalMatch(qml); it.hasNext();) {
        const auto match = it.next();
        colors.insert(match.captured(1), { match.captured(2).toLower(), match.captured(3).toLower() });
    }
    static const QRegularExpression one(
        QStringLiteral(R"re(readonly property color (\w+): "(#[0-9a-fA-F]{6})")re"));
    for (auto it = one.globalMatch(qml); it.hasNext();) {
        const auto match = it.next();
        colors.insert(match.captured(1), { match.captured(2).toLower(), match.captured(2).toLower() });
    }
    return colors;
}

} // namespace Redwire::Test
