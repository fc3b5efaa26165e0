#pragma once

// A clock a test moves by hand, for the classes that judge time passing (Redwire::Clock).
// Header-only, so that the fixture library does not depend on redwire_redis.
#include "redis/Clock.h"

namespace RedwireTest {

class ManualClock : public Redwire::Clock
{
public:
    // Starts far from zero, as a monotonic clock does.
    explicit ManualClock(qint64 startMs = 1000000)
        : m_nowMs(startMs)
    { }

    qint64 nowMs() const override { return m_nowMs; }

    // Moves time forward; the classes on this clock look at their deadlines before it returns.
    void advance(qint64 ms)
    {
        m_nowMs += ms;
        Q_EMIT advanced();
    }

private:
    qint64 m_nowMs;
};

} // namespace RedwireTest
