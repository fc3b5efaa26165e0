// The Monitor view under load: the app's MonitorPage (ui/MonitorPage.qml) on a real, rendering
// QQuickWindow, fed by a MonitorController subscribed to a pattern, while run-monitor-view-bench.sh
// publishes at a fixed rate. Measures whether the GUI thread's event loop stays responsive and
// whether memory follows the ring buffer's bound rather than the number of messages.
//
//   bench_monitor_view --port P [--pattern bench.*] [--seconds S] [--load-seconds L]
//                      [--warmup W] [--capacity C] [--timeout T]
//
// Run with QT_QPA_PLATFORM=offscreen. After the page is shown and the pattern is subscribed, it
// prints READY; the driver then starts the publisher. The run lasts S seconds from READY; the
// publisher is expected to run for the first L seconds (L <= S, default S). Statistics of the load
// are taken over [W, L], the "loaded window"; the worst timer gap is also given for the whole run.
//
// Measures:
//   - gaps between ticks of a 10 ms Qt::PreciseTimer on the GUI thread (max, p99, p50, and how many
//     exceeded 50 ms and 100 ms), over the loaded window and over the whole run;
//   - frames rendered (QQuickWindow::frameSwapped) per second, over the loaded window, and before
//     the load (the idle page);
//   - messages the monitor received (ChannelMonitor::receivedCount), held in the buffer (the
//     model's row count) and dropped from the buffer;
//   - CPU time of the process (all threads) per second of the loaded window, in % of one core;
//   - VmRSS and VmHWM from /proc/self/status: at start, after the page is shown, at READY, at the
//     end of the warm-up, the highest sample in the loaded window, and at the end.
// One line per second on stderr (progress), and one machine-readable RESULT line on stdout.
#include "models/MonitorController.h"
#include "monitor/ChannelMonitor.h"
#include "monitor/MonitorMessageModel.h"
#include "redis/RedisClient.h"
#include "redis/SubscriberConnection.h"

#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

namespace {

struct Memory
{
    long rssKb = -1;
    long hwmKb = -1;
};

Memory readMemory()
{
    Memory m;
    if (FILE *f = std::fopen("/proc/self/status", "r")) {
        char line[256];
        while (std::fgets(line, sizeof line, f)) {
            if (std::strncmp(line, "VmRSS:", 6) == 0)
                m.rssKb = std::strtol(line + 6, nullptr, 10);
            else if (std::strncmp(line, "VmHWM:", 6) == 0)
                m.hwmKb = std::strtol(line + 6, nullptr, 10);
        }
        std::fclose(f);
    }
    return m;
}

// CPU time of the whole process (every thread), user + system, in seconds.
double cpuSeconds()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
        + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double mb(long kb)
{
    return kb < 0 ? -1.0 : double(kb) / 1024.0;
}

struct GapStats
{
    double maxMs = 0, p99Ms = 0, p50Ms = 0;
    long over50 = 0, over100 = 0, ticks = 0;
};

GapStats gapStats(std::vector<double> gaps)
{
    GapStats s;
    s.ticks = long(gaps.size());
    if (gaps.empty())
        return s;
    std::sort(gaps.begin(), gaps.end());
    auto pct = [&gaps](double p) {
        size_t i = size_t(p * double(gaps.size() - 1) + 0.5);
        return gaps[std::min(i, gaps.size() - 1)];
    };
    s.maxMs = gaps.back();
    s.p99Ms = pct(0.99);
    s.p50Ms = pct(0.50);
    for (double g : gaps) {
        s.over50 += g > 50.0;
        s.over100 += g > 100.0;
    }
    return s;
}

void usage(const char *argv0)
{
    std::fprintf(stderr,
        "usage: %s --port P [--host H] [--pattern bench.*] [--seconds S] [--load-seconds L] "
        "[--warmup W] [--capacity C] [--timeout T]\n",
        argv0);
}

} // namespace

