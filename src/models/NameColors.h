#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// The name colours (NamePalette) for QML: a sender's or member's colour on the current theme.
class NameColors : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
public:
    explicit NameColors(QObject *parent = nullptr);

    Q_INVOKABLE QString colorFor(const QString &name, bool darkBackground) const;
};

} // namespace Redwire
