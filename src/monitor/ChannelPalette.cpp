#include "ChannelPalette.h"

namespace Redwire {

ChannelPalette::ChannelPalette(QObject *parent)
    : QObject(parent)
{ }

QString ChannelPalette::defaultColor(const QByteArray &channel, NamePalette::Background background)
{
    return NamePalette::colorFor(channel, background);
}

QString ChannelPalette::colorFor(const QByteArray &channel) const
{
    const auto it = m_chosen.constFind(channel);
    return it != m_chosen.cend() ? it.value() : defaultColor(channel, m_background);
}

void ChannelPalette::setBackground(NamePalette::Background background)
{
    if (m_background == background)
        return;
    m_background = background;
    Q_EMIT colorsChanged();
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
