#pragma once

#include <QObject>
#include <QSocketNotifier>
#include <QTimer>

#include <functional>

struct redisAsyncContext;

namespace Redwire {

// Binds one redisAsyncContext's event hooks to Qt's event loop: one read and one write
// QSocketNotifier for the connection's lifetime, switched with setEnabled (hiredis's own
// adapters/qt.h creates and deletes a notifier for every command written), and a QTimer for
// hiredis 1.x's timer hook. Hooks are idempotent. hiredis calls cleanup() when it frees the
// context; after that the adapter does nothing and deletes itself from the event loop.
class QtEventAdapter : public QObject
{
    Q_OBJECT
public:
    struct Handlers
    {
        std::function<void()> readable;
        std::function<void()> writable;
        std::function<void()> timeout;
        std::function<void()> cleanedUp;
    };

    // Returns nullptr when the context already has an event library attached.
    static QtEventAdapter *attach(redisAsyncContext *context, Handlers handlers, QObject *parent);

private:
    QtEventAdapter(redisAsyncContext *context, int fd, Handlers handlers, QObject *parent);

    // The C hooks hiredis calls (defined in the .cpp, where hiredis's types are known).
    friend struct QtEventAdapterHooks;
    void detach();

    redisAsyncContext *m_context;
    QSocketNotifier m_read;
    QSocketNotifier m_write;
    QTimer m_timer;
    Handlers m_handlers;
};

} // namespace Redwire
