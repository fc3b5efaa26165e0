#include "CredentialStore.h"

#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcCredentials, "redwire.credentials")

namespace Redwire {

CredentialStore::CredentialStore(QObject *parent)
    : QObject(parent)
{ }

QString CredentialStore::accountFor(const QString &user, const QString &endpoint)
{
    return (user.isEmpty() ? QStringLiteral("default") : user) + QLatin1Char('@') + endpoint;
}

void CredentialStore::readPassword(const QString &account)
{
    auto *job = new QKeychain::ReadPasswordJob(KeychainBackend::serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, job, account] {
        if (job->error() == QKeychain::NoError) {
            Q_EMIT passwordRead(account, job->textData());
            return;
        }
        qCInfo(lcCredentials) << "no password for" << account << ":" << job->errorString();
        Q_EMIT unavailable(account, job->errorString());
    });
    job->start();
}

void CredentialStore::savePassword(const QString &account, const QString &password)
{
    auto *job = new QKeychain::WritePasswordJob(KeychainBackend::serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    job->setTextData(password);
    // Never fall back to a plain file when the keychain is missing.
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [this, job, account] {
        if (job->error() == QKeychain::NoError) {
            Q_EMIT passwordSaved(account);
            return;
        }
        qCWarning(lcCredentials) << "password not saved for" << account << ":" << job->errorString();
        Q_EMIT unavailable(account, job->errorString());
    });
    job->start();
}

void CredentialStore::forgetPassword(const QString &account)
{
    auto *job = new QKeychain::DeletePasswordJob(KeychainBackend::serviceName(), this);
    job->setAutoDelete(true);
    job->setKey(account);
    connect(job, &QKeychain::Job::finished, this, [this, account] { Q_EMIT passwordForgotten(account); });
    job->start();
}

} // namespace Redwire
