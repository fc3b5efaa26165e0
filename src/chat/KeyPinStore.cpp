#include "KeyPinStore.h"

#include "ChatLogging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Redwire {

namespace {
constexpr int FormatVersion = 1;
constexpr qint64 MaxFileSize = 16 * 1024 * 1024;
} // namespace

KeyPinStore::KeyPinStore(const QString &path)
    : m_path(path)
{
    load();
}

std::optional<KeyPinStore::Pin> KeyPinStore::pin(const QString &nickname) const
{
    const auto it = m_pins.constFind(nickname);
    if (it == m_pins.constEnd())
        return std::nullopt;
    return *it;
}

bool KeyPinStore::setPin(const QString &nickname, const QByteArray &publicKey, qint64 nowMs)
{
    m_pins.insert(nickname, Pin { publicKey, nowMs });
    return save();
}

bool KeyPinStore::forget(const QString &nickname)
{
    if (m_pins.remove(nickname) == 0)
        return true;
    return save();
}

void KeyPinStore::load()
{
    if (m_path.isEmpty())
        return;
    QFile file(m_path);
    if (!file.exists())
        return;
    if (file.size() > MaxFileSize || !file.open(QIODevice::ReadOnly)) {
        m_error = QObject::tr("Cannot read the pinned keys in %1.").arg(m_path);
        qCWarning(lcChat) << m_error;
        return;
    }
    QJsonParseError error {};
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &error).object();
    if (error.error != QJsonParseError::NoError
        || root.value(QLatin1String("version")).toInt() != FormatVersion) {
        m_error
            = QObject::tr("The pinned keys in %1 are damaged; keys will be pinned again as they are seen.")
                  .arg(m_path);
        qCWarning(lcChat) << m_error;
        return;
    }
    const QJsonObject pins = root.value(QLatin1String("pins")).toObject();
    for (auto it = pins.begin(); it != pins.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        const QByteArray key
            = QByteArray::fromBase64(entry.value(QLatin1String("key")).toString().toLatin1());
        if (key.size() != 32)
            continue;
        m_pins.insert(it.key(), Pin { key, qint64(entry.value(QLatin1String("since")).toDouble()) });
    }
}

bool KeyPinStore::save()
{
    if (m_path.isEmpty())
        return true;
    QJsonObject pins;
    for (auto it = m_pins.cbegin(); it != m_pins.cend(); ++it)
        pins.insert(it.key(),
            QJsonObject { { QStringLiteral("key"), QString::fromLatin1(it->publicKey.toBase64()) },
                { QStringLiteral("since"), double(it->pinnedAtMs) } });
    const QJsonObject root { { QStringLiteral("version"), FormatVersion }, { QStringLiteral("pins"), pins } };
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_error = QObject::tr("Cannot write the pinned keys to %1: %2").arg(m_path, file.errorString());
        qCWarning(lcChat) << m_error;
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        m_error = QObject::tr("Cannot write the pinned keys to %1: %2").arg(m_path, file.errorString());
        qCWarning(lcChat) << m_error;
        return false;
    }
    m_error.clear();
    return true;
}

} // namespace Redwire
