#include "Clock.h"

#include <QElapsedTimer>

namespace Redwire {

Clock::Clock(QObject *parent)
    : QObject(parent)
{ }

qint64 Clock::nowMs() const
{
    // What the classes measured with before the seam: QElapsedTimer's monotonic clock.
    QElapsedTimer now;
    now.start();
    return now.msecsSinceReference();
}

Clock *Clock::steady()
{
    static Clock clock;
    return &clock;
}

} // namespace Redwire
