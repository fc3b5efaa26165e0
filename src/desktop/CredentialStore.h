#pragma once

#include <QObject>
#include <QString>

namespace Redwire {

// Passwords in the operating system's keychain (Secret Service, macOS Keychain, Windows
// Credential Manager) through QtKeychain, never in a plain file. Every call is asynchronous; when
// no keychain is available the password is simply not saved, and unavailable() says why.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QObject *parent = nullptr);

    // The account a password belongs to: "user@host:port" (or the socket path).
    static QString accountFor(const QString &user, const QString &endpoint);

    void readPassword(const QString &account);
    void savePassword(const QString &account, const QString &password);
    void forgetPassword(const QString &account);

Q_SIGNALS:
    void passwordRead(const QString &account, const QString &password);
    void passwordSaved(const QString &account);
    void passwordForgotten(const QString &account);
    // No password stored, or no keychain: the reason is readable.
    void unavailable(const QString &account, const QString &reason);
};

} // namespace Redwire
