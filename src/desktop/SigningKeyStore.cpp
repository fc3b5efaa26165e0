#include "SigningKeyStore.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QPointer>
#include <QSaveFile>

Q_LOGGING_CATEGORY(lcSigningKeys, "redwire.keys")

namespace Redwire {

namespace {
constexpr qsizetype SecretSize = 32;
}

SigningKeyStore::SigningKeyStore(
    std::unique_ptr<KeychainBackend> backend, const QString &fallbackDirectory, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_fallbackDirectory(fallbackDirectory)
{ }

QString SigningKeyStore::accountFor(const QString &nickname, const QString &server)
{
    return QStringLiteral("signing-key:%1@%2").arg(nickname, server);
}

QString SigningKeyStore::fileNameFor(const QString &name)
{
    QString fileName = name;
    for (QChar &c : fileName)
        if (!c.isLetterOrNumber() && c != u'-' && c != u'.' && c != u'@')
            c = u'_';
    return fileName;
}

QString SigningKeyStore::fallbackPath(const QString &account) const
{
    return QDir(m_fallbackDirectory).filePath(fileNameFor(account) + QStringLiteral(".key"));
}

void SigningKeyStore::load(const QString &account, const Generator &generate)
{
    QPointer<SigningKeyStore> self(this);
    m_backend->read(account,
        [self, account, generate](
            KeychainBackend::Result result, const QByteArray &secret, const QString &error) {
            if (!self)
                return;
            switch (result) {
            case KeychainBackend::Result::Found:
                if (secret.size() == SecretSize) {
                    Q_EMIT self->keyReady(account, secret, {});
                    return;
                }
                qCWarning(lcSigningKeys) << "the keychain's signing key for" << account << "is damaged";
                self->useFile(account, generate, tr("The keychain's signing key is damaged."));
                return;
            case KeychainBackend::Result::NotFound: {
                const QByteArray made = generate();
                self->m_backend->write(
                    account, made, [self, account, made, generate](bool written, const QString &why) {
                        if (!self)
                            return;
                        if (written)
                            Q_EMIT self->keyReady(account, made, {});
                        else
                            self->useFile(
                                account, [made] { return made; }, why);
                    });
                return;
            }
            case KeychainBackend::Result::Unavailable:
                self->useFile(account, generate, error);
                return;
            }
        });
}

void SigningKeyStore::useFile(const QString &account, const Generator &generate, const QString &why)
{
    const QString path = fallbackPath(account);
    const QString warning
        = tr("No keychain (%1): your signing key is kept in %2, readable only by you.").arg(why, path);
    QFile existing(path);
    if (existing.open(QIODevice::ReadOnly)) {
        const QByteArray secret = QByteArray::fromBase64(existing.read(256).trimmed());
        if (secret.size() == SecretSize) {
            Q_EMIT keyReady(account, secret, warning);
            return;
        }
        qCWarning(lcSigningKeys) << path << "does not hold a signing key; a new one replaces it";
    }
    const QByteArray secret = generate();
    QDir().mkpath(m_fallbackDirectory);
    QFile::setPermissions(m_fallbackDirectory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QSaveFile file(path);
    if (secret.size() != SecretSize || !file.open(QIODevice::WriteOnly)) {
        Q_EMIT keyReady(account, secret,
            tr("Your signing key could not be saved (%1): a new one is made next time.").arg(path));
        return;
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(secret.toBase64() + '\n');
    if (!file.commit()) {
        Q_EMIT keyReady(account, secret,
            tr("Your signing key could not be saved (%1): a new one is made next time.").arg(path));
        return;
    }
    qCWarning(lcSigningKeys) << warning;
    Q_EMIT keyReady(account, secret, warning);
}

} // namespace Redwire
