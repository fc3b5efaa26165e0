#include "TypingIndicator.h"

#include <limits>

namespace Redwire {

TypingIndicator::TypingIndicator(const ChatConfig &config, QObject *parent)
    : QObject(parent)
    , m_intervalMs(qMax(0, config.typingIntervalMs))
    , m_timeoutMs(qMax(1, config.typingTimeoutMs))
{
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &TypingIndicator::expire);
}

void TypingIndicator::setClock(Clock *clock)
{
    disconnect(m_clockAdvanced);
    m_clock = clock ? clock : Clock::steady();
    m_clockAdvanced = connect(m_clock, &Clock::advanced, this, &TypingIndicator::expire);
    scheduleExpiry();
}

bool TypingIndicator::localTyping()
{
    const qint64 now = m_clock->nowMs();
    if (m_lastNoticeAt >= 0 && now - m_lastNoticeAt < m_intervalMs)
        return false;
    m_lastNoticeAt = now;
    return true;
}

void TypingIndicator::localMessageSent()
{
    m_lastNoticeAt = -1;
}

void TypingIndicator::noticeReceived(const QString &nickname)
{
    if (nickname.isEmpty())
        return;
    m_until.insert(nickname, m_clock->nowMs() + m_timeoutMs);
    if (!m_order.contains(nickname)) {
        m_order.append(nickname);
        Q_EMIT typingUsersChanged();
    }
    scheduleExpiry();
}

void TypingIndicator::messageReceivedFrom(const QString &nickname)
{
    if (!m_until.remove(nickname))
        return;
    m_order.removeAll(nickname);
    scheduleExpiry();
    Q_EMIT typingUsersChanged();
}

void TypingIndicator::clear()
{
    m_expiry.stop();
    m_until.clear();
    if (m_order.isEmpty())
        return;
    m_order.clear();
    Q_EMIT typingUsersChanged();
}

void TypingIndicator::expire()
{
    const qint64 now = m_clock->nowMs();
    bool changed = false;
    for (auto it = m_until.begin(); it != m_until.end();) {
        if (it.value() <= now) {
            m_order.removeAll(it.key());
            it = m_until.erase(it);
            changed = true;
        } else {
            ++it;
        }
    }
    scheduleExpiry();
    if (changed)
        Q_EMIT typingUsersChanged();
}

void TypingIndicator::scheduleExpiry()
{
    if (m_until.isEmpty()) {
        m_expiry.stop();
        return;
    }
    qint64 next = std::numeric_limits<qint64>::max();
    for (const qint64 until : std::as_const(m_until))
        next = qMin(next, until);
    const qint64 delay = qBound(qint64(0), next - m_clock->nowMs(), qint64(std::numeric_limits<int>::max()));
    m_expiry.start(int(delay));
}

} // namespace Redwire
