#pragma once

#include "Ed25519Key.h"
#include "SenderTrust.h"
#include "SignatureVerdicts.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>

namespace Redwire {

class ChatMessage;
class CommandConnection;
class KeyPinStore;

// Who said that (docs/PROTOCOL.md, "Signed envelopes"): signs what we send with our key,
// publishes that key under our nickname, and judges every message's claimed sender against the
// keys pinned on first use. Keys of other nicknames are fetched when a signature names one not
// known yet (one HGETALL per nickname at a time, at most one a second); meanwhile the message is
// Pending, and keysArrived() says when to judge it again. A key id the fetch did not find is
// remembered as absent: it never verifies, and asking again for it costs nothing.
class SenderVerifier : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 MinFetchIntervalMs = 1000;
    static constexpr int MaxKeyIdsRemembered = 256;

    explicit SenderVerifier(CommandConnection *commands, QObject *parent = nullptr);
    ~SenderVerifier() override;

    // Our nickname and key (null: we send unsigned); the key is published at every connect.
    void setIdentity(const QString &nickname, const Ed25519Key &key);
    const Ed25519Key &signingKey() const { return m_key; }
    const QString &nickname() const { return m_nickname; }
    // Where the pins of this server are kept (empty: in memory only).
    void setPinStorePath(const QString &path);

    SenderTrust assess(const QByteArray &channel, const ChatMessage &message);
    // Whether a key is pinned for the nickname: they sign, so an unsigned claim is not theirs.
    bool signs(const QString &nickname) const;
    // The key a nickname signed with that does not match the pin, now accepted as theirs.
    bool acceptChangedKey(const QString &nickname);
    // The pinned key's safety number, empty when none is pinned.
    QString safetyNumber(const QString &nickname) const;
    // Nicknames that signed with a key other than the pinned one, not accepted yet (sorted).
    QStringList changedKeys() const;
    // The safety number of the new key behind a KEY CHANGED warning, empty when none.
    QString changedSafetyNumber(const QString &nickname) const;
    // Ed25519 verifications actually done (the rest were remembered): for tests and benchmarks.
    int verificationsDone() const { return m_verdicts.verificationsDone(); }

Q_SIGNALS:
    void keysArrived(const QString &nickname);
    // changedKeys() changed: a KEY CHANGED was seen, or accepted.
    void changedKeysChanged();
    // The key pinned for `nickname` was replaced (acceptChangedKey): judge its messages again.
    void pinReplaced(const QString &nickname);

private:
    struct PublishedKeys
    {
        QHash<QString, QByteArray> byId;
        QSet<QString> wanted; // named by a signature, not found yet: the next fetch looks
        QSet<QString> absent; // a fetch looked and did not find them
        qint64 fetchedAtMs = 0;
        bool fetching = false;
        bool fetchScheduled = false;
        QByteArray lastChanged; // a published key that signed but differs from the pin
    };
    void publishOwnKey();
    void scheduleFetch(const QString &nickname);
    void fetch(const QString &nickname);

    CommandConnection *m_commands;
    QString m_nickname;
    Ed25519Key m_key;
    std::unique_ptr<KeyPinStore> m_pins;
    QHash<QString, PublishedKeys> m_published;
    SignatureVerdicts m_verdicts;
};

} // namespace Redwire
