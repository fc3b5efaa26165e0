#pragma once

// The differences between hiredis 0.14 (Debian 12) and 1.x that the wrapper cares about.
// Only .cpp files of src/redis include this; no public header does.

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#if HIREDIS_MAJOR >= 1
#define REDWIRE_HIREDIS_1X 1
// The event library's timer hook (ev.scheduleTimer) and redisAsyncHandleTimeout exist.
#define REDWIRE_HIREDIS_HAS_TIMER_HOOK 1
using RedwireArrayCount = size_t;
#else
#define REDWIRE_HIREDIS_1X 0
#define REDWIRE_HIREDIS_HAS_TIMER_HOOK 0
using RedwireArrayCount = int;
#endif

#if defined(REDWIRE_HAVE_TLS) && REDWIRE_HIREDIS_1X
#include <hiredis/hiredis_ssl.h>
#define REDWIRE_TLS 1
#else
#define REDWIRE_TLS 0
#endif

// redisProcessCallbacks() is exported by every hiredis build we know (0.14 and 1.x) but declared
// in no public header. With it we read the socket ourselves in large reads and hand hiredis's
// reader small slices (see HiredisLink). CMake checks that it links; without it, hiredis reads.
#if defined(REDWIRE_HIREDIS_HAS_PROCESS_CALLBACKS)
extern "C" void redisProcessCallbacks(redisAsyncContext *ac);
#define REDWIRE_FAST_READ 1
#else
#define REDWIRE_FAST_READ 0
#endif
