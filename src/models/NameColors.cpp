#include "NameColors.h"

#include "palette/NamePalette.h"

namespace Redwire {

NameColors::NameColors(QObject *parent)
    : QObject(parent)
{ }

QString NameColors::colorFor(const QString &name, bool darkBackground) const
{
    return NamePalette::colorFor(
        name.toUtf8(), darkBackground ? NamePalette::Background::Dark : NamePalette::Background::Light);
}

} // namespace Redwire
