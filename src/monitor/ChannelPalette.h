#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

namespace Redwire {

// A colour per channel, so the eye can follow one channel down the table: chosen from the name
// (the same channel gets the same colour in every session and on every machine) unless the
// operator picked one. Colours are "#rrggbb" strings; the monitor engine needs no QtGui.
class ChannelPalette : public QObject
{
    Q_OBJECT
public:
    explicit ChannelPalette(QObject *parent = nullptr);

    QString colorFor(const QByteArray &channel) const;
    void setColor(const QByteArray &channel, const QString &color); // empty: back to the default
    static QString defaultColor(const QByteArray &channel);

Q_SIGNALS:
    void colorsChanged();

private:
    QHash<QByteArray, QString> m_chosen;
};

} // namespace Redwire
