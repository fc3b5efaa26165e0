#pragma once

#include "RoomListModel.h"

#include <QPointer>
#include <QSortFilterProxyModel>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// The quick switcher's list: the rooms and direct conversations whose name matches what the user
// typed, loosely ("gnc" finds "general-chat"), best match first. "#..." looks only at rooms,
// "@..." only at direct conversations; an empty query keeps the room list's order.
class RoomMatchModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(Redwire::RoomListModel *rooms READ rooms WRITE setRooms NOTIFY roomsChanged)
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
public:
    explicit RoomMatchModel(QObject *parent = nullptr);

    RoomListModel *rooms() const { return m_rooms; }
    void setRooms(RoomListModel *rooms);
    QString query() const { return m_query; }
    void setQuery(const QString &query);
    // The row in `rooms` of this model's `row` (what RoomListModel::select takes), or -1.
    Q_INVOKABLE int sourceRow(int row) const;

    // How well `query` matches `text`: -1 when its characters do not all appear in order (case
    // and accents aside); higher for a prefix, for matches at word starts and for runs.
    static int score(const QString &query, const QString &text);

Q_SIGNALS:
    void roomsChanged();
    void queryChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    int scoreOf(int sourceRow) const;

    QPointer<RoomListModel> m_rooms;
    QString m_query;
};

} // namespace Redwire
