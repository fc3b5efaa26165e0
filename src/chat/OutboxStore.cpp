#include "OutboxStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace Redwire {

namespace {
constexpr int FormatVersion = 1;

QJsonObject toJson(const Outbox::Item &item)
{
    QJsonObject object;
    object[QStringLiteral("direct")] = item.address.isDirect();
    object[QStringLiteral("room")] = item.address.name();
    object[QStringLiteral("id")] = item.id;
    object[QStringLiteral("envelope")] = QString::fromUtf8(item.envelope);
    object[QStringLiteral("failed")] = item.state == Outbox::State::Failed;
    if (item.state == Outbox::State::Failed)
        object[QStringLiteral("reason")] = item.failureReason;
    return object;
}
} // namespace

OutboxStore::OutboxStore(const QString &directory, const QString &serverKey, const QString &nickname)
    : m_nickname(nickname)
{
    if (directory.isEmpty() || nickname.isEmpty())
        return;
    // Names in a file name only as a hash: a nickname or host may hold anything.
    const QByteArray key = QCryptographicHash::hash(
        (serverKey + QLatin1Char('\n') + nickname).toUtf8(), QCryptographicHash::Sha256)
                               .toHex()
                               .left(32);
    m_path = QDir(directory).filePath(QStringLiteral("outbox-%1.json").arg(QString::fromLatin1(key)));
}

QList<Outbox::Item> OutboxStore::load(QString *error) const
{
    QList<Outbox::Item> items;
    if (m_path.isEmpty())
        return items;
    QFile file(m_path);
    if (!file.exists())
        return items;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return items;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    file.close();
    const QJsonObject root = document.object();
    if (parseError.error != QJsonParseError::NoError
        || root.value(QStringLiteral("version")).toInt() != FormatVersion) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError ? parseError.errorString()
                                                                  : QStringLiteral("unknown format");
        QFile::remove(m_path + QStringLiteral(".bad"));
        QFile::rename(m_path, m_path + QStringLiteral(".bad"));
        return items;
    }
    const QString &me = m_nickname;
    for (const QJsonValue &value : root.value(QStringLiteral("items")).toArray()) {
        const QJsonObject object = value.toObject();
        Outbox::Item item;
        const QString room = object.value(QStringLiteral("room")).toString();
        item.address = object.value(QStringLiteral("direct")).toBool() ? RoomAddress::direct(me, room)
                                                                       : RoomAddress::room(room);
        item.id = object.value(QStringLiteral("id")).toString();
        item.envelope = object.value(QStringLiteral("envelope")).toString().toUtf8();
        if (object.value(QStringLiteral("failed")).toBool()) {
            item.state = Outbox::State::Failed;
            item.failureReason = object.value(QStringLiteral("reason")).toString();
        }
        if (item.address.isValid() && !item.id.isEmpty() && item.envelope.startsWith('{'))
            items.append(item);
    }
    return items;
}

bool OutboxStore::save(const QList<Outbox::Item> &items, QString *error) const
{
    if (m_path.isEmpty())
        return true;
    const QString directory = QFileInfo(m_path).absolutePath();
    if (!QDir().mkpath(directory)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(directory);
        return false;
    }
    QFile::setPermissions(
        directory, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (items.isEmpty()) {
        QFile::remove(m_path);
        return true;
    }
    QJsonArray array;
    for (const Outbox::Item &item : items)
        array.append(toJson(item));
    QJsonObject root;
    root[QStringLiteral("version")] = FormatVersion;
    root[QStringLiteral("items")] = array;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Compact));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace Redwire
