#pragma once

#include <QString>
#include <QtGlobal>

namespace Redwire {

// The chat engine's limits and timings. The defaults are what docs/PROTOCOL.md describes; tests
// shorten the intervals.
struct ChatConfig
{
    // Entries kept in each room's history stream (XADD MAXLEN ~ historyLength).
    int historyLength = 10000;
    // A payload larger than this is not parsed: it is shown as plain text, cut, with a marker.
    int payloadLimitBytes = 64 * 1024;

    // Every member of a room refreshes its presence this often ...
    int presenceIntervalMs = 10000;
    // ... and drops out when it has not done so for this long (a crashed client is gone from
    // everyone's member list within presenceTtlMs + presenceIntervalMs).
    int presenceTtlMs = 30000;

    // Without keyboard or mouse input (or with the window inactive) this long, the user shows as
    // away (redwire:{user:<me>}:presence).
    int awayAfterMs = 5 * 60 * 1000;

    // At most one outgoing typing notice per room per interval while the user types.
    int typingIntervalMs = 3000;
    // Someone else's typing state ends this long after their last notice (or at their message).
    int typingTimeoutMs = 6000;

    // Messages read on joining a room, and per older page.
    int pageSize = 50;
    // Entries per XRANGE when catching up after a reconnect.
    int catchUpPageSize = 200;

    // Per room, in memory; the oldest are dropped first, and re-read from the stream on demand.
    int maxMessagesInMemory = 5000;
    qint64 maxBytesInMemory = qint64(64) * 1024 * 1024;

    // How long the server remembers the ID of a sent message, so that a send repeated after a
    // lost reply is not stored twice.
    qint64 sentIdMemoryMs = qint64(24) * 3600 * 1000;

    // Delay before sending again after a transient server error (LOADING, BUSY, ...).
    int transientRetryDelayMs = 1000;

    // Where unsent messages are kept across runs (OutboxStore); empty: in memory only.
    QString outboxDirectory;
    // Where the keys pinned for other nicknames are kept, and our signing key when there is no
    // keychain (docs/PROTOCOL.md, "Signed envelopes"); empty: in memory only, a new key each run.
    QString identityDirectory;

    // Direct conversations reopened at connect, most recent first.
    int directConversationsToRestore = 50;

    // Read markers (redwire:{user:<me>}:read) are written at most this often.
    int readMarkerWriteIntervalMs = 2000;
    // Unread counts after a restart: stream entries after the marker read at most (more: "99+").
    int unreadCountLimit = 100;

    // Searching a room's history: entries per XREVRANGE, and entries searched before the search
    // stops to ask the user whether to go further.
    int searchPageSize = 500;
    int searchBatch = 5000;
    // Entries per older page when loading history up to a message (a jump, the unread divider).
    int revealPageSize = 500;
};

} // namespace Redwire
