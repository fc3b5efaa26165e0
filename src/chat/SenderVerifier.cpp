#include "SenderVerifier.h"

#include "ChatLogging.h"
#include "ChatMessage.h"
#include "KeyFingerprint.h"
#include "KeyPinStore.h"
#include "RoomAddress.h"
#include "SenderVerification.h"
#include "redis/CommandConnection.h"
#include "redis/RedisError.h"
#include "redis/RedisReply.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

#include <utility>

namespace Redwire {

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

SenderVerifier::SenderVerifier(CommandConnection *commands, QObject *parent)
    : QObject(parent)
    , m_commands(commands)
    , m_pins(std::make_unique<KeyPinStore>())
{
    connect(m_commands, &RedisConnection::connected, this, &SenderVerifier::publishOwnKey);
}

SenderVerifier::~SenderVerifier() = default;

void SenderVerifier::setIdentity(const QString &nickname, const Ed25519Key &key)
{
    m_nickname = nickname;
    m_key = key;
    // Our own key is ours whatever was pinned for this nickname before.
    if (!key.isNull() && !nickname.isEmpty()) {
        const std::optional<KeyPinStore::Pin> pin = m_pins->pin(nickname);
        if (!pin || pin->publicKey != key.publicKey())
            m_pins->setPin(nickname, key.publicKey(), nowMs());
    }
    if (m_commands->isConnected())
        publishOwnKey();
}

void SenderVerifier::setPinStorePath(const QString &path)
{
    m_pins = std::make_unique<KeyPinStore>(path);
    setIdentity(m_nickname, m_key);
}

void SenderVerifier::publishOwnKey()
{
    if (m_key.isNull() || m_nickname.isEmpty())
        return;
    const QByteArray entry
        = QJsonDocument(QJsonObject {
                            { QStringLiteral("key"), QString::fromLatin1(m_key.publicKey().toBase64()) },
                            { QStringLiteral("created"), double(nowMs()) },
                        })
              .toJson(QJsonDocument::Compact);
    // HSETNX: a key's entry never changes once published (its id is its hash).
    m_commands->send({ "HSETNX", RoomAddress::signingKeysKey(m_nickname),
                         KeyFingerprint::keyId(m_key.publicKey()).toLatin1(), entry },
        [](const RedisReply &reply, const RedisError &error) {
            if (error || reply.isError())
                qCWarning(lcChat) << "could not publish our signing key:"
                                  << RedisError::forCommand(reply, error).message();
        });
}

void SenderVerifier::scheduleFetch(const QString &nickname)
{
    PublishedKeys &keys = m_published[nickname];
    if (keys.fetching || keys.fetchScheduled)
        return;
    const qint64 wait = keys.fetchedAtMs + MinFetchIntervalMs - nowMs();
    if (wait <= 0) {
        fetch(nickname);
        return;
    }
    keys.fetchScheduled = true;
    QTimer::singleShot(wait, this, [this, nickname] {
        m_published[nickname].fetchScheduled = false;
        fetch(nickname);
    });
}

void SenderVerifier::fetch(const QString &nickname)
{
    PublishedKeys &keys = m_published[nickname];
    if (keys.fetching || !m_commands->isConnected())
        return;
    keys.fetching = true;
    const QSet<QString> asked = keys.wanted;
    QPointer<SenderVerifier> self(this);
    m_commands->send({ "HGETALL", RoomAddress::signingKeysKey(nickname) },
        [self, nickname, asked](const RedisReply &reply, const RedisError &error) {
            if (!self)
                return;
            PublishedKeys &keys = self->m_published[nickname];
            keys.fetching = false;
            keys.fetchedAtMs = nowMs();
            if (error || !reply.isArray()) {
                qCWarning(lcChat) << "could not read the signing keys of" << nickname;
            } else {
                keys.byId.clear();
                for (qsizetype i = 0; i + 1 < reply.size(); i += 2) {
                    const QString id = QString::fromUtf8(reply.at(i).bytes());
                    const QJsonObject entry = QJsonDocument::fromJson(reply.at(i + 1).bytes()).object();
                    const QByteArray key
                        = QByteArray::fromBase64(entry.value(QLatin1String("key")).toString().toLatin1());
                    // An entry filed under another key's id is ignored: the id is the key's hash.
                    if (key.size() == Ed25519Key::KeySize && KeyFingerprint::keyId(key) == id
                        && keys.byId.size() < MaxKeyIdsRemembered)
                        keys.byId.insert(id, key);
                }
                if (keys.absent.size() > MaxKeyIdsRemembered)
                    keys.absent.clear();
                for (const QString &id : asked) {
                    keys.wanted.remove(id);
                    if (!keys.byId.contains(id))
                        keys.absent.insert(id);
                }
            }
            // Named while this fetch was under way: the next one looks.
            if (!keys.wanted.isEmpty())
                self->scheduleFetch(nickname);
            Q_EMIT self->keysArrived(nickname);
        });
}

SenderTrust SenderVerifier::assess(const QByteArray &channel, const ChatMessage &message)
{
    if (message.external || message.sender.isEmpty())
        return SenderTrust::Unsigned;
    const EnvelopeSignature::Claim &claim = message.signature;
    using SenderVerification::PublishedKey;
    PublishedKey lookup = PublishedKey::NotFetched;
    QByteArray published;
    if (claim.wellFormed) {
        const PublishedKeys &keys = m_published[message.sender];
        published = keys.byId.value(claim.keyId);
        if (!published.isEmpty())
            lookup = PublishedKey::Found;
        else if (keys.absent.contains(claim.keyId))
            lookup = PublishedKey::Missing;
    }
    const SenderTrust trust = SenderVerification::assess(
        message.sender, channel, claim, lookup, published, *m_pins, nowMs(), &m_verdicts);
    if (trust == SenderTrust::Pending) {
        PublishedKeys &keys = m_published[message.sender];
        if (keys.wanted.size() < MaxKeyIdsRemembered)
            keys.wanted.insert(claim.keyId);
        scheduleFetch(message.sender);
    }
    if (trust == SenderTrust::KeyChanged) {
        QByteArray &changed = m_published[message.sender].lastChanged;
        if (changed != published) {
            changed = published;
            Q_EMIT changedKeysChanged();
        }
    }
    return trust;
}

bool SenderVerifier::signs(const QString &nickname) const
{
    return m_pins->pin(nickname).has_value();
}

bool SenderVerifier::acceptChangedKey(const QString &nickname)
{
    const auto found = m_published.find(nickname);
    if (found == m_published.end() || found->lastChanged.isEmpty())
        return false;
    const QByteArray key = std::exchange(found->lastChanged, {});
    // Even when the pin file cannot be written, the key is pinned for this run.
    const bool kept = m_pins->setPin(nickname, key, nowMs());
    Q_EMIT changedKeysChanged();
    Q_EMIT pinReplaced(nickname);
    return kept;
}

QStringList SenderVerifier::changedKeys() const
{
    QStringList nicknames;
    for (auto it = m_published.cbegin(); it != m_published.cend(); ++it)
        if (!it->lastChanged.isEmpty())
            nicknames.append(it.key());
    nicknames.sort();
    return nicknames;
}

QString SenderVerifier::changedSafetyNumber(const QString &nickname) const
{
    const QByteArray key = m_published.value(nickname).lastChanged;
    return key.isEmpty() ? QString() : KeyFingerprint::safetyNumber(key);
}

QString SenderVerifier::safetyNumber(const QString &nickname) const
{
    const std::optional<KeyPinStore::Pin> pin = m_pins->pin(nickname);
    return pin ? KeyFingerprint::safetyNumber(pin->publicKey) : QString();
}

} // namespace Redwire
