#pragma once

#include <QAbstractListModel>
#include <QPointer>
#include <QTimer>

#include <array>
#include <functional>

namespace Redwire {

class ChannelMonitor;
class ChannelPalette;

// The per-channel statistics table: one row per channel the monitor has seen or the server
// listed, in the order they appeared. Rates move all the time, so the model refreshes on a timer
// (default every second): new channels as one beginInsertRows, changed numbers as one dataChanged.
// Totals and the server's figures are properties.
class ChannelStatisticsModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(double messagesPerSecond READ messagesPerSecond NOTIFY totalsChanged)
    Q_PROPERTY(double bytesPerSecond READ bytesPerSecond NOTIFY totalsChanged)
    Q_PROPERTY(qulonglong totalMessages READ totalMessages NOTIFY totalsChanged)
    Q_PROPERTY(qulonglong totalBytes READ totalBytes NOTIFY totalsChanged)
    Q_PROPERTY(qint64 serverPatternCount READ serverPatternCount NOTIFY totalsChanged)
    // Channels with subscribers on the server; Redwire's own (`__redwire:…`) only while the
    // monitor shows internal channels, else counted apart.
    Q_PROPERTY(int serverChannelCount READ serverChannelCount NOTIFY totalsChanged)
    Q_PROPERTY(int serverInternalChannelCount READ serverInternalChannelCount NOTIFY totalsChanged)
public:
    enum Roles {
        ChannelRole = Qt::UserRole + 1, // QString, control characters escaped
        OtherChannelsRole, // bool: the row that collects channels beyond the statistics' limit
        MessagesRole, // qulonglong: total messages
        BytesRole, // qulonglong: total payload bytes
        // Messages per second and payload bytes per second, averaged over the last 1 s, 10 s, 60 s.
        MessageRate1sRole, // double
        MessageRate10sRole,
        MessageRate60sRole,
        ByteRate1sRole,
        ByteRate10sRole,
        ByteRate60sRole,
        FirstSeenRole, // qint64 ms since the epoch; 0 when no message was seen
        LastSeenRole,
        SubscribersRole, // qint64 from PUBSUB NUMSUB; -1 when not known
        ListedByServerRole, // bool: in the last PUBSUB CHANNELS
        ColorRole, // QString "#rrggbb"
        ShardSubscribersRole, // qint64 from PUBSUB SHARDNUMSUB (shard channels followed); -1 when not known
    };
    Q_ENUM(Roles)

    explicit ChannelStatisticsModel(QObject *parent = nullptr);

    void setMonitor(ChannelMonitor *monitor);
    void setPalette(ChannelPalette *palette);
    void setRefreshIntervalMs(int intervalMs) { m_timer.setInterval(intervalMs); }
    // For tests: the wall clock in milliseconds since the epoch.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

    int count() const { return m_rows; }
    double messagesPerSecond() const { return m_messagesPerSecond; }
    double bytesPerSecond() const { return m_bytesPerSecond; }
    qulonglong totalMessages() const;
    qulonglong totalBytes() const;
    qint64 serverPatternCount() const;
    int serverChannelCount() const;
    int serverInternalChannelCount() const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

public Q_SLOTS:
    void refresh();

Q_SIGNALS:
    void countChanged();
    void totalsChanged();

private:
    // What a row shows that changes with time or traffic: a refresh that changes none of it
    // emits nothing, so an idle table is not redrawn every second.
    struct Shown
    {
        quint64 messages = 0;
        quint64 bytes = 0;
        double rates[6] = {};
        qint64 subscribers = 0;
        qint64 shardSubscribers = 0;
        bool listedByServer = false;
        qint64 lastSeenMs = 0;
        bool operator==(const Shown &other) const;
    };
    Shown shownAt(int row) const;
    std::array<double, 7> totalsShown() const;

    QPointer<ChannelMonitor> m_monitor;
    QPointer<ChannelPalette> m_palette;
    QTimer m_timer { this };
    std::function<qint64()> m_clock;
    qint64 m_now = 0; // the time rates are computed for, fixed per refresh
    int m_rows = 0;
    double m_messagesPerSecond = 0;
    double m_bytesPerSecond = 0;
    QList<Shown> m_shown; // per row, as last announced
    std::array<double, 7> m_totalsShown {};
};

} // namespace Redwire
