#pragma once

#include "NotificationSound.h"

#include <QObject>
#include <QUrl>

class QSoundEffect;

namespace Redwire {

// The notification sound through Qt Multimedia: a short WAV of ours (resources/sounds), loaded on
// first use, played on the default output; without one it plays nothing (and says so once).
class SoundEffectPlayer : public QObject, public NotificationSound
{
    Q_OBJECT
public:
    explicit SoundEffectPlayer(QObject *parent = nullptr,
        const QUrl &source = QUrl(QStringLiteral("qrc:/redwire/sounds/notification.wav")));
    void play() override;

private:
    QUrl m_source;
    QSoundEffect *m_effect = nullptr;
};

} // namespace Redwire
