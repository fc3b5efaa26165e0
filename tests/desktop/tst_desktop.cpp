// LaunchOptions (the app's command line) and LocalRedisServer (the private server it can start).
#include "CommandTestSupport.h"
#include "desktop/LaunchOptions.h"
#include "desktop/LocalRedisServer.h"
#include "redis/CommandConnection.h"

#include <QDirIterator>
#include <QFile>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>
#include <sys/stat.h>

using namespace Redwire;

class TestDesktop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void launchOptions_data();
    void launchOptions();
    void localServerStartsServesAndStops();
    void localServerRefusesClientsWithoutItsPassword();
    void localServerPasswordIsNotOnTheCommandLine();
    void localServerFilesArePrivate();
    void localServerTightensAnOlderDirectory();
    void localServerKeepsPasswordAndDataAcrossRestarts();
    void localServerReplacesAnEmptyPasswordFile();
    void localServerFailsWhenThePasswordCannotBeRead();
};

namespace {
// Connected with the server's password, or without any when `authenticate` is false.
std::unique_ptr<CommandConnection> connectTo(const LocalRedisServer &server, bool authenticate = true)
{
    ConnectionOptions options;
    options.port = server.port();
    if (authenticate)
        options.password = server.password();
    auto connection = std::make_unique<CommandConnection>(options);
    QSignalSpy connected(connection.get(), &RedisConnection::connected);
    connection->connectToServer();
    if (!connected.wait(5000))
        return nullptr;
    return connection;
}

// The mode bits of `path` itself (a symbolic link is not followed); -1 when it is not there.
int modeOf(const QString &path)
{
    struct stat info = {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 07777);
}

QString octal(int mode)
{
    return QStringLiteral("0") + QString::number(mode, 8);
}

// What in `directory` (itself included, recursively) group or others may use, with its mode.
QStringList openEntries(const QString &directory)
{
    QStringList paths { directory };
    QDirIterator it(directory, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
        QDirIterator::Subdirectories);
    while (it.hasNext())
        paths.append(it.next());
    QStringList open;
    for (const QString &path : std::as_const(paths)) {
        if (QFileInfo(path).isSymLink())
            continue;
        const int mode = modeOf(path);
        if (mode < 0 || (mode & 077) != 0)
            open.append(path + QLatin1Char(' ') + octal(mode));
    }
    return open;
}

void writeFile(const QString &path, const QByteArray &contents)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(file.errorString()));
    file.write(contents);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
} // namespace

void TestDesktop::launchOptions_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("nick");
    QTest::addColumn<QStringList>("rooms");
    QTest::newRow("nothing") << QStringList { "redwire" } << true << QString() << 0 << QString()
                             << QStringList();
    QTest::newRow("url, nick, rooms")
        << QStringList { "redwire", "redis://alice@example.org:7000/1", "--nick", "Alice", "--room", "chat",
               "--room", "ops", "--room", "chat" }
        << true << "example.org" << 7000 << "Alice" << QStringList { "chat", "ops" };
    QTest::newRow("password in url") << QStringList { "redwire", "redis://a:secret@h" } << false << QString()
                                     << 0 << QString() << QStringList();
    QTest::newRow("two urls") << QStringList { "redwire", "redis://a", "redis://b" } << false << QString()
                              << 0 << QString() << QStringList();
    QTest::newRow("unknown option") << QStringList { "redwire", "--frobnicate" } << false << QString() << 0
                                    << QString() << QStringList();
    QTest::newRow("empty room") << QStringList { "redwire", "--room", " " } << false << QString() << 0
                                << QString() << QStringList();
}

void TestDesktop::launchOptions()
{
    QFETCH(QStringList, args);
    QFETCH(bool, ok);
    const LaunchOptions options = LaunchOptions::parse(args, QStringLiteral("from-env"));
    QCOMPARE(options.error.isEmpty(), ok);
    if (!ok)
        return;
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, nick);
    QFETCH(QStringList, rooms);
    QCOMPARE(options.hasServer, !host.isEmpty());
    if (options.hasServer) {
        QCOMPARE(options.connection.host, host);
        QCOMPARE(int(options.connection.port), port);
        QCOMPARE(options.connection.password, QStringLiteral("from-env"));
    }
    QCOMPARE(options.nickname, nick);
    QCOMPARE(options.rooms, rooms);
}

void TestDesktop::localServerStartsServesAndStops()
{
    QTemporaryDir dir;
    LocalRedisServer server;
    QVERIFY2(server.isAvailable(), "redis-server must be installed for this test");
    server.setDataDirectory(dir.path());
    QSignalSpy states(&server, &LocalRedisServer::stateChanged);
    server.start();
    QCOMPARE(server.state(), LocalRedisServer::State::Starting);
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    QVERIFY(server.port() != 0);
    const qint64 pid = server.pid();
    QVERIFY(pid > 0);

    const auto connection = connectTo(server);
    QVERIFY(connection);
    QCOMPARE(RedwireTest::roundTrip(*connection, { "PING" }), RedisReply::status("PONG"));

    server.stop();
    QCOMPARE(server.state(), LocalRedisServer::State::Stopped);
    QCOMPARE(::kill(pid_t(pid), 0), -1); // gone
}

