#pragma once

#include "ConnectionOptions.h"

#include <functional>

namespace Redwire {

// Computes the delay before each reconnect attempt: initial * multiplier^(attempt-1), capped at
// the maximum, minus up to `jitter` of it at random so that many clients do not retry in step.
class ReconnectBackoff
{
public:
    explicit ReconnectBackoff(const ReconnectPolicy &policy = {});

    void setPolicy(const ReconnectPolicy &policy) { m_policy = policy; }
    const ReconnectPolicy &policy() const { return m_policy; }

    // Counts one more failed attempt and returns the delay before the next one, in ms.
    int nextDelayMs();
    void reset() { m_attempt = 0; }
    int attempt() const { return m_attempt; }

    // For tests: a source of numbers in [0, 1).
    void setRandomSource(std::function<double()> source) { m_random = std::move(source); }

private:
    ReconnectPolicy m_policy;
    int m_attempt = 0;
    std::function<double()> m_random;
};

} // namespace Redwire
