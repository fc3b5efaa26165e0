#pragma once

#include <QAbstractListModel>
#include <QByteArray>
#include <QList>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

// The Monitor's subscriptions as the page shows them: one row per channel or pattern, channels
// first, each group sorted by name. A pattern that watches a database's keys
// (`__keyspace@<db>__:<keys>`, as MonitorController::addKeyWatch subscribes) is a Keyspace row
// with its database and key pattern. setTopics() inserts and removes rows, never resets.
class MonitorTopicModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by MonitorController")
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Kind {
        Channel, // SUBSCRIBE
        Pattern, // PSUBSCRIBE
        Keyspace, // PSUBSCRIBE to one database's keyspace channels
        ShardChannel, // SSUBSCRIBE (sharded Pub/Sub, Redis 7)
    };
    Q_ENUM(Kind)

    enum Roles {
        KindRole = Qt::UserRole + 1, // "kind": a Kind
        NameRole, // "name": QString, the channel or pattern as subscribed
        DbRole, // "db": int, the watched database (Keyspace), -1 otherwise
        KeyPatternRole, // "keyPattern": QString, the watched keys (Keyspace), empty otherwise
        LabelRole, // "label": QString, what a chip shows
    };
    Q_ENUM(Roles)

    struct Topic
    {
        Kind kind = Channel;
        QByteArray name; // as subscribed (any bytes)
        QString text; // name as text, for sorting and showing
        int db = -1;
        QString keyPattern;
    };

    explicit MonitorTopicModel(QObject *parent = nullptr);

    // Makes the rows match these subscriptions (in any order): rows no longer subscribed are
    // removed, new ones inserted where they sort; unchanged rows stay.
    void setTopics(const QList<QByteArray> &channels, const QList<QByteArray> &patterns,
        const QList<QByteArray> &shardChannels = {});
    // nullptr when `row` is out of range.
    const Topic *topicAt(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void countChanged();

private:
    QList<Topic> m_topics;
};

} // namespace Redwire
