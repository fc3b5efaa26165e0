#pragma once

#include <QtGlobal>

#include <array>

namespace Redwire {

// How many bytes the subscriber had received at a few recent moments (sampled about every 100 ms),
// to tell afterwards whether a connection closed while a backlog was pouring in or right after the
// monitor's event loop had stood still: the marks of a subscriber the server dropped for being too
// slow. Times are monotonic milliseconds.
class ReceiveHistory
{
public:
    static constexpr int Capacity = 32;
    // The burst is what arrived in about this long before the close...
    static constexpr qint64 BurstWindowMs = 250;
    // ...compared with the rate over this long before that.
    static constexpr qint64 BaselineWindowMs = 1000;

    struct Burst
    {
        quint64 bytes = 0; // received in the burst window (from the newest sample at least that old)
        qint64 windowMs = 0; // how long that window really was
        double expectedBytes = 0; // what the rate before it would have brought in BurstWindowMs
        qint64 longestPauseMs = 0; // the longest time without a sample in the last 1.5 s: a stall
    };

    void record(qint64 nowMs, quint64 totalBytes);
    void clear() { m_size = 0; }
    bool isEmpty() const { return m_size == 0; }

    Burst burstAt(qint64 nowMs, quint64 totalBytes) const;

private:
    struct Sample
    {
        qint64 timeMs;
        quint64 bytes;
    };
    // 0 is the newest.
    const Sample &newest(int index) const
    {
        return m_samples[size_t((m_next - 1 - index + Capacity) % Capacity)];
    }

    std::array<Sample, Capacity> m_samples {};
    int m_next = 0;
    int m_size = 0;
};

} // namespace Redwire