void TestDesktop::localServerRefusesClientsWithoutItsPassword()
{
    QTemporaryDir dir;
    LocalRedisServer server;
    server.setDataDirectory(dir.path());
    server.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    // At least 128 bits, as hex.
    QVERIFY2(server.password().size() >= 32, qPrintable(QString::number(server.password().size())));
    QVERIFY(QByteArray::fromHex(server.password().toLatin1()).toHex() == server.password().toLatin1());

    const auto anonymous = connectTo(server, false);
    QVERIFY(anonymous);
    const RedisReply refused = RedwireTest::roundTrip(*anonymous, { "SET", "k", "v" });
    QVERIFY2(refused.isError() && refused.bytes().startsWith("NOAUTH"), refused.bytes().constData());

    const auto authenticated = connectTo(server);
    QVERIFY(authenticated);
    QCOMPARE(RedwireTest::roundTrip(*authenticated, { "SET", "k", "v" }), RedisReply::status("OK"));
}

void TestDesktop::localServerPasswordIsNotOnTheCommandLine()
{
    // redis-server overwrites its command line once it runs ("redis-server 127.0.0.1:<port>"), so
    // /proc/<pid>/cmdline alone would miss a password that was there while it started: a wrapper
    // first on PATH records the arguments, then becomes the real server (same PID).
    const QString real = LocalRedisServer::findExecutable();
    QVERIFY(!real.isEmpty());
    QTemporaryDir bin;
    QTemporaryDir dir;
    const QString arguments = bin.filePath(QStringLiteral("arguments"));
    const QString wrapper = bin.filePath(QStringLiteral("redis-server"));
    writeFile(wrapper,
        "#!/bin/sh\nprintf '%s\\n' \"$0\" \"$@\" > '" + QFile::encodeName(arguments) + "'\nexec '"
            + QFile::encodeName(real) + "' \"$@\"\n");
    QVERIFY(QFile::setPermissions(wrapper, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    const QByteArray path = qgetenv("PATH");
    qputenv("PATH", QFile::encodeName(bin.path()) + ':' + path);
    const auto restorePath = qScopeGuard([&] { qputenv("PATH", path); });

    LocalRedisServer server;
    QCOMPARE(LocalRedisServer::findExecutable(), wrapper);
    server.setDataDirectory(dir.path());
    server.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    const QByteArray password = server.password().toLatin1();
    QVERIFY(!password.isEmpty());

    const QByteArray started = readFile(arguments);
    QVERIFY2(started.startsWith(QFile::encodeName(wrapper)), started.constData()); // the wrapper ran
    QVERIFY2(!started.contains(password), started.constData());
    const QByteArray cmdline = readFile(QStringLiteral("/proc/%1/cmdline").arg(server.pid()));
    QVERIFY(!cmdline.isEmpty());
    QVERIFY(!cmdline.contains(password));

    // And the password is in force, or the above proves nothing.
    const auto anonymous = connectTo(server, false);
    QVERIFY(anonymous);
    QVERIFY(RedwireTest::roundTrip(*anonymous, { "PING" }).bytes().startsWith("NOAUTH"));
}

void TestDesktop::localServerFilesArePrivate()
{
    QTemporaryDir parent;
    const QString data = parent.filePath(QStringLiteral("local-redis")); // made by start()
    LocalRedisServer server;
    server.setDataDirectory(data);
    server.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    const auto connection = connectTo(server);
    QVERIFY(connection);
    // Written to the append-only file before the reply is sent; SAVE writes dump.rdb.
    QCOMPARE(RedwireTest::roundTrip(*connection, { "SET", "secret", "history" }), RedisReply::status("OK"));
    QCOMPARE(RedwireTest::roundTrip(*connection, { "SAVE" }), RedisReply::status("OK"));

    QCOMPARE(octal(modeOf(data)), QStringLiteral("0700"));
    QCOMPARE(octal(modeOf(server.passwordFile())), QStringLiteral("0600"));
    QCOMPARE(readFile(server.passwordFile()).trimmed(), server.password().toLatin1());
    QCOMPARE(octal(modeOf(data + QStringLiteral("/appendonlydir"))), QStringLiteral("0700"));
    QCOMPARE(octal(modeOf(data + QStringLiteral("/dump.rdb"))), QStringLiteral("0600"));
    bool historyOnDisk = false;
    QDirIterator aof(data + QStringLiteral("/appendonlydir"), QDir::Files);
    while (aof.hasNext())
        historyOnDisk = historyOnDisk || readFile(aof.next()).contains("history");
    QVERIFY(historyOnDisk);
    const QStringList open = openEntries(data);
    QVERIFY2(open.isEmpty(), qPrintable(open.join(QStringLiteral(", "))));
}

void TestDesktop::localServerTightensAnOlderDirectory()
{
    QTemporaryDir parent;
    const QString data = parent.filePath(QStringLiteral("local-redis"));
    {
        LocalRedisServer server;
        server.setDataDirectory(data);
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
        const auto connection = connectTo(server);
        QVERIFY(connection);
        QCOMPARE(RedwireTest::roundTrip(*connection, { "SET", "kept", "yes" }), RedisReply::status("OK"));
    }
    // What an older Redwire left: no password, its config file, everything 0755 / 0644.
    QVERIFY(QFile::remove(data + QStringLiteral("/password")));
    writeFile(data + QStringLiteral("/redwire-local.conf"), "bind 127.0.0.1\nappendonly yes\n");
    const QString outside = parent.filePath(QStringLiteral("outside"));
    writeFile(outside, "not ours");
    QVERIFY(QFile::link(outside, data + QStringLiteral("/link")));
    QStringList paths { data };
    QDirIterator it(data, QDir::AllEntries | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext())
        paths.append(it.next());
    paths.append(outside);
    for (const QString &path : std::as_const(paths)) {
        if (QFileInfo(path).isSymLink())
            continue;
        QVERIFY(::chmod(QFile::encodeName(path).constData(), QFileInfo(path).isDir() ? 0755 : 0644) == 0);
    }
    QVERIFY(openEntries(data).size() >= 4); // the directory, appendonlydir, its files, the config

    LocalRedisServer server;
    server.setDataDirectory(data);
    server.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    const QStringList open = openEntries(data);
    QVERIFY2(open.isEmpty(), qPrintable(open.join(QStringLiteral(", "))));
    QCOMPARE(octal(modeOf(data)), QStringLiteral("0700"));
    QCOMPARE(octal(modeOf(server.passwordFile())), QStringLiteral("0600"));
    QVERIFY(!QFile::exists(data + QStringLiteral("/redwire-local.conf")));
    QCOMPARE(octal(modeOf(outside)), QStringLiteral("0644")); // a link is not followed
    const auto connection = connectTo(server);
    QVERIFY(connection);
    QCOMPARE(RedwireTest::roundTrip(*connection, { "GET", "kept" }), RedisReply::string("yes"));
}

void TestDesktop::localServerKeepsPasswordAndDataAcrossRestarts()
{
    QTemporaryDir dir;
    QString password;
    {
        LocalRedisServer server;
        server.setDataDirectory(dir.path());
        server.start();
        QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
        password = server.password();
        QVERIFY(!password.isEmpty());
        const auto connection = connectTo(server);
        QVERIFY(connection);
        QCOMPARE(RedwireTest::roundTrip(*connection, { "SET", "kept", "yes" }), RedisReply::status("OK"));
    }
    LocalRedisServer again;
    again.setDataDirectory(dir.path());
    again.start();
    QTRY_COMPARE_WITH_TIMEOUT(again.state(), LocalRedisServer::State::Running, 10000);
    QCOMPARE(again.password(), password);
    const auto connection = connectTo(again);
    QVERIFY(connection);
    QCOMPARE(RedwireTest::roundTrip(*connection, { "GET", "kept" }), RedisReply::string("yes"));
}

void TestDesktop::localServerReplacesAnEmptyPasswordFile()
{
    // E.g. after a crash while it was written: requirepass is configuration, a new one loses nothing.
    QTemporaryDir dir;
    writeFile(dir.filePath(QStringLiteral("password")), "");
    LocalRedisServer server;
    server.setDataDirectory(dir.path());
    server.start();
    QTRY_COMPARE_WITH_TIMEOUT(server.state(), LocalRedisServer::State::Running, 10000);
    QVERIFY(server.password().size() >= 32);
    QCOMPARE(readFile(server.passwordFile()).trimmed(), server.password().toLatin1());
    QCOMPARE(octal(modeOf(server.passwordFile())), QStringLiteral("0600"));
    const auto anonymous = connectTo(server, false);
    QVERIFY(anonymous);
    QVERIFY(RedwireTest::roundTrip(*anonymous, { "PING" }).bytes().startsWith("NOAUTH"));
}

void TestDesktop::localServerFailsWhenThePasswordCannotBeRead()
{
    // A directory where the file should be: unreadable even as root (the tests may run as root,
    // for whom a 0000 file is readable).
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("password")));
    LocalRedisServer server;
    server.setDataDirectory(dir.path());
    QSignalSpy states(&server, &LocalRedisServer::stateChanged);
    server.start();
    QCOMPARE(server.state(), LocalRedisServer::State::Failed);
    QCOMPARE(states.count(), 1);
    QCOMPARE(server.pid(), 0); // no server was started without its password
    QVERIFY2(server.errorString().contains(dir.filePath(QStringLiteral("password"))),
        qPrintable(server.errorString()));
}

QTEST_GUILESS_MAIN(TestDesktop)
#include "tst_desktop.moc"
