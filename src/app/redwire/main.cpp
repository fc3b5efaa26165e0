// The Redwire desktop app: parses the command line, sets up the controllers and shows ui/Main.qml.
#include "desktop/LaunchOptions.h"
#include "desktop/Translations.h"
#include "models/ChatController.h"
#include "models/ChatSettings.h"
#include "models/ConnectionController.h"
#include "models/MonitorController.h"

#include <QGuiApplication>
#include <QIcon>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QStandardPaths>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>
#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

int main(int argc, char *argv[])
{
    // The command line first: --help and --version must work without a display.
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const Redwire::LaunchOptions launch
        = Redwire::LaunchOptions::parse(arguments, qEnvironmentVariable("REDWIRE_PASSWORD"));
    if (!launch.error.isEmpty()) {
        std::fprintf(stderr, "redwire: %s\n\n%s", qPrintable(launch.error),
            qPrintable(Redwire::LaunchOptions::helpText()));
        return 2;
    }
    if (launch.showHelp) {
        std::fputs(qPrintable(Redwire::LaunchOptions::helpText()), stdout);
        return 0;
    }
    if (launch.showVersion) {
        std::printf("redwire %s\n", REDWIRE_VERSION);
        return 0;
    }

    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("Redwire"));
    QGuiApplication::setOrganizationName(QStringLiteral("Redwire"));
    QGuiApplication::setOrganizationDomain(QStringLiteral("redwire.invalid"));
    QGuiApplication::setApplicationVersion(QStringLiteral(REDWIRE_VERSION));
#ifdef REDWIRE_APP_ID
    QGuiApplication::setDesktopFileName(QStringLiteral(REDWIRE_APP_ID));
#else
    QGuiApplication::setDesktopFileName(QStringLiteral("redwire"));
#endif
    QLoggingCategory::setFilterRules(QStringLiteral("redwire.*.debug=false"));
    Redwire::installTranslations(app);

    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE"))
        QQuickStyle::setStyle(QStringLiteral("Basic"));

    auto *connection = new Redwire::ConnectionController(&app);
    if (launch.hasServer || !launch.nickname.isEmpty())
        connection->applyLaunchOptions(
            launch.hasServer ? launch.connection : connection->options(), launch.nickname);

    // Theme, auto-connect and drafts; destroyed after the engine, before the application, so
    // that the last drafts are written.
    Redwire::ChatSettings preferences;
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/"));
    // Unsent messages survive a crash: kept in the app's data folder (0700), one file per
    // server and nickname (0600).
    Redwire::ChatConfig chatConfig;
    chatConfig.outboxDirectory
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/outbox");
    chatConfig.identityDirectory
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/identity");
    auto *chat = new Redwire::ChatController(chatConfig, &app);
    chat->setPreferences(&preferences); // notification levels
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Connection", connection);
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Chat", chat);
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Preferences", &preferences);
    auto *monitor = new Redwire::MonitorController(&app);
    qmlRegisterSingletonInstance("Redwire.Models", 1, 0, "Monitor", monitor);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreated, &app,
        [](QObject *object, const QUrl &url) {
            if (!object) {
                std::fprintf(stderr, "redwire: cannot load %s\n", qPrintable(url.toString()));
                QCoreApplication::exit(1);
                return;
            }
            // For the packaging test and scripts: say when the first screen has been drawn.
            auto *window = qobject_cast<QQuickWindow *>(object);
            if (window && qEnvironmentVariableIntValue("REDWIRE_REPORT_READY") == 1) {
                auto once = std::make_shared<QMetaObject::Connection>();
                *once = QObject::connect(window, &QQuickWindow::frameSwapped, window, [once] {
                    QObject::disconnect(*once);
                    std::fprintf(stderr, "redwire: first screen ready\n");
                    std::fflush(stderr);
                });
            }
        },
        Qt::QueuedConnection);
    engine.setInitialProperties(
        { { QStringLiteral("startRooms"), launch.rooms }, { QStringLiteral("autoConnect"), launch.hasServer },
            { QStringLiteral("startMonitor"), launch.openMonitor } });
    // Closing the window signs out first: the read markers still pending are written (bounded)
    // before the application ends, so that another device and the next start open rooms there.
    QGuiApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, chat, [chat] {
        chat->stop();
        if (!chat->isStopping())
            QCoreApplication::quit();
        else
            QObject::connect(chat, &Redwire::ChatController::stopped, chat, &QCoreApplication::quit);
    });
    engine.load(QUrl(QStringLiteral("qrc:/Redwire/Ui/Main.qml")));
    return app.exec();
}
