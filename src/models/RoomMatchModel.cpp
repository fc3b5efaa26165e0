#include "RoomMatchModel.h"

namespace Redwire {

namespace {
// Lower case without accents, so "Café" is found by "cafe".
QString folded(const QString &text)
{
    const QString decomposed = text.normalized(QString::NormalizationForm_D);
    QString result;
    result.reserve(decomposed.size());
    for (const QChar c : decomposed)
        if (c.category() != QChar::Mark_NonSpacing)
            result.append(c.toCaseFolded());
    return result;
}

bool isWordStart(const QString &text, int i)
{
    return i == 0 || !text.at(i - 1).isLetterOrNumber();
}

// Whether query[q...] appears in order in text[t...].
bool restMatches(const QString &query, int q, const QString &text, int t)
{
    for (; q < query.size() && t < text.size(); ++t)
        if (text.at(t) == query.at(q))
            ++q;
    return q == query.size();
}
} // namespace

RoomMatchModel::RoomMatchModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    sort(0);
}

void RoomMatchModel::setRooms(RoomListModel *rooms)
{
    if (rooms == m_rooms)
        return;
    m_rooms = rooms;
    setSourceModel(rooms);
    sort(0);
    Q_EMIT roomsChanged();
}

void RoomMatchModel::setQuery(const QString &query)
{
    if (query == m_query)
        return;
    m_query = query;
    invalidate();
    Q_EMIT queryChanged();
}

int RoomMatchModel::sourceRow(int row) const
{
    return mapToSource(index(row, 0)).row();
}

// Left to right, each character at its first place unless a place further on continues a run
// or starts a word and the rest of the query still fits after it: room names are short.
int RoomMatchModel::score(const QString &query, const QString &text)
{
    const QString q = folded(query);
    const QString t = folded(text);
    if (q.isEmpty())
        return 0;
    if (!restMatches(q, 0, t, 0))
        return -1;
    int score = 0;
    int from = 0;
    int previous = -2;
    for (int k = 0; k < q.size(); ++k) {
        int at = -1;
        for (int i = from; i < t.size(); ++i) {
            if (t.at(i) != q.at(k) || !restMatches(q, k + 1, t, i + 1))
                continue;
            if (at < 0)
                at = i;
            if (i == previous + 1 || isWordStart(t, i)) {
                at = i;
                break;
            }
        }
        if (at < 0)
            return -1;
        score += 1;
        if (at == previous + 1)
            score += 5; // a run
        if (isWordStart(t, at))
            score += 3;
        if (at == 0)
            score += 8; // a prefix
        previous = at;
        from = at + 1;
    }
    // Of two equal matches, the shorter name is the closer one.
    return score * 100 - std::min<int>(int(t.size()), 99);
}

int RoomMatchModel::scoreOf(int sourceRow) const
{
    if (!m_rooms)
        return -1;
    const QModelIndex index = m_rooms->index(sourceRow);
    QString query = m_query.trimmed();
    const bool direct = m_rooms->data(index, RoomListModel::DirectRole).toBool();
    if (query.startsWith(QLatin1Char('#')) || query.startsWith(QLatin1Char('@'))) {
        if ((query.at(0) == QLatin1Char('@')) != direct)
            return -1;
        query.remove(0, 1);
    }
    return score(query, m_rooms->data(index, RoomListModel::NameRole).toString());
}

bool RoomMatchModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    return !sourceParent.isValid() && scoreOf(sourceRow) >= 0;
}

bool RoomMatchModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int a = scoreOf(left.row());
    const int b = scoreOf(right.row());
    if (a != b)
        return a > b;
    return left.row() < right.row();
}

} // namespace Redwire
