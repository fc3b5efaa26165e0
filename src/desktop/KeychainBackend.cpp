#include "KeychainBackend.h"

#include <qt6keychain/keychain.h>

#include <QObject>

namespace Redwire {

namespace {

const QString ServiceName = QStringLiteral("Redwire");

class SystemKeychain : public KeychainBackend
{
public:
    void read(const QString &account, ReadDone done) override
    {
        auto *job = new QKeychain::ReadPasswordJob(ServiceName);
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
                done(Result::Unavailable, {}, job->errorString());
            }
        });
        job->start();
    }

    void write(const QString &account, const QByteArray &secret, WriteDone done) override
    {
        auto *job = new QKeychain::WritePasswordJob(ServiceName);
        job->setAutoDelete(true);
        job->setKey(account);
        job->setBinaryData(secret);
        job->setInsecureFallback(false);
        QObject::connect(job, &QKeychain::Job::finished, job,
            [job, done = std::move(done)] { done(job->error() == QKeychain::NoError, job->errorString()); });
        job->start();
    }
};

} // namespace

std::unique_ptr<KeychainBackend> KeychainBackend::system()
{
    return std::make_unique<SystemKeychain>();
}

} // namespace Redwire
