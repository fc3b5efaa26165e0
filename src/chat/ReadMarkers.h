#pragma once

#include "ChatConfig.h"
#include "StreamId.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace Redwire {

class CommandConnection;
class RoomAddress;

// One nickname's read markers: per conversation, the newest stream ID the user has seen. Kept in
// the hash redwire:{user:<me>}:read (channel -> stream ID) so that every device of the user sees
// them; read at every connect and again when another device says it moved one (a message on the
// user's channel redwire:{user:<me>}:read-moved), written at most once per interval, never moved
// backwards (a script compares with what another device wrote).
class ReadMarkers : public QObject
{
    Q_OBJECT
public:
    ReadMarkers(CommandConnection *commands, const ChatConfig &config, QObject *parent = nullptr);

    // The hash belongs to this nickname; set before connecting.
    void setNickname(const QString &nickname);
    // Whether the server's markers have been read since the last connect began.
    bool isLoaded() const { return m_loaded; }
    // The marker of a conversation (null when it has none).
    StreamId marker(const RoomAddress &address) const;
    // Moves the marker forward (never back) and schedules the write.
    void advance(const RoomAddress &address, const StreamId &readUpTo);
    // Writes what is pending now (before disconnecting on purpose); writesSettled() tells when
    // the server has answered every write.
    void flush();
    int writesInFlight() const { return m_writesInFlight; }
    // Reads the server's markers again (soon; several calls in a row make one read).
    void reload();

Q_SIGNALS:
    // The markers were read from the server (each connect).
    void loaded();
    // The server's marker of `channel` is ahead of ours (another device read further).
    void markerMoved(const QByteArray &channel);
    // No write is waiting for the server's answer any more.
    void writesSettled();

private:
    void load();
    void write();

    CommandConnection *m_commands;
    QByteArray m_key;
    QByteArray m_movedChannel;
    QHash<QByteArray, StreamId> m_markers; // by channel
    QSet<QByteArray> m_dirty;
    QTimer m_writeTimer;
    QTimer m_reloadTimer;
    int m_writesInFlight = 0;
    bool m_loaded = false;
    quint64 m_loadGeneration = 0;
};

} // namespace Redwire
