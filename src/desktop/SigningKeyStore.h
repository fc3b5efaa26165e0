#pragma once

#include "KeychainBackend.h"

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace Redwire {

// Where a nickname's private signing key lives (docs/PROTOCOL.md, "Signed envelopes"): in the OS
// keychain; where there is none, in a 0600 file in the app's data directory, and the caller is
// told so (a warning to show). A key is made once, on first use, by the caller's generator.
class SigningKeyStore : public QObject
{
    Q_OBJECT
public:
    using Generator = std::function<QByteArray()>;

    SigningKeyStore(std::unique_ptr<KeychainBackend> backend, const QString &fallbackDirectory,
        QObject *parent = nullptr);

    // "signing-key:<nickname>@<server>".
    static QString accountFor(const QString &nickname, const QString &server);
    // Emits keyReady once: the stored key, or a new one from `generate` stored now.
    void load(const QString &account, const Generator &generate);
    QString fallbackPath(const QString &account) const;
    // A name as a file name: everything but letters, digits, '-', '.' and '@' becomes '_'.
    static QString fileNameFor(const QString &name);

Q_SIGNALS:
    // `secret` is empty only when no key could be made; `warning` says where it is kept when not
    // in a keychain, or what went wrong.
    void keyReady(const QString &account, const QByteArray &secret, const QString &warning);

private:
    void useFile(const QString &account, const Generator &generate, const QString &why);

    std::unique_ptr<KeychainBackend> m_backend;
    QString m_fallbackDirectory;
};

} // namespace Redwire
