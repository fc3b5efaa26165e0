#pragma once

#include "monitor/MonitoredMessage.h"

#include <QObject>
#include <QString>

namespace Redwire {

class MonitorMessageModel;

// The monitor entry the user clicked, kept (a copy) until another is clicked, even after the
// buffer drops it: its buffer position, a header line, its payload pretty and as it came, its
// header fields; and what the clipboard gets from it.
class MonitorSelection : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // -1: nothing selected.
    qint64 position() const { return m_position; }
    QString title() const { return m_title; }
    QString detail() const { return m_detail; }
    QString kind() const { return m_kind; }
    QString channel() const { return m_channel; }
    QString via() const { return m_via; }
    QString time() const { return m_time; }
    QString raw() const { return m_raw; }

    // Selects the entry in that row of `messages` (none for a row it does not have).
    void select(const MonitorMessageModel *messages, int row);
    void clear();
    // The payload (text as is, binary as hex digits), or the entry as a JSON Lines record, to the
    // clipboard; what happened as a sentence for the status line, empty when nothing is selected.
    QString copyPayload() const;
    QString copyAsJson() const;

Q_SIGNALS:
    void changed();

private:
    qint64 m_position = -1;
    QString m_title;
    QString m_detail;
    QString m_kind;
    QString m_channel;
    QString m_via;
    QString m_time;
    QString m_raw;
    MonitoredMessage m_message;
};

} // namespace Redwire
