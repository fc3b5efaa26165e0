#include "SigningIdentity.h"

#include "chat/ChatRoom.h"
#include "chat/ChatSession.h"
#include "chat/Ed25519Key.h"
#include "chat/KeyFingerprint.h"
#include "chat/SenderVerifier.h"
#include "desktop/SigningKeyStore.h"

#include <QDir>

namespace Redwire {

SigningIdentity::SigningIdentity(SigningKeyStore *store, const QString &dataDirectory, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_dataDirectory(dataDirectory)
{
    connect(m_store, &SigningKeyStore::keyReady, this,
        [this](const QString &account, const QByteArray &secret, const QString &warning) {
            if (!m_session || account != m_account)
                return;
            const Ed25519Key key = Ed25519Key::fromPrivateKey(secret);
            m_session->setSigningKey(key);
            m_safetyNumber = key.isNull() ? QString() : KeyFingerprint::safetyNumber(key.publicKey());
            Q_EMIT keyChanged();
            if (warning != m_warning) {
                m_warning = warning;
                Q_EMIT warningChanged();
            }
        });
}

void SigningIdentity::attach(ChatSession *session, const QString &server)
{
    m_session = session;
    connect(session->senderVerifier(), &SenderVerifier::changedKeysChanged, this,
        &SigningIdentity::changedKeysChanged, Qt::UniqueConnection);
    Q_EMIT changedKeysChanged();
    if (m_dataDirectory.isEmpty()) {
        // Nowhere to keep anything: a key for this run only.
        const Ed25519Key key = Ed25519Key::generate();
        session->setSigningKey(key);
        m_safetyNumber = KeyFingerprint::safetyNumber(key.publicKey());
        Q_EMIT keyChanged();
        return;
    }
    session->setKeyPinPath(
        QDir(m_dataDirectory)
            .filePath(QStringLiteral("trust/%1.json").arg(SigningKeyStore::fileNameFor(server))));
    m_account = SigningKeyStore::accountFor(session->nickname(), server);
    m_store->load(m_account, [] { return Ed25519Key::generate().privateKey(); });
}

void SigningIdentity::detach()
{
    if (m_session)
        disconnect(m_session->senderVerifier(), nullptr, this, nullptr);
    m_session = nullptr;
    Q_EMIT changedKeysChanged();
    m_account.clear();
    if (!m_safetyNumber.isEmpty()) {
        m_safetyNumber.clear();
        Q_EMIT keyChanged();
    }
}

QString SigningIdentity::safetyNumberOf(const QString &nickname) const
{
    return m_session ? m_session->senderVerifier()->safetyNumber(nickname) : QString();
}

bool SigningIdentity::acceptChangedKey(const QString &nickname)
{
    return m_session && m_session->senderVerifier()->acceptChangedKey(nickname);
}

QStringList SigningIdentity::changedKeys() const
{
    return m_session ? m_session->senderVerifier()->changedKeys() : QStringList();
}

QString SigningIdentity::changedSafetyNumberOf(const QString &nickname) const
{
    return m_session ? m_session->senderVerifier()->changedSafetyNumber(nickname) : QString();
}

} // namespace Redwire
