#pragma once

#include <QByteArray>
#include <QHashFunctions>
#include <QMetaType>

namespace Redwire {

// A Redis Stream entry ID, "<milliseconds>-<sequence>": the order of a room's stored messages.
// A default-constructed StreamId is null (a message that was never stored).
class StreamId
{
public:
    constexpr StreamId() = default;
    constexpr StreamId(quint64 ms, quint64 seq)
        : m_ms(ms)
        , m_seq(seq)
        , m_valid(true)
    { }

    // Strict: digits, '-', digits, no sign, no spaces, no overflow. A null StreamId otherwise.
    static StreamId parse(QByteArrayView text);

    bool isNull() const { return !m_valid; }
    // The largest ID before this one (null before 0-0 and for a null one).
    StreamId previous() const
    {
        if (!m_valid || (m_ms == 0 && m_seq == 0))
            return StreamId();
        return m_seq == 0 ? StreamId(m_ms - 1, ~quint64(0)) : StreamId(m_ms, m_seq - 1);
    }
    // The smallest ID after this one (the smallest of all for a null one).
    StreamId next() const
    {
        if (!m_valid)
            return StreamId(0, 0);
        return m_seq == ~quint64(0) ? StreamId(m_ms + 1, 0) : StreamId(m_ms, m_seq + 1);
    }
    quint64 milliseconds() const { return m_ms; }
    quint64 sequence() const { return m_seq; }
    QByteArray toByteArray() const;

    friend bool operator==(const StreamId &a, const StreamId &b)
    {
        return a.m_valid == b.m_valid && a.m_ms == b.m_ms && a.m_seq == b.m_seq;
    }
    friend bool operator!=(const StreamId &a, const StreamId &b) { return !(a == b); }
    // A null StreamId sorts before every real one.
    friend bool operator<(const StreamId &a, const StreamId &b)
    {
        if (a.m_valid != b.m_valid)
            return !a.m_valid;
        return a.m_ms != b.m_ms ? a.m_ms < b.m_ms : a.m_seq < b.m_seq;
    }
    friend bool operator>(const StreamId &a, const StreamId &b) { return b < a; }
    friend bool operator<=(const StreamId &a, const StreamId &b) { return !(b < a); }
    friend bool operator>=(const StreamId &a, const StreamId &b) { return !(a < b); }

private:
    quint64 m_ms = 0;
    quint64 m_seq = 0;
    bool m_valid = false;
};

inline size_t qHash(const StreamId &id, size_t seed = 0)
{
    return qHashMulti(seed, id.milliseconds(), id.sequence(), id.isNull());
}

} // namespace Redwire

Q_DECLARE_METATYPE(Redwire::StreamId)