int main(int argc, char *argv[])
{
    QString host = QStringLiteral("127.0.0.1");
    int port = 0;
    QByteArray pattern = "bench.*";
    double seconds = 20, loadSeconds = -1, warmup = 5, timeout = 60;
    int capacity = 100000;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) {
            usage(argv[0]);
            return 2;
        }
        const char *key = argv[i];
        const char *value = argv[i + 1];
        if (!std::strcmp(key, "--port"))
            port = std::atoi(value);
        else if (!std::strcmp(key, "--host"))
            host = QString::fromLocal8Bit(value);
        else if (!std::strcmp(key, "--pattern"))
            pattern = value;
        else if (!std::strcmp(key, "--seconds"))
            seconds = std::atof(value);
        else if (!std::strcmp(key, "--load-seconds"))
            loadSeconds = std::atof(value);
        else if (!std::strcmp(key, "--warmup"))
            warmup = std::atof(value);
        else if (!std::strcmp(key, "--capacity"))
            capacity = std::atoi(value);
        else if (!std::strcmp(key, "--timeout"))
            timeout = std::atof(value);
        else {
            usage(argv[0]);
            return 2;
        }
    }
    if (loadSeconds < 0 || loadSeconds > seconds)
        loadSeconds = seconds;
    if (port <= 0 || seconds <= 0 || warmup < 0 || warmup >= loadSeconds || capacity < 100) {
        usage(argv[0]);
        return 2;
    }

    const Memory atStart = readMemory();
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("bench_monitor_view"));
    QGuiApplication::setOrganizationName(QStringLiteral("RedwireBench"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("bench.redwire.invalid"));
    // As the app does (src/app/redwire/main.cpp).
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Basic"));

    // Everything below ends the run: nothing may hang the driver.
    QTimer::singleShot(int(timeout * 1000), &app, [] {
        std::printf("RESULT client=monitor-view status=timeout\n");
        std::fflush(stdout);
        std::_Exit(3);
    });

    QQmlEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    auto *controller = new Redwire::MonitorController(&app);
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Monitor", controller);
    QList<QQmlError> warnings;
    QObject::connect(&engine, &QQmlEngine::warnings, &app, [&warnings](const QList<QQmlError> &w) {
        for (const QQmlError &e : w)
            std::fprintf(stderr, "qml: %s\n", qPrintable(e.toString()));
        warnings << w;
    });

    QQmlComponent component(&engine);
    component.setData("import QtQuick\nimport Redwire.Ui\nimport Redwire.Models\n"
                      "Window {\n"
                      "    width: 1280; height: 800; visible: true\n"
                      "    MonitorPage { monitor: Monitor; width: 1280; height: 800 }\n"
                      "}\n",
        QUrl(QStringLiteral("qrc:/bench_monitor_view.qml")));
    std::unique_ptr<QObject> root(component.create());
    auto *window = qobject_cast<QQuickWindow *>(root.get());
    if (!window) {
        std::fprintf(stderr, "cannot load the page: %s\n", qPrintable(component.errorString()));
        std::printf("RESULT client=monitor-view status=load-error\n");
        return 1;
    }

    // frameSwapped comes from the render thread with a threaded render loop.
    std::atomic<long> frames { 0 };
    QObject::connect(
        window, &QQuickWindow::frameSwapped, window,
        [&frames] { frames.fetch_add(1, std::memory_order_relaxed); }, Qt::DirectConnection);

    // The probe: a 10 ms precise timer on the GUI thread. Every gap between two ticks is kept.
    QElapsedTimer clock;
    clock.start();
    std::vector<double> gapAt; // seconds since READY of the tick that ended each gap
    std::vector<double> gaps; // milliseconds
    gapAt.reserve(size_t(seconds * 110) + 1000);
    gaps.reserve(size_t(seconds * 110) + 1000);
    qint64 lastTickNs = -1;
    qint64 readyNs = -1;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, &app, [&] {
        const qint64 t = clock.nsecsElapsed();
        if (lastTickNs >= 0 && readyNs >= 0) {
            gaps.push_back(double(t - lastTickNs) / 1e6);
            gapAt.push_back(double(t - readyNs) / 1e9);
        }
        lastTickNs = t;
    });
    probe.start();

    // Let the page show and render its first frames, then measure the idle page for a second.
    const Memory atShown = [&] {
        QElapsedTimer wait;
        wait.start();
        while (frames.load() == 0 && wait.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        return readMemory();
    }();
    if (frames.load() == 0) {
        std::fprintf(stderr, "the window rendered no frame\n");
        std::printf("RESULT client=monitor-view status=no-frames\n");
        return 1;
    }
    QString api = QStringLiteral("unknown");
    if (QSGRendererInterface *ri = window->rendererInterface()) {
        switch (ri->graphicsApi()) {
        case QSGRendererInterface::Software:
            api = QStringLiteral("software");
            break;
        case QSGRendererInterface::OpenGL:
            api = QStringLiteral("opengl");
            break;
        case QSGRendererInterface::Vulkan:
            api = QStringLiteral("vulkan");
            break;
        default:
            api = QStringLiteral("other-%1").arg(int(ri->graphicsApi()));
            break;
        }
    }

    Redwire::ConnectionOptions options;
    options.host = host;
    options.port = quint16(port);
    controller->setBufferCapacity(capacity);
    controller->start(options);
    controller->addTopic(QString::fromUtf8(pattern));
    Redwire::ChannelMonitor *monitor = controller->monitor();
    Redwire::MonitorMessageModel *model = controller->messages();

    // Idle frames: one second of the shown page, connected, before any load.
    long idleFrames = 0;
    bool subscribed = false;
    QObject::connect(monitor->client()->subscriber(), &Redwire::SubscriberConnection::subscribed, &app,
        [&subscribed, &pattern](Redwire::SubscriberConnection::TopicKind kind, const QByteArray &name) {
            if (kind == Redwire::SubscriberConnection::TopicKind::Pattern && name == pattern)
                subscribed = true;
        });
    {
        QElapsedTimer wait;
        wait.start();
        while (!subscribed && wait.elapsed() < 10000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (!subscribed) {
            std::fprintf(stderr, "not subscribed after 10 s\n");
            std::printf("RESULT client=monitor-view status=not-subscribed\n");
            return 1;
        }
        const long before = frames.load();
        QElapsedTimer idle;
        idle.start();
        while (idle.elapsed() < 1000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        idleFrames = frames.load() - before;
    }

    const Memory atReady = readMemory();
    readyNs = clock.nsecsElapsed();
    lastTickNs = -1; // gaps start at the first tick after READY
    std::printf("READY api=%s\n", qPrintable(api));
    std::fflush(stdout);

    // Per-second samples; the loaded window's figures come from them.
    struct Sample
    {
        double t;
        long frames;
        quint64 received;
        int rows;
        Memory mem;
        double cpu;
    };
    std::vector<Sample> samples;
    samples.push_back(
        { 0.0, frames.load(), monitor->receivedCount(), model->count(), atReady, cpuSeconds() });
    QTimer sampler;
    sampler.setInterval(1000);
    bool disconnected = false;
    QObject::connect(
        monitor, &Redwire::ChannelMonitor::connectedChanged, &app, [&disconnected](bool connected) {
            if (!connected) {
                disconnected = true;
                std::fprintf(stderr, "monitor: disconnected from the server\n");
            }
        });
    QObject::connect(&sampler, &QTimer::timeout, &app, [&] {
        const double t = double(clock.nsecsElapsed() - readyNs) / 1e9;
        const Sample s { t, frames.load(), monitor->receivedCount(), model->count(), readMemory(),
            cpuSeconds() };
        const Sample &prev = samples.back();
        std::fprintf(stderr, "t=%5.1fs msgs/s=%7.0f frames/s=%5.1f cpu=%3.0f%% rows=%d rss=%.1fMB\n", t,
            double(s.received - prev.received) / (t - prev.t), double(s.frames - prev.frames) / (t - prev.t),
            100.0 * (s.cpu - prev.cpu) / (t - prev.t), s.rows, mb(s.mem.rssKb));
        samples.push_back(s);
    });
    sampler.start();
    QTimer::singleShot(int(seconds * 1000), &app, &QCoreApplication::quit);
    app.exec();
    sampler.stop();
    probe.stop();

    const double endT = double(clock.nsecsElapsed() - readyNs) / 1e9;
    const Sample last { endT, frames.load(), monitor->receivedCount(), model->count(), readMemory(),
        cpuSeconds() };
    samples.push_back(last);

    // The loaded window [warmup, loadSeconds]: the samples nearest to its edges.
    auto nearest = [&samples](double t) {
        const Sample *best = &samples.front();
        for (const Sample &s : samples)
            if (std::abs(s.t - t) < std::abs(best->t - t))
                best = &s;
        return *best;
    };
    const Sample w0 = nearest(warmup);
    const Sample w1 = nearest(loadSeconds);
    const double span = w1.t - w0.t;
    long peakRss = -1;
    for (const Sample &s : samples)
        if (s.t >= w0.t && s.t <= w1.t)
            peakRss = std::max(peakRss, s.mem.rssKb);

    std::vector<double> loadedGaps;
    for (size_t i = 0; i < gaps.size(); ++i)
        if (gapAt[i] >= w0.t && gapAt[i] <= w1.t)
            loadedGaps.push_back(gaps[i]);
    const GapStats loaded = gapStats(loadedGaps);
    const GapStats whole = gapStats(gaps);
    double worstAt = -1;
    for (size_t i = 0; i < gaps.size(); ++i)
        if (gaps[i] == whole.maxMs)
            worstAt = gapAt[i];

    const bool ok = !disconnected && warnings.isEmpty() && span > 0;
    std::printf("RESULT client=monitor-view api=%s capacity=%d seconds=%.3f warmup=%.1f load_seconds=%.1f "
                "received=%llu accepted=%llu rows=%d buffer_dropped=%llu "
                "rate_loaded=%.0f fps_loaded=%.1f fps_idle=%ld frames=%ld cpu_loaded=%.0f "
                "gap_max=%.2f gap_p99=%.2f gap_p50=%.2f gaps_over50=%ld gaps_over100=%ld ticks=%ld "
                "gap_max_all=%.2f gap_max_all_at=%.2f gap_p99_all=%.2f ticks_all=%ld "
                "rss_start=%.1f rss_shown=%.1f rss_ready=%.1f rss_warm=%.1f rss_peak=%.1f rss_end=%.1f "
                "hwm_end=%.1f disconnected=%d qml_warnings=%lld status=%s\n",
        qPrintable(api), capacity, endT, warmup, loadSeconds, (unsigned long long)monitor->receivedCount(),
        (unsigned long long)monitor->acceptedCount(), last.rows,
        (unsigned long long)monitor->bufferDroppedCount(),
        span > 0 ? double(w1.received - w0.received) / span : 0.0,
        span > 0 ? double(w1.frames - w0.frames) / span : 0.0, idleFrames, last.frames,
        span > 0 ? 100.0 * (w1.cpu - w0.cpu) / span : 0.0, loaded.maxMs, loaded.p99Ms, loaded.p50Ms,
        loaded.over50, loaded.over100, loaded.ticks, whole.maxMs, worstAt, whole.p99Ms, whole.ticks,
        mb(atStart.rssKb), mb(atShown.rssKb), mb(atReady.rssKb), mb(w0.mem.rssKb), mb(peakRss),
        mb(last.mem.rssKb), mb(last.mem.hwmKb), int(disconnected), (long long)warnings.size(),
        ok ? "ok" : "error");
    std::fflush(stdout);
    QObject::disconnect(monitor, nullptr, &app, nullptr);
    controller->stop();
    root.reset();
    return ok ? 0 : 1;
}
