// Qt Quick Test runner for the QML view tests in tests/ui/qml (tst_*.qml): the Redwire.Ui and
// Redwire.Models modules are linked in statically and found through the qrc import path.
#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

class ViewTestSetup : public QObject
{
    Q_OBJECT
public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral("qrc:/")); }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_views, ViewTestSetup)
#include "tst_views.moc"
