// What checking signatures costs the chat's receive path (issue: "verification must not cost
// more than 10 % of the chat receive path at 10,000 msg/s"). Per message, in one run:
//   receive  = ChatEnvelope::decode + ChatMessage::fromEnvelope (what every message costs today)
//   verify   = + SenderVerification::assess against a pinned key (one Ed25519 verification)
// and the CPU share of one core both take at 10,000 msg/s.
#include "chat/ChatEnvelope.h"
#include "chat/ChatMessage.h"
#include "chat/Ed25519Key.h"
#include "chat/EnvelopeSignature.h"
#include "chat/KeyPinStore.h"
#include "chat/SenderVerification.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

using namespace Redwire;

int main(int argc, char **argv)
{
    const int count = argc > 1 ? std::atoi(argv[1]) : 20000;
    const Ed25519Key key = Ed25519Key::generate();
    QList<QByteArray> payloads;
    for (int i = 0; i < count; ++i) {
        ChatEnvelope envelope = ChatEnvelope::create(ChatEnvelope::Kind::Message, QStringLiteral("alice"),
            QStringLiteral("message %1: a line of chat of a usual length, with some words in it").arg(i));
        payloads.append(envelope.encode("chat", key));
    }
    KeyPinStore pins;
    pins.setPin(QStringLiteral("alice"), key.publicKey(), 0);

    QElapsedTimer timer;
    qint64 sink = 0;
    timer.start();
    for (const QByteArray &payload : payloads)
        sink += ChatMessage::fromEnvelope(ChatEnvelope::decode(payload, 64 * 1024), {}, 0).text.size();
    const double receiveNs = double(timer.nsecsElapsed()) / count;

    timer.restart();
    int verified = 0;
    for (const QByteArray &payload : payloads) {
        const ChatMessage message
            = ChatMessage::fromEnvelope(ChatEnvelope::decode(payload, 64 * 1024), {}, 0);
        verified += SenderVerification::assess(message.sender, "chat", message.signature,
                        SenderVerification::PublishedKey::NotFetched, {}, pins, 0)
            == SenderTrust::Verified;
    }
    const double withVerifyNs = double(timer.nsecsElapsed()) / count;
    if (verified != count) {
        std::fprintf(stderr, "only %d of %d verified\n", verified, count);
        return 1;
    }
    const double verifyNs = withVerifyNs - receiveNs;
    std::printf("messages                %d (%lld chars)\n", count, static_cast<long long>(sink));
    std::printf("receive (decode)        %.1f us/msg\n", receiveNs / 1000);
    std::printf("receive + verify        %.1f us/msg\n", withVerifyNs / 1000);
    std::printf("verify alone            %.1f us/msg = %.0f %% of decode\n", verifyNs / 1000,
        100 * verifyNs / receiveNs);
    std::printf("at 10,000 msg/s         decode %.1f %% of a core, verify %.1f %% of a core\n",
        receiveNs * 10000 / 1e7, verifyNs * 10000 / 1e7);
    return 0;
}
