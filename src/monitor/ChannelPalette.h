#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

#include "palette/NamePalette.h"

namespace Redwire {

// A colour per channel, so the eye can follow one channel down the table: chosen from the name
// (the same channel gets the same colour in every session and on every machine) unless the
// operator picked one. The default comes from NamePalette (the chat colours its senders alike), in
// the shade for the background the table is drawn on. Colours are "#rrggbb" strings; the monitor
// engine needs no QtGui.
class ChannelPalette : public QObject
{
    Q_OBJECT
public:
    explicit ChannelPalette(QObject *parent = nullptr);

    QString colorFor(const QByteArray &channel) const;
    void setColor(const QByteArray &channel, const QString &color); // empty: back to the default
    static QString defaultColor(
        const QByteArray &channel, NamePalette::Background background = NamePalette::Background::Light);

    NamePalette::Background background() const { return m_background; }
    void setBackground(NamePalette::Background background);

Q_SIGNALS:
    void colorsChanged();

private:
    QHash<QByteArray, QString> m_chosen;
    NamePalette::Background m_background = NamePalette::Background::Light;
};

} // namespace Redwire
