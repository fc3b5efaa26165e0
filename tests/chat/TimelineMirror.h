#pragma once

#include "chat/RoomTimeline.h"

#include <QObject>
#include <QStringList>

// Replays a RoomTimeline's change signals on a copy of its rows, the way a QAbstractListModel
// would, and records anything a model could not have done: an "after" without its "before",
// rows out of range. consistent() then says whether the copy equals the timeline.
class TimelineMirror
{
public:
    explicit TimelineMirror(Redwire::RoomTimeline *timeline)
        : m_timeline(timeline)
    {
        using Redwire::RoomTimeline;
        for (int row = 0; row < timeline->count(); ++row)
            m_rows.append(timeline->at(row));
        QObject::connect(
            timeline, &RoomTimeline::messagesAboutToBeInserted, &m_context, [this](int first, int last) {
                expectIdle();
                if (first < 0 || first > m_rows.size() || last < first)
                    fail(
                        QStringLiteral("insert %1..%2 into %3 rows").arg(first).arg(last).arg(m_rows.size()));
                m_pending = { 'i', first, last };
            });
        QObject::connect(timeline, &RoomTimeline::messagesInserted, &m_context, [this](int first, int last) {
            expect('i', first, last);
            for (int row = first; row <= last; ++row)
                m_rows.insert(row, m_timeline->at(row));
            ++m_inserts;
        });
        QObject::connect(
            timeline, &RoomTimeline::messagesAboutToBeRemoved, &m_context, [this](int first, int last) {
                expectIdle();
                if (first < 0 || last >= m_rows.size() || last < first)
                    fail(QStringLiteral("remove %1..%2 of %3 rows").arg(first).arg(last).arg(m_rows.size()));
                m_pending = { 'r', first, last };
            });
        QObject::connect(timeline, &RoomTimeline::messagesRemoved, &m_context, [this](int first, int last) {
            expect('r', first, last);
            m_rows.remove(first, last - first + 1);
            ++m_removes;
        });
        QObject::connect(
            timeline, &RoomTimeline::messageAboutToBeMoved, &m_context, [this](int from, int to) {
                expectIdle();
                if (from < 0 || from >= m_rows.size() || to < 0 || to >= m_rows.size())
                    fail(QStringLiteral("move %1 to %2 of %3 rows").arg(from).arg(to).arg(m_rows.size()));
                m_pending = { 'm', from, to };
            });
        QObject::connect(timeline, &RoomTimeline::messageMoved, &m_context, [this](int from, int to) {
            expect('m', from, to);
            m_rows.move(from, to);
            ++m_moves;
        });
        QObject::connect(timeline, &RoomTimeline::messageChanged, &m_context, [this](int row) {
            expectIdle();
            if (row < 0 || row >= m_rows.size())
                fail(QStringLiteral("change of row %1 of %2").arg(row).arg(m_rows.size()));
            else
                m_rows[row] = m_timeline->at(row);
        });
    }

    // Empty when the copy matches the timeline and every signal made sense.
    QString problems() const
    {
        QString problems = m_problems;
        if (m_rows.size() != m_timeline->count())
            problems += QStringLiteral("mirror has %1 rows, timeline %2; ")
                            .arg(m_rows.size())
                            .arg(m_timeline->count());
        for (int row = 0; row < qMin<int>(m_rows.size(), m_timeline->count()); ++row) {
            const Redwire::ChatMessage &a = m_rows.at(row);
            const Redwire::ChatMessage &b = m_timeline->at(row);
            if (a.id != b.id || a.text != b.text || a.streamId != b.streamId || a.delivery != b.delivery)
                problems += QStringLiteral("row %1 differs; ").arg(row);
        }
        return problems;
    }
    int inserts() const { return m_inserts; }
    int removes() const { return m_removes; }
    int moves() const { return m_moves; }

private:
    struct Pending
    {
        char kind = 0;
        int a = 0;
        int b = 0;
    };
    void fail(const QString &what) { m_problems += what + QStringLiteral("; "); }
    void expectIdle()
    {
        if (m_pending.kind)
            fail(QStringLiteral("a new change began before '%1' ended").arg(QChar(m_pending.kind)));
    }
    void expect(char kind, int a, int b)
    {
        if (m_pending.kind != kind || m_pending.a != a || m_pending.b != b)
            fail(QStringLiteral("'%1' %2,%3 ended without its beginning").arg(QChar(kind)).arg(a).arg(b));
        m_pending = {};
    }

    Redwire::RoomTimeline *m_timeline;
    QObject m_context;
    QList<Redwire::ChatMessage> m_rows;
    Pending m_pending;
    QString m_problems;
    int m_inserts = 0;
    int m_removes = 0;
    int m_moves = 0;
};
