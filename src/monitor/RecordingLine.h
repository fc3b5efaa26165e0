#pragma once

#include <QByteArray>
#include <QString>

namespace Redwire {

// One line of a JSON Lines recording (what Record and `redwire-monitor --format jsonl` write),
// read back for a replay: a message with its time, channel and payload (the `_base64` fields
// decoded), an event line such as a gap, a blank line, or a malformed line with the reason.
struct RecordingLine
{
    enum class Kind { Message, Event, Blank, Malformed };

    Kind kind = Kind::Blank;
    qint64 timestampMs = 0;
    QByteArray channel;
    QByteArray payload;
    bool sharded = false; // recorded from a shard channel: replayed with SPUBLISH
    QString problem; // why a line is malformed, for people

    // `line` may end with "\n" or "\r\n".
    static RecordingLine parse(const QByteArray &line);
};

} // namespace Redwire
