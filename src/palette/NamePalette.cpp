#include "NamePalette.h"

#include <array>

namespace Redwire {

namespace {
// Twelve hues round the wheel. Each shade is the brightest (light theme) or darkest (dark theme)
// that keeps 4.7:1 against the theme's background, sidebar and raised surfaces (ui/Theme.qml);
// any two shades of a theme are at least ΔE*76 19 apart. tests/palette checks both properties.
constexpr std::array<const char *, 12> onLight = {
    "#d11e1e",
    "#a75318",
    "#7e6812",
    "#4c7611",
    "#127b35",
    "#117867",
    "#157393",
    "#1e67cf",
    "#5f53e6",
    "#9932e2",
    "#bc1baf",
    "#cb1d66",
};
constexpr std::array<const char *, 12> onDark = {
    "#eb7676",
    "#e37f38",
    "#b6961a",
    "#6daa18",
    "#19b04b",
    "#19ac93",
    "#1ea5d2",
    "#639be9",
    "#968eef",
    "#be7eed",
    "#e965de",
    "#eb70a3",
};
static_assert(onLight.size() == onDark.size());

// FNV-1a: stable across Qt versions, platforms and runs (qHash is seeded per process).
quint32 stableHash(QByteArrayView bytes)
{
    quint32 hash = 2166136261u;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 16777619u;
    }
    return hash;
}
} // namespace

int NamePalette::size()
{
    return int(onLight.size());
}

int NamePalette::indexFor(QByteArrayView name)
{
    return int(stableHash(name) % onLight.size());
}

QString NamePalette::colorFor(QByteArrayView name, Background background)
{
    const int index = indexFor(name);
    return QString::fromLatin1(background == Background::Dark ? onDark[index] : onLight[index]);
}

QStringList NamePalette::colors(Background background)
{
    QStringList result;
    for (int i = 0; i < size(); ++i)
        result.append(QString::fromLatin1(background == Background::Dark ? onDark[i] : onLight[i]));
    return result;
}

} // namespace Redwire
