// Exporting the monitor's buffer, from MonitorController and from the Monitor page, against a real
// server: the folder is created when it is missing, a failure is said once, CSV cells that a
// spreadsheet would run as formulas are defused, Enter in the path field starts the export, and
// Browse… opens Qt Quick Dialogs' FileDialog, whose choice fills the field.
#include "models/MonitorController.h"
#include "monitor/MonitorMessageModel.h"

#include "MonitorPageWindow.h"
#include "RedisServerProcess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <QtQml/qqmlextensionplugin.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Redwire_ModelsPlugin)
Q_IMPORT_QML_PLUGIN(Redwire_UiPlugin)

using RedwireTest::RedisServerProcess;

namespace {

// Payloads that a spreadsheet would run, and one it would not.
const QList<QByteArray> Payloads { R"(=HYPERLINK("http://evil.invalid","click"))", "+1+1", "-1+1", "@SUM(A1)",
    "\t=1", "plain" };

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// A path under a regular file: no one, not even root, can create a folder there.
QString unreachablePath(const QTemporaryDir &dir)
{
    QFile blocker(dir.filePath(QStringLiteral("a-file")));
    if (!blocker.open(QIODevice::WriteOnly))
        return {};
    return dir.filePath(QStringLiteral("a-file/sub/export.csv"));
}

} // namespace

class TestMonitorExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void exportsIntoAMissingFolder();
    void failureIsSaidOnce_data();
    void failureIsSaidOnce();
    void enterInThePathFieldExports();
    void browseOpensTheFileDialog();

private:
    // The monitor, subscribed to "news" on a private server, holding every payload of Payloads.
    bool startMonitorWithPayloads();
    // The Monitor page in a window, its export dialog opened for CSV.
    bool showPageWithExportDialog();
    QQuickItem *findItem(const char *objectName) const;
    // Anywhere in the window, popups included (they live in its overlay).
    QQuickItem *findInWindow(const char *objectName) const;

    QQmlEngine m_engine;
    QList<QQmlError> m_warnings;
    std::unique_ptr<RedisServerProcess> m_server;
    std::unique_ptr<Redwire::MonitorController> m_monitor;
    std::unique_ptr<QQuickWindow> m_window;
    QObject *m_exportDialog = nullptr;
    QTemporaryDir m_dir;
};

void TestMonitorExport::initTestCase()
{
    m_engine.addImportPath(QStringLiteral("qrc:/"));
    connect(&m_engine, &QQmlEngine::warnings, this,
        [this](const QList<QQmlError> &warnings) { m_warnings << warnings; });
    QVERIFY(m_dir.isValid());
}

void TestMonitorExport::init()
{
    m_warnings.clear();
    m_server = std::make_unique<RedisServerProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    QVERIFY(startMonitorWithPayloads());
}

void TestMonitorExport::cleanup()
{
    m_exportDialog = nullptr;
    m_window.reset();
    if (m_monitor)
        m_monitor->stop();
    m_monitor.reset();
    m_server.reset();
    QStringList texts;
    for (const QQmlError &warning : std::as_const(m_warnings))
        texts << warning.toString();
    QVERIFY2(m_warnings.isEmpty(), qPrintable(texts.join(QLatin1Char('\n'))));
}

bool TestMonitorExport::startMonitorWithPayloads()
{
    Redwire::ConnectionOptions options;
    options.port = m_server->port();
    m_monitor = std::make_unique<Redwire::MonitorController>();
    m_monitor->start(options);
    if (!m_monitor->addTopic(QStringLiteral("news"), true))
        return false;
    if (!QTest::qWaitFor([&] { return m_server->cli({ "PUBSUB", "NUMSUB", "news" }) == "news\n1"; }, 10000))
        return false;
    for (const QByteArray &payload : Payloads)
        m_server->cli({ QStringLiteral("PUBLISH"), QStringLiteral("news"), QString::fromUtf8(payload) });
    return QTest::qWaitFor([&] { return m_monitor->messages()->rowCount() == Payloads.size(); }, 10000);
}

