#pragma once

#include "redis/RedisClient.h"

#include <QObject>
#include <QtQml/qqml.h> // QML_FOREIGN needs more than qqmlregistration.h

// src/redis is no QML module: the enums of its classes that the controllers' properties carry
// reach QML here, under the classes' own names, so that QML compares
// `Chat.connectionState === RedisClient.Connected`.
namespace Redwire::RedisQmlTypes {

struct RedisClientForeign
{
    Q_GADGET
    QML_FOREIGN(Redwire::RedisClient)
    QML_NAMED_ELEMENT(RedisClient)
    QML_UNCREATABLE("Owned by the chat session")
};

} // namespace Redwire::RedisQmlTypes
