#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringList>

namespace Redwire {

// The colours given to names: chat senders and monitor channels. A name always gets the same
// slot (on every machine and in every session); each slot has a shade for a light and one for a
// dark background, every one readable as text (WCAG AA, 4.5:1) on the themes' backgrounds.
class NamePalette
{
public:
    enum class Background { Light, Dark };

    static int size();
    static int indexFor(QByteArrayView name);
    static QString colorFor(QByteArrayView name, Background background);
    static QStringList colors(Background background);
};

} // namespace Redwire
