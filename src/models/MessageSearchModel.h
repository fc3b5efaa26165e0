#pragma once

#include "chat/ChatConfig.h"
#include "chat/MessageSearch.h"

#include <QAbstractListModel>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

namespace Redwire {

class ChatRoom;
class CommandConnection;

// The results of searching the room in view (Ctrl+F), newest first, with the search's progress
// in words for the search bar.
class MessageSearchModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Provided by ChatController")
    Q_PROPERTY(QString text READ text NOTIFY progressChanged)
    Q_PROPERTY(bool searching READ isSearching NOTIFY progressChanged)
    Q_PROPERTY(int searchedCount READ searchedCount NOTIFY progressChanged)
    Q_PROPERTY(bool complete READ isComplete NOTIFY progressChanged)
    // More history is left, and the search stopped at its limit: "search further" goes on.
    Q_PROPERTY(bool canSearchFurther READ canSearchFurther NOTIFY progressChanged)
    Q_PROPERTY(QString statusText READ statusText NOTIFY progressChanged)
public:
    enum Role {
        StreamIdRole = Qt::UserRole + 1, // "streamId": where to jump
        SenderRole, // "sender"
        PlainTextRole, // "plainText"
        TimestampRole, // "timestamp": QDateTime
        ExternalRole, // "external"
    };
    Q_ENUM(Role)

    explicit MessageSearchModel(QObject *parent = nullptr);

    // Searches `room` from now on (nullptr: nothing); a running search ends.
    void setRoom(
        ChatRoom *room, CommandConnection *commands, const QString &nickname, const ChatConfig &config);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString text() const;
    bool isSearching() const;
    int searchedCount() const;
    bool isComplete() const;
    bool canSearchFurther() const;
    QString statusText() const;

    Q_INVOKABLE void search(const QString &text);
    Q_INVOKABLE void searchFurther();
    Q_INVOKABLE void clear();
    // Where result `row` is ("ms-seq"), or empty.
    Q_INVOKABLE QString streamIdAt(int row) const;

Q_SIGNALS:
    void progressChanged();

private:
    MessageSearch *m_search = nullptr;
};

} // namespace Redwire
