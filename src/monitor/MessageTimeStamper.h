#pragma once

#include <QDateTime>
#include <QtGlobal>

namespace Redwire {

// The times the monitor gives messages: the wall clock when the socket read that brought a
// message returned (shared by every message of that read), never earlier than the time given to
// the message before, so that times in the output never go backwards when the system clock is
// stepped back. A message without a read time (0) gets the clock now.
class MessageTimeStamper
{
public:
    qint64 stamp(qint64 readTimeMs)
    {
        const qint64 time = readTimeMs > 0 ? readTimeMs : QDateTime::currentMSecsSinceEpoch();
        if (time > m_last)
            m_last = time;
        return m_last;
    }
    qint64 last() const { return m_last; }

private:
    qint64 m_last = 0;
};

} // namespace Redwire
