#include "StreamId.h"

#include <limits>

namespace Redwire {

namespace {
// Parses a run of decimal digits into *value; false when empty, not all digits, or too big.
bool parseNumber(QByteArrayView digits, quint64 *value)
{
    if (digits.isEmpty() || digits.size() > 20)
        return false;
    quint64 result = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return false;
        const quint64 digit = quint64(c - '0');
        if (result > (std::numeric_limits<quint64>::max() - digit) / 10)
            return false;
        result = result * 10 + digit;
    }
    *value = result;
    return true;
}
} // namespace

StreamId StreamId::parse(QByteArrayView text)
{
    const qsizetype dash = text.indexOf('-');
    if (dash <= 0)
        return {};
    quint64 ms = 0;
    quint64 seq = 0;
    if (!parseNumber(text.first(dash), &ms) || !parseNumber(text.sliced(dash + 1), &seq))
        return {};
    return StreamId(ms, seq);
}

QByteArray StreamId::toByteArray() const
{
    if (!m_valid)
        return {};
    return QByteArray::number(m_ms) + '-' + QByteArray::number(m_seq);
}

} // namespace Redwire
