#include "ReceiveHistory.h"

#include <algorithm>

namespace Redwire {

void ReceiveHistory::record(qint64 nowMs, quint64 totalBytes)
{
    m_samples[size_t(m_next)] = { nowMs, totalBytes };
    m_next = (m_next + 1) % Capacity;
    m_size = std::min(m_size + 1, Capacity);
}

ReceiveHistory::Burst ReceiveHistory::burstAt(qint64 nowMs, quint64 totalBytes) const
{
    Burst burst;
    if (m_size == 0)
        return burst;
    // The newest sample at least BurstWindowMs old (or the oldest there is) starts the burst, the
    // newest at least BaselineWindowMs older than that starts the baseline.
    int start = m_size - 1;
    for (int i = 0; i < m_size; ++i) {
        if (nowMs - newest(i).timeMs >= BurstWindowMs) {
            start = i;
            break;
        }
    }
    const Sample &burstStart = newest(start);
    int baseline = m_size - 1;
    for (int i = start; i < m_size; ++i) {
        if (burstStart.timeMs - newest(i).timeMs >= BaselineWindowMs) {
            baseline = i;
            break;
        }
    }
    const Sample &baselineStart = newest(baseline);
    burst.bytes = totalBytes >= burstStart.bytes ? totalBytes - burstStart.bytes : 0;
    burst.windowMs = nowMs - burstStart.timeMs;
    const qint64 baselineMs = burstStart.timeMs - baselineStart.timeMs;
    if (baselineMs > 0 && burstStart.bytes >= baselineStart.bytes)
        burst.expectedBytes
            = double(burstStart.bytes - baselineStart.bytes) * BurstWindowMs / double(baselineMs);

    qint64 previous = nowMs;
    for (int i = 0; i < m_size; ++i) {
        const qint64 time = newest(i).timeMs;
        burst.longestPauseMs = std::max(burst.longestPauseMs, previous - time);
        if (nowMs - time > BaselineWindowMs + BurstWindowMs + BurstWindowMs)
            break;
        previous = time;
    }
    return burst;
}

} // namespace Redwire
