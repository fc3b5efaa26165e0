#pragma once

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>

namespace Redwire {

// A place for small secrets: the OS keychain through QtKeychain, or a stand-in in tests.
class KeychainBackend
{
public:
    enum class Result { Found, NotFound, Unavailable };
    using ReadDone = std::function<void(Result result, const QByteArray &secret, const QString &error)>;
    using WriteDone = std::function<void(bool written, const QString &error)>;

    virtual ~KeychainBackend() = default;
    virtual void read(const QString &account, ReadDone done) = 0;
    virtual void write(const QString &account, const QByteArray &secret, WriteDone done) = 0;

    // Secret Service, macOS Keychain or Windows Credential Manager, never a plain file.
    static std::unique_ptr<KeychainBackend> system();
    // The service name Redwire's entries are filed under in the system keychain (also
    // CredentialStore's, for server passwords).
    static QString serviceName() { return QStringLiteral("Redwire"); }
    // Why the keychain could not be used, in words for the user: QtKeychain's error code
    // (QKeychain::Error) and text, which is often just "Unknown error" when no keychain service runs.
    static QString reasonFor(int keychainError, const QString &keychainText);
};

} // namespace Redwire
