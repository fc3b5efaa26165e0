#include "SoundEffectPlayer.h"

#include <QLoggingCategory>
#include <QSoundEffect>

namespace Redwire {

namespace {
Q_LOGGING_CATEGORY(lcSound, "redwire.models.sound")
}

SoundEffectPlayer::SoundEffectPlayer(QObject *parent, const QUrl &source)
    : QObject(parent)
    , m_source(source)
{ }

void SoundEffectPlayer::play()
{
    if (!m_effect) {
        m_effect = new QSoundEffect(this);
        m_effect->setVolume(0.6f);
        connect(m_effect, &QSoundEffect::statusChanged, this, [this] {
            if (m_effect->status() == QSoundEffect::Error)
                qCWarning(lcSound) << "the notification sound" << m_source << "cannot be played";
        });
        m_effect->setSource(m_source);
    }
    // Loading is asynchronous: a sound asked for meanwhile plays once it is loaded.
    m_effect->play();
}

} // namespace Redwire
