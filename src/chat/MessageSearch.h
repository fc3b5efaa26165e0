#pragma once

#include "ChatConfig.h"
#include "StreamId.h"

#include <QList>
#include <QObject>

namespace Redwire {

class CommandConnection;
class RoomTimeline;
class RedisReply;

// Searches one conversation for a text (case-insensitive): first the messages the timeline
// holds, then the history stream on the server, newest first, in pages (XREVRANGE (before -
// COUNT n). It stops after `searchBatch` entries and waits for searchFurther(), so that a search
// never reads a whole long history unasked.
class MessageSearch : public QObject
{
    Q_OBJECT
public:
    struct Hit
    {
        StreamId streamId;
        QString sender;
        QString text;
        qint64 timestampMs = 0;
        bool external = false;
    };

    MessageSearch(CommandConnection *commands, const RoomTimeline *timeline, const QByteArray &historyKey,
        const QString &nickname, const ChatConfig &config, QObject *parent = nullptr);

    // Starts a new search (an empty text clears).
    void start(const QString &text);
    // Searches the next batch of older history.
    void searchFurther();
    void cancel();

    QString text() const { return m_text; }
    const QList<Hit> &hits() const { return m_hits; }
    bool isRunning() const { return m_running; }
    // Messages and stream entries looked at so far.
    int searchedCount() const { return m_searched; }
    // The whole history has been searched.
    bool isComplete() const { return m_complete; }
    // The last read failed (why, translated); empty otherwise.
    QString error() const { return m_error; }

Q_SIGNALS:
    void hitsAdded(int first, int last);
    void hitsCleared();
    // Running, searched count, complete or error changed.
    void progressChanged();

private:
    void requestPage();
    void pageRead(const RedisReply &reply);
    bool matches(const QString &text) const;

    CommandConnection *m_commands;
    const RoomTimeline *m_timeline;
    const QByteArray m_key;
    const QString m_nickname;
    const ChatConfig m_config;
    QString m_text;
    QList<Hit> m_hits;
    StreamId m_before; // the server search goes on below this ID (exclusive); null: from the end
    bool m_fromEnd = false;
    int m_searched = 0;
    int m_batchEnd = 0;
    int m_asked = 0; // COUNT of the page in flight
    bool m_running = false;
    bool m_complete = false;
    QString m_error;
    quint64 m_generation = 0;
};

} // namespace Redwire
