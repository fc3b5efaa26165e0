#include "LocalServerDirectory.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSaveFile>

#include <array>

Q_DECLARE_LOGGING_CATEGORY(lcLocalServer)

namespace Redwire {

namespace {
constexpr QFileDevice::Permissions OwnerOnly
    = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions GroupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
constexpr QFileDevice::Permissions PrivateFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

// 256 bits from the OS's generator, as hex: a config value and an AUTH argument without quoting.
constexpr int PasswordWords = 8;
// What readOrCreatePassword() accepts from the file: at least 128 bits of lowercase hex.
constexpr int MinPasswordChars = 32;

bool isPassword(const QByteArray &text)
{
    if (text.size() < MinPasswordChars)
        return false;
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}
} // namespace

LocalServerDirectory::LocalServerDirectory(const QString &path)
    : m_path(QDir::cleanPath(path))
{ }

QString LocalServerDirectory::passwordFile() const
{
    return m_path + QStringLiteral("/password");
}

bool LocalServerDirectory::prepare()
{
    m_error.clear();
    const QFileInfo info(m_path);
    if (!info.exists()) {
        // Created 0700 in one step, so it is never open to others, not even for a moment.
        if (!QDir().mkpath(info.absolutePath()) || !QDir().mkdir(m_path, OwnerOnly)) {
            m_error = tr("Cannot create the data directory %1.").arg(m_path);
            return false;
        }
        qCInfo(lcLocalServer) << "created" << m_path;
    } else if (!info.isDir()) {
        m_error = tr("%1 is not a directory.").arg(m_path);
        return false;
    }
    return tighten();
}

// Older versions left the directory 0755 and its files 0644: anyone on the computer could
// read the chat history. Group and other bits come off everything in it; symbolic links are not
// followed (where they point is not ours to change).
bool LocalServerDirectory::tighten()
{
    int tightened = 0;
    const auto makePrivate = [&](const QString &path) {
        const QFileInfo info(path);
        if (info.isSymLink())
            return true;
        if (!(info.permissions() & GroupOrOther))
            return true;
        if (!QFile::setPermissions(path, info.permissions() & OwnerOnly)) {
            m_error = tr("Cannot make %1 private to this account.").arg(path);
            return false;
        }
        ++tightened;
        return true;
    };
    if (!makePrivate(m_path))
        return false;
    QDirIterator entries(m_path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (entries.hasNext()) {
        if (!makePrivate(entries.next()))
            return false;
    }
    if (tightened > 0)
        qCInfo(lcLocalServer) << "made" << tightened << "entries in" << m_path
                              << "private to this account (they were open to group or others)";
    return true;
}

// A keychain would add nothing: whoever can read this directory can read the data itself, so the
// password lives beside the data, in a 0600 file in the 0700 directory.
QString LocalServerDirectory::readOrCreatePassword()
{
    m_error.clear();
    QFile file(passwordFile());
    if (!file.exists())
        return createPassword();
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = tr("Cannot read the local server's password from %1: %2")
                      .arg(file.fileName(), file.errorString());
        return {};
    }
    const QByteArray text = file.read(1024).trimmed();
    if (isPassword(text))
        return QString::fromLatin1(text);
    // Emptied or edited by hand, say. requirepass is configuration, not data: a new password loses
    // nothing.
    qCWarning(lcLocalServer) << file.fileName() << "does not hold a password Redwire wrote; replacing it";
    file.close();
    return createPassword();
}

QString LocalServerDirectory::createPassword()
{
    std::array<quint32, PasswordWords> words;
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray password
        = QByteArray(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof(words))).toHex();
    QSaveFile file(passwordFile());
    // The temporary file is made 0600 before the password is written to it.
    const bool ok = file.open(QIODevice::WriteOnly) && file.setPermissions(PrivateFile)
        && file.write(password + '\n') == password.size() + 1 && file.commit();
    if (!ok) {
        m_error = tr("Cannot create the local server's password file %1: %2")
                      .arg(passwordFile(), file.errorString());
        return {};
    }
    qCInfo(lcLocalServer) << "created a new password for the local server in" << passwordFile();
    return QString::fromLatin1(password);
}

} // namespace Redwire
