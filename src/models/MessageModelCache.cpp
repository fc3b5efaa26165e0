#include "MessageModelCache.h"

#include "MessageListModel.h"

namespace Redwire {

MessageModelCache::MessageModelCache(QObject *parent)
    : QObject(parent)
    , m_empty(new MessageListModel(nullptr, this))
{ }

MessageListModel *MessageModelCache::modelFor(ChatRoom *room)
{
    if (!room)
        return m_empty;
    MessageListModel *&model = m_models[room];
    if (!model)
        model = new MessageListModel(room, this);
    return model;
}

void MessageModelCache::drop(ChatRoom *room)
{
    if (MessageListModel *model = m_models.take(room))
        model->deleteLater();
}

void MessageModelCache::clear()
{
    qDeleteAll(m_models);
    m_models.clear();
}

} // namespace Redwire
