#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QObject>

namespace Redwire {

namespace {

class SystemKeychain : public KeychainBackend
{
public:
    void read(const QString &account, ReadDone done) override
    {
        auto *job = new QKeychain::ReadPasswordJob(serviceName());
        job->setAutoDelete(true);
        job->setKey(account);
        QObject::connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)] {
            switch (job->error()) {
            case QKeychain::NoError:
                done(Result::Found, job->binaryData(), {});
                return;
            case QKeychain::EntryNotFound:
                done(Result::NotFound, {}, {});
                return;
            default:
                done(Result::Unavailable, {}, KeychainBackend::reasonFor(job->error(), job->errorString()));
            }
        });
        job->start();
    }

    void write(const QString &account, const QByteArray &secret, WriteDone done) override
    {
        auto *job = new QKeychain::WritePasswordJob(serviceName());
        job->setAutoDelete(true);
        job->setKey(account);
        job->setBinaryData(secret);
        job->setInsecureFallback(false);
        QObject::connect(job, &QKeychain::Job::finished, job, [job, done = std::move(done)] {
            const bool written = job->error() == QKeychain::NoError;
            done(written, written ? QString() : KeychainBackend::reasonFor(job->error(), job->errorString()));
        });
        job->start();
    }
};

} // namespace

QString KeychainBackend::reasonFor(int keychainError, const QString &keychainText)
{
    const auto tr
        = [](const char *text) { return QCoreApplication::translate("Redwire::KeychainBackend", text); };
    switch (keychainError) {
    case QKeychain::NoBackendAvailable:
        return tr("no keychain service is running");
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        return tr("the keychain refused access");
    case QKeychain::NotImplemented:
        return tr("this system offers no keychain Redwire can use");
    default:
        break;
    }
    // What a desktop without a Secret Service gets: no service answered on D-Bus.
    if (keychainText.trimmed().isEmpty() || keychainText == QLatin1String("Unknown error"))
        return tr("no keychain service answered");
    return keychainText;
}

std::unique_ptr<KeychainBackend> KeychainBackend::system()
{
    return std::make_unique<SystemKeychain>();
}

} // namespace Redwire
