#pragma once

#include <QDateTime>
#include <QString>

namespace RedwireSoak {

// Wall-clock milliseconds since the epoch, as the soak's records and reports use them.
inline qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A time for the report: ISO 8601, UTC, with milliseconds.
inline QString iso(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace RedwireSoak
