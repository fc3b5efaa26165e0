#pragma once

// Proving that nothing more happens without sleeping: what is already queued on this thread's
// event loop (queued slot calls, zero-delay single shots) runs before a marker queued after it.
#include <QCoreApplication>
#include <QTest>

#include <memory>

namespace RedwireTest {

// Returns once everything queued before the call has run (false only if the loop never got to it).
inline bool runQueuedEvents(int timeoutMs = 10000)
{
    auto reached = std::make_shared<bool>(false);
    QMetaObject::invokeMethod(
        QCoreApplication::instance(), [reached] { *reached = true; }, Qt::QueuedConnection);
    return QTest::qWaitFor([reached] { return *reached; }, timeoutMs);
}

} // namespace RedwireTest
