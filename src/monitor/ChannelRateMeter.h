#pragma once

#include <QtGlobal>

#include <array>

namespace Redwire {

// Messages per second and bytes per second over the last second, ten seconds and minute, from
// bucketed counters: recording a message is a few additions, whatever the rate, and the memory is
// fixed. Time is passed in (milliseconds on any monotonic clock), which keeps tests exact.
class ChannelRateMeter
{
public:
    enum class Window { OneSecond, TenSeconds, OneMinute };

    struct Rate
    {
        double messagesPerSecond = 0;
        double bytesPerSecond = 0;
    };

    // Rates never look back before `originMs` (when measuring started).
    explicit ChannelRateMeter(qint64 originMs = 0);

    void record(qint64 nowMs, qint64 bytes);
    Rate rate(Window window, qint64 nowMs) const;

    static qint64 windowMs(Window window);

private:
    // One window: `Buckets` buckets of `bucketMs` each; a bucket remembers which slice of time it
    // counts, so stale buckets are recognised (and skipped or reused) without a sweep.
    struct Tier
    {
        static constexpr int Buckets = 12;
        qint64 bucketMs = 0;
        int bucketsInWindow = 0;
        std::array<qint64, Buckets> slice {};
        std::array<quint64, Buckets> messages {};
        std::array<quint64, Buckets> bytes {};
    };

    static void record(Tier &tier, qint64 nowMs, qint64 bytes);
    Rate rate(const Tier &tier, qint64 nowMs) const;

    qint64 m_originMs;
    std::array<Tier, 3> m_tiers;
};

} // namespace Redwire
