#include "ReconnectBackoff.h"

#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace Redwire {

ReconnectBackoff::ReconnectBackoff(const ReconnectPolicy &policy)
    : m_policy(policy)
    , m_random([] { return QRandomGenerator::global()->generateDouble(); })
{ }

int ReconnectBackoff::nextDelayMs()
{
    ++m_attempt;
    // Grow in floating point and cap before converting, so that many attempts cannot overflow.
    const double exponent = std::min(m_attempt - 1, 64);
    const double base = std::min(double(m_policy.maxDelayMs),
        double(m_policy.initialDelayMs) * std::pow(m_policy.multiplier, exponent));
    const double jittered = base * (1.0 - m_policy.jitter * m_random());
    return std::max(1, int(std::lround(jittered)));
}

} // namespace Redwire
