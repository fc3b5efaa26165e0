#include "TimestampFormatter.h"

#include "ByteAppend.h"

#include <QDateTime>

namespace Redwire {

void TimestampFormatter::append(qint64 msSinceEpoch, QByteArray &out)
{
    // Floor division, so that times before the epoch still get their own second.
    qint64 second = msSinceEpoch / 1000;
    qint64 millis = msSinceEpoch % 1000;
    if (millis < 0) {
        millis += 1000;
        --second;
    }
    if (!m_haveCache || second != m_cachedSecond) {
        const QDateTime time = QDateTime::fromMSecsSinceEpoch(
            second * 1000, m_style == Style::IsoUtc ? Qt::UTC : Qt::LocalTime);
        m_prefix = time.toString(m_style == Style::IsoUtc ? QStringLiteral("yyyy-MM-ddTHH:mm:ss.")
                                                          : QStringLiteral("HH:mm:ss."))
                       .toLatin1();
        m_cachedSecond = second;
        m_haveCache = true;
    }
    const char digits[4]
        = { char('0' + millis / 100), char('0' + millis / 10 % 10), char('0' + millis % 10), 'Z' };
    ByteAppend::bytes(out, m_prefix);
    ByteAppend::bytes(out, digits, m_style == Style::IsoUtc ? 4 : 3);
}

QByteArray TimestampFormatter::format(qint64 msSinceEpoch)
{
    QByteArray out;
    append(msSinceEpoch, out);
    return out;
}

} // namespace Redwire
