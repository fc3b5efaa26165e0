#pragma once

#include <QObject>

namespace Redwire {

// Monotonic milliseconds for the classes that judge time passing (liveness, typing). The steady
// system clock unless a class is given another: a test gives it a clock it moves by hand, whose
// `advanced` signal makes the class look at its deadlines at once instead of at its next timer.
class Clock : public QObject
{
    Q_OBJECT
public:
    explicit Clock(QObject *parent = nullptr);

    // Milliseconds since a fixed point in the past; never goes back.
    virtual qint64 nowMs() const;

    // The steady system clock, shared; it never emits `advanced`.
    static Clock *steady();

Q_SIGNALS:
    // Time jumped forward (only a test's clock does that).
    void advanced();
};

} // namespace Redwire
