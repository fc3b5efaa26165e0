#include "QtEventAdapter.h"

#include "HiredisCompat.h"

#include <QLoggingCategory>

#include <algorithm>
#include <limits>

Q_DECLARE_LOGGING_CATEGORY(lcRedis)

namespace Redwire {

struct QtEventAdapterHooks
{
    static QtEventAdapter *self(void *data) { return static_cast<QtEventAdapter *>(data); }
    static void addRead(void *data) { self(data)->m_read.setEnabled(true); }
    static void delRead(void *data) { self(data)->m_read.setEnabled(false); }
    static void addWrite(void *data) { self(data)->m_write.setEnabled(true); }
    static void delWrite(void *data) { self(data)->m_write.setEnabled(false); }
    static void cleanup(void *data) { self(data)->detach(); }
#if REDWIRE_HIREDIS_HAS_TIMER_HOOK
    static void scheduleTimer(void *data, struct timeval tv)
    {
        const qint64 ms = qint64(tv.tv_sec) * 1000 + (tv.tv_usec + 999) / 1000;
        self(data)->m_timer.start(int(std::clamp<qint64>(ms, 0, std::numeric_limits<int>::max())));
    }
#endif
};

QtEventAdapter *QtEventAdapter::attach(redisAsyncContext *context, Handlers handlers, QObject *parent)
{
    if (context->ev.data != nullptr)
        return nullptr;
    auto *adapter = new QtEventAdapter(context, int(context->c.fd), std::move(handlers), parent);
    context->ev.data = adapter;
    context->ev.addRead = &QtEventAdapterHooks::addRead;
    context->ev.delRead = &QtEventAdapterHooks::delRead;
    context->ev.addWrite = &QtEventAdapterHooks::addWrite;
    context->ev.delWrite = &QtEventAdapterHooks::delWrite;
    context->ev.cleanup = &QtEventAdapterHooks::cleanup;
#if REDWIRE_HIREDIS_HAS_TIMER_HOOK
    context->ev.scheduleTimer = &QtEventAdapterHooks::scheduleTimer;
#endif
    return adapter;
}

QtEventAdapter::QtEventAdapter(redisAsyncContext *context, int fd, Handlers handlers, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_read(fd, QSocketNotifier::Read)
    , m_write(fd, QSocketNotifier::Write)
    , m_handlers(std::move(handlers))
{
    m_read.setEnabled(false);
    m_write.setEnabled(false);
    m_timer.setSingleShot(true);
    connect(&m_read, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            m_handlers.readable();
    });
    connect(&m_write, &QSocketNotifier::activated, this, [this] {
        if (m_context)
            m_handlers.writable();
    });
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_context)
            m_handlers.timeout();
    });
}

void QtEventAdapter::detach()
{
    // Called by hiredis while it frees the context: from here on the context is gone.
    if (!m_context)
        return;
    m_read.setEnabled(false);
    m_write.setEnabled(false);
    m_timer.stop();
    m_context->ev.data = nullptr;
    m_context = nullptr;
    auto cleanedUp = std::move(m_handlers.cleanedUp);
    m_handlers = {};
    // We may be inside one of our own notifiers' signals: leave the deletion to the event loop.
    deleteLater();
    if (cleanedUp)
        cleanedUp();
}

} // namespace Redwire