bool TestMonitorExport::showPageWithExportDialog()
{
    m_window = RedwireTest::showMonitorPage(m_engine, m_monitor.get(), QSize(1000, 700));
    QQuickItem *page = RedwireTest::monitorPageOf(m_window.get());
    m_exportDialog = page ? page->findChild<QObject *>(QStringLiteral("exportDialog")) : nullptr;
    if (!m_exportDialog)
        return false;
    // What the Export menu's "CSV…" does.
    m_exportDialog->setProperty("format", QStringLiteral("csv"));
    QMetaObject::invokeMethod(m_exportDialog, "open");
    return QTest::qWaitFor([&] { return m_exportDialog->property("opened").toBool(); }, 5000);
}

QQuickItem *TestMonitorExport::findItem(const char *objectName) const
{
    return m_exportDialog ? m_exportDialog->findChild<QQuickItem *>(QLatin1String(objectName)) : nullptr;
}

QQuickItem *TestMonitorExport::findInWindow(const char *objectName) const
{
    QList<QQuickItem *> pending { m_window ? m_window->contentItem() : nullptr };
    while (!pending.isEmpty()) {
        QQuickItem *item = pending.takeFirst();
        if (!item)
            continue;
        if (item->objectName() == QLatin1String(objectName))
            return item;
        pending += item->childItems();
    }
    return nullptr;
}

// The suggested ~/Documents/redwire-export.csv must work where ~/Documents does not exist. The
// file is CSV with the formula cells defused, the last payload as it was.
void TestMonitorExport::exportsIntoAMissingFolder()
{
    const QString path = m_dir.filePath(QStringLiteral("missing/Documents/redwire-export.csv"));
    QVERIFY(!QFileInfo::exists(QFileInfo(path).absolutePath()));
    m_monitor->exportTo(QUrl::fromLocalFile(path).toString(), QStringLiteral("csv"));
    QTRY_COMPARE_WITH_TIMEOUT(m_monitor->statusMessage(), QStringLiteral("Export finished."), 10000);
    QVERIFY(!m_monitor->isExporting());
    const QList<QByteArray> rows = readAll(path).split('\n');
    QCOMPARE(rows.size(), Payloads.size() + 2); // header, rows, nothing after the last CRLF
    QCOMPARE(rows.at(0), QByteArray("time,channel,pattern,size,payload,payload_base64\r"));
    const QByteArray hyperlinkRow = ",news,,41,\"'=HYPERLINK(\"\"http://evil.invalid\"\",\"\"click\"\")\",\r";
    QVERIFY2(rows.at(1).endsWith(hyperlinkRow), rows.at(1).constData());
    QVERIFY2(rows.at(2).endsWith(",news,,4,'+1+1,\r"), rows.at(2).constData());
    QVERIFY2(rows.at(3).endsWith(",news,,4,'-1+1,\r"), rows.at(3).constData());
    QVERIFY2(rows.at(4).endsWith(",news,,8,'@SUM(A1),\r"), rows.at(4).constData());
    QVERIFY2(rows.at(5).endsWith(",news,,3,'\t=1,\r"), rows.at(5).constData());
    QVERIFY2(rows.at(6).endsWith(",news,,5,plain,\r"), rows.at(6).constData());
    // JSON Lines keeps the payloads as they are.
    const QString jsonl = m_dir.filePath(QStringLiteral("missing/too/redwire-export.jsonl"));
    m_monitor->exportTo(jsonl, QStringLiteral("jsonl"));
    QTRY_COMPARE_WITH_TIMEOUT(m_monitor->statusMessage(), QStringLiteral("Export finished."), 10000);
    const QByteArray asSent = "\"payload\":\"=HYPERLINK(\\\"http://evil.invalid\\\",\\\"click\\\")\"";
    QVERIFY2(readAll(jsonl).contains(asSent), readAll(jsonl).constData());
}

void TestMonitorExport::failureIsSaidOnce_data()
{
    QTest::addColumn<bool>("asUrl");
    QTest::newRow("path") << false;
    QTest::newRow("file URL") << true; // what a FileDialog hands over
}

