#include "ChannelPalette.h"

#include <cmath>

namespace Redwire {

namespace {
// FNV-1a: stable across Qt versions, platforms and runs (qHash is seeded per process).
quint32 stableHash(const QByteArray &bytes)
{
    quint32 hash = 2166136261u;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    return hash;
}

QString fromHsl(double hue, double saturation, double lightness)
{
    const double chroma = (1 - std::fabs(2 * lightness - 1)) * saturation;
    const double h = hue / 60.0;
    const double x = chroma * (1 - std::fabs(std::fmod(h, 2.0) - 1));
    double r = 0, g = 0, b = 0;
    if (h < 1) {
        r = chroma;
        g = x;
    } else if (h < 2) {
        r = x;
        g = chroma;
    } else if (h < 3) {
        g = chroma;
        b = x;
    } else if (h < 4) {
        g = x;
        b = chroma;
    } else if (h < 5) {
        r = x;
        b = chroma;
    } else {
        r = chroma;
        b = x;
    }
    const double m = lightness - chroma / 2;
    auto channel = [m](double v) { return qBound(0, int(std::lround((v + m) * 255)), 255); };
    return QStringLiteral("#%1%2%3")
        .arg(channel(r), 2, 16, QLatin1Char('0'))
        .arg(channel(g), 2, 16, QLatin1Char('0'))
        .arg(channel(b), 2, 16, QLatin1Char('0'));
}
} // namespace

ChannelPalette::ChannelPalette(QObject *parent)
    : QObject(parent)
{ }

QString ChannelPalette::defaultColor(const QByteArray &channel)
{
    // Hues spread by the golden angle; saturation and lightness that read on light and dark.
    const quint32 hash = stableHash(channel);
    const double hue = std::fmod(double(hash % 1000) * 137.508, 360.0);
    return fromHsl(hue, 0.60, 0.48);
}

QString ChannelPalette::colorFor(const QByteArray &channel) const
{
    const auto it = m_chosen.constFind(channel);
    return it != m_chosen.cend() ? it.value() : defaultColor(channel);
}

void ChannelPalette::setColor(const QByteArray &channel, const QString &color)
{
    if (color.isEmpty()) {
        if (m_chosen.remove(channel))
            Q_EMIT colorsChanged();
        return;
    }
    if (m_chosen.value(channel) == color)
        return;
    m_chosen.insert(channel, color);
    Q_EMIT colorsChanged();
}

} // namespace Redwire
