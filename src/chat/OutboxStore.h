#pragma once

#include "Outbox.h"

#include <QList>
#include <QString>

namespace Redwire {

// The outbox on disk, so that messages typed but not yet stored by the server survive a crash
// or a kill: one JSON file per server and nickname, written whole and atomically (a temporary
// file renamed over the old one) after every change, readable by its owner only (0600, in a
// 0700 folder). A message sent again after a restart is not stored twice: the send script
// remembers the IDs it stored (docs/PROTOCOL.md).
class OutboxStore
{
public:
    // `directory` empty: nothing is kept.
    OutboxStore(const QString &directory, const QString &serverKey, const QString &nickname);

    bool isEnabled() const { return !m_path.isEmpty(); }
    QString path() const { return m_path; }
    // The items saved last time (in flight ones as queued); an unreadable file gives none and
    // says why in `error` (it is kept aside as <file>.bad, not overwritten).
    QList<Outbox::Item> load(QString *error = nullptr) const;
    bool save(const QList<Outbox::Item> &items, QString *error = nullptr) const;

private:
    QString m_nickname;
    QString m_path;
};

} // namespace Redwire
