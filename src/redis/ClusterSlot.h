#pragma once

#include <QByteArrayView>

namespace Redwire {

// Which of Redis Cluster's 16384 hash slots a key (or a sharded channel) belongs to: CRC16
// (XMODEM: polynomial 0x1021, initial 0) of the key, or of its hash tag, modulo 16384. The hash
// tag is what lies between the first '{' and the first '}' after it, when that is not empty:
// "{user:alice}:keys" and "{user:alice}:read" share a slot.
namespace ClusterSlot {

constexpr int Count = 16384;

// The part of the key that is hashed: its hash tag, or the whole key.
QByteArrayView hashedPart(QByteArrayView key);
quint16 crc16(QByteArrayView bytes);
quint16 forKey(QByteArrayView key);

} // namespace ClusterSlot
} // namespace Redwire
