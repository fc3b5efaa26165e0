#include "ChannelRateMeter.h"

#include <algorithm>
#include <limits>

namespace Redwire {

namespace {
// The bucket size sets the resolution of the window's left edge: the last second is measured
// in tenths, ten seconds in seconds, the minute in five-second slices.
struct TierLayout
{
    qint64 bucketMs;
    int bucketsInWindow;
};
constexpr TierLayout Layouts[3] = { { 100, 10 }, { 1000, 10 }, { 5000, 12 } };

// Floor division: slices stay ordered across zero on clocks that start negative.
qint64 sliceOf(qint64 ms, qint64 bucketMs)
{
    return ms >= 0 ? ms / bucketMs : -((-ms + bucketMs - 1) / bucketMs);
}

int slotOf(qint64 slice)
{
    const qint64 slot = slice % 12;
    return int(slot < 0 ? slot + 12 : slot);
}
} // namespace

ChannelRateMeter::ChannelRateMeter(qint64 originMs)
    : m_originMs(originMs)
{
    for (int i = 0; i < 3; ++i) {
        m_tiers[size_t(i)].bucketMs = Layouts[i].bucketMs;
        m_tiers[size_t(i)].bucketsInWindow = Layouts[i].bucketsInWindow;
        m_tiers[size_t(i)].slice.fill(std::numeric_limits<qint64>::min());
    }
}

qint64 ChannelRateMeter::windowMs(Window window)
{
    const TierLayout &layout = Layouts[int(window)];
    return layout.bucketMs * layout.bucketsInWindow;
}

void ChannelRateMeter::record(qint64 nowMs, qint64 bytes)
{
    for (Tier &tier : m_tiers)
        record(tier, nowMs, bytes);
}

void ChannelRateMeter::record(Tier &tier, qint64 nowMs, qint64 bytes)
{
    const qint64 slice = sliceOf(nowMs, tier.bucketMs);
    const int slot = slotOf(slice);
    if (tier.slice[size_t(slot)] != slice) {
        // A bucket from an older slice (or, after the clock stepped back, a newer one): reuse it.
        tier.slice[size_t(slot)] = slice;
        tier.messages[size_t(slot)] = 0;
        tier.bytes[size_t(slot)] = 0;
    }
    ++tier.messages[size_t(slot)];
    tier.bytes[size_t(slot)] += quint64(std::max<qint64>(0, bytes));
}

ChannelRateMeter::Rate ChannelRateMeter::rate(Window window, qint64 nowMs) const
{
    return rate(m_tiers[size_t(window)], nowMs);
}

ChannelRateMeter::Rate ChannelRateMeter::rate(const Tier &tier, qint64 nowMs) const
{
    // The window is the current (partial) bucket and the bucketsInWindow - 1 before it: its span
    // is exact, between (n - 1) and n buckets long, and never reaches back before the origin.
    const qint64 current = sliceOf(nowMs, tier.bucketMs);
    const qint64 oldest = current - tier.bucketsInWindow + 1;
    quint64 messages = 0;
    quint64 bytes = 0;
    for (int slot = 0; slot < Tier::Buckets; ++slot) {
        const qint64 slice = tier.slice[size_t(slot)];
        if (slice >= oldest && slice <= current) {
            messages += tier.messages[size_t(slot)];
            bytes += tier.bytes[size_t(slot)];
        }
    }
    const qint64 start = std::max(oldest * tier.bucketMs, m_originMs);
    // Shortly after the origin the span is what has been measured so far, but at least a second
    // (0.9 s for the one-second window, whose span never exceeds that): a burst in the first
    // milliseconds is not a rate of millions per second.
    const qint64 minimumSpan = std::min<qint64>(1000, (tier.bucketsInWindow - 1) * tier.bucketMs);
    const double spanSeconds = double(std::max(nowMs - start, minimumSpan)) / 1000.0;
    return { double(messages) / spanSeconds, double(bytes) / spanSeconds };
}

} // namespace Redwire
