#pragma once

// The soak is a script, not part of the app: it waits in nested event loops so that the chat
// sessions, the publisher and the monitor's pipes keep running while it waits.
#include <QEventLoop>
#include <QTimer>

#include <functional>

namespace RedwireSoak {

// Runs the event loop until `done()` is true (checked every `pollMs`) or `timeoutMs` passed.
inline bool waitUntil(const std::function<bool()> &done, int timeoutMs, int pollMs = 20)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(pollMs);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    deadline.setTimerType(Qt::PreciseTimer);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start();
    deadline.start(timeoutMs);
    loop.exec();
    return done();
}

// Runs the event loop for `ms`.
inline void waitFor(int ms)
{
    if (ms <= 0)
        return;
    QEventLoop loop;
    QTimer::singleShot(ms, Qt::PreciseTimer, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace RedwireSoak
