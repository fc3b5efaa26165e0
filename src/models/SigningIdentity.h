#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

class ChatSession;
class SigningKeyStore;

// The user's signing identity for one chat session (docs/PROTOCOL.md, "Signed envelopes"): loads
// (or makes, on first use) the nickname's key from the keychain and hands it to the session, and
// keeps the keys pinned for other nicknames in the app's data directory, per server.
class SigningIdentity : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ChatController")
    // Where the key is kept when there is no keychain, or what went wrong; empty when all is well.
    Q_PROPERTY(QString warning READ warning NOTIFY warningChanged)
    // Our key's safety number, to compare out of band; empty until the key is loaded.
    Q_PROPERTY(QString safetyNumber READ safetyNumber NOTIFY keyChanged)
    // Nicknames that signed with a key other than the one pinned for them (KEY CHANGED), until
    // the user accepts the new key.
    Q_PROPERTY(QStringList changedKeys READ changedKeys NOTIFY changedKeysChanged)
public:
    // `dataDirectory` holds the pins (trust/) and, without a keychain, the key (keys/).
    SigningIdentity(SigningKeyStore *store, const QString &dataDirectory, QObject *parent = nullptr);

    // `server` names the server ("user@host:port/db") for the pins and the key's account.
    void attach(ChatSession *session, const QString &server);
    void detach();

    QString warning() const { return m_warning; }
    QString safetyNumber() const { return m_safetyNumber; }
    // The safety number of the key pinned for someone else, empty when none is.
    Q_INVOKABLE QString safetyNumberOf(const QString &nickname) const;
    // Trusts the new key a nickname signed with (after a KEY CHANGED warning).
    Q_INVOKABLE bool acceptChangedKey(const QString &nickname);
    QStringList changedKeys() const;
    // The safety number of the new key behind a KEY CHANGED warning, empty when none.
    Q_INVOKABLE QString changedSafetyNumberOf(const QString &nickname) const;

Q_SIGNALS:
    void warningChanged();
    void keyChanged();
    void changedKeysChanged();

private:
    SigningKeyStore *m_store;
    QString m_dataDirectory;
    QPointer<ChatSession> m_session;
    QString m_account;
    QString m_warning;
    QString m_safetyNumber;
};

} // namespace Redwire