void TestMonitorExport::failureIsSaidOnce()
{
    QFETCH(bool, asUrl);
    const QString path = unreachablePath(m_dir);
    QVERIFY(!path.isEmpty());
    m_monitor->exportTo(asUrl ? QUrl::fromLocalFile(path).toString() : path, QStringLiteral("csv"));
    const QString folder = QDir::toNativeSeparators(QFileInfo(path).absolutePath());
    QCOMPARE(m_monitor->statusMessage(),
        QStringLiteral("Cannot export to %1: cannot create the folder %2.")
            .arg(QDir::toNativeSeparators(path), folder));
    QVERIFY(!m_monitor->isExporting());
}

// The path field of the export dialog: Enter accepts the dialog, which starts the export.
void TestMonitorExport::enterInThePathFieldExports()
{
    QVERIFY(showPageWithExportDialog());
    QQuickItem *field = findItem("pathField");
    QVERIFY(field);
    // The suggestion: the documents folder and a name that fits the format.
    QVERIFY2(field->property("text").toString().endsWith(QLatin1String("/redwire-export.csv")),
        qPrintable(field->property("text").toString()));
    QTRY_VERIFY(field->hasActiveFocus());
    const QString path = m_dir.filePath(QStringLiteral("typed/export.csv"));
    field->setProperty("text", path);
    QTest::keyClick(m_window.get(), Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_monitor->statusMessage(), QStringLiteral("Export finished."), 10000);
    QVERIFY(!m_exportDialog->property("visible").toBool());
    QVERIFY(readAll(path).contains(",news,,4,'+1+1,\r\n"));
}

// Browse… opens the FileDialog in the folder of the typed path; the file chosen there replaces the
// typed path, and OK exports to it.
void TestMonitorExport::browseOpensTheFileDialog()
{
    QVERIFY(showPageWithExportDialog());
    QQuickItem *field = findItem("pathField");
    QQuickItem *browse = findItem("browseButton");
    auto *fileDialog = m_exportDialog->findChild<QObject *>(QStringLiteral("fileDialog"));
    QVERIFY(field && browse && fileDialog);
    QVERIFY(!fileDialog->property("visible").toBool());
    const QString typedFolder = m_dir.filePath(QStringLiteral("browse from here"));
    QVERIFY(QDir().mkpath(typedFolder));
    field->setProperty("text", typedFolder + QStringLiteral("/typed.csv"));
    QTRY_VERIFY(browse->isVisible() && browse->width() > 0);
    QTest::mouseClick(m_window.get(), Qt::LeftButton, {},
        browse->mapToScene(QPointF(browse->width() / 2, browse->height() / 2)).toPoint());
    QTRY_VERIFY_WITH_TIMEOUT(fileDialog->property("visible").toBool(), 5000);
    QCOMPARE(fileDialog->property("currentFolder").toUrl(), QUrl::fromLocalFile(typedFolder));
    QCOMPARE(fileDialog->property("selectedFile").toUrl(), QUrl::fromLocalFile(typedFolder + "/typed.csv"));
    QVERIFY(fileDialog->property("nameFilters").toStringList().contains(QStringLiteral("CSV (*.csv)")));

    // The user types another name there (with a # that a URL would take for a fragment) and saves.
    QQuickItem *fileName = nullptr;
    QTRY_VERIFY((fileName = findInWindow("fileNameTextField")) && fileName->isVisible());
    QCOMPARE(fileName->property("text").toString(), QStringLiteral("typed.csv"));
    fileName->setProperty("text", QString());
    fileName->forceActiveFocus();
    for (const char c : QByteArrayLiteral("#1 export.csv"))
        QTest::keyClick(m_window.get(), c);
    QTest::keyClick(m_window.get(), Qt::Key_Return); // takes the name
    QMetaObject::invokeMethod(fileDialog, "accept"); // what its Save button does
    const QString picked = typedFolder + QStringLiteral("/#1 export.csv");
    QTRY_VERIFY(!fileDialog->property("visible").toBool());
    QCOMPARE(field->property("text").toString(), picked);
    QVERIFY(m_exportDialog->property("visible").toBool()); // back in the export dialog
    QMetaObject::invokeMethod(m_exportDialog, "accept");
    QTRY_COMPARE_WITH_TIMEOUT(m_monitor->statusMessage(), QStringLiteral("Export finished."), 10000);
    QVERIFY(readAll(picked).contains(",news,,5,plain,\r\n"));
}

QTEST_MAIN(TestMonitorExport)
#include "tst_monitorexport.moc"
