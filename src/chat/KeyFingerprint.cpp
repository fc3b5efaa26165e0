#include "KeyFingerprint.h"

#include <QCryptographicHash>
#include <QStringList>

namespace Redwire::KeyFingerprint {

QString keyId(const QByteArray &publicKey)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(publicKey, QCryptographicHash::Sha256).left(8).toHex());
}

QString safetyNumber(const QByteArray &publicKey)
{
    const QByteArray digest = QCryptographicHash::hash(publicKey, QCryptographicHash::Sha512);
    QStringList groups;
    for (int group = 0; group < 12; ++group) {
        quint64 value = 0;
        for (int i = 0; i < 5; ++i)
            value = (value << 8) | static_cast<unsigned char>(digest.at(group * 5 + i));
        groups.append(QStringLiteral("%1").arg(value % 100000, 5, 10, QLatin1Char('0')));
    }
    return groups.join(QLatin1Char(' '));
}

} // namespace Redwire::KeyFingerprint
