// Where the signing key lives: the keychain (a scripted stand-in here, as no keychain daemon runs
// in CI), or a 0600 file with a warning when there is none.
#include "desktop/KeychainBackend.h"
#include "desktop/SigningKeyStore.h"

#include <QFile>
#include <QHash>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;

namespace {

// A keychain in memory; `available` false answers as a machine without one.
class FakeKeychain : public KeychainBackend
{
public:
    QHash<QString, QByteArray> *entries;
    bool available = true;
    bool writable = true;

    explicit FakeKeychain(QHash<QString, QByteArray> *store)
        : entries(store)
    { }
    void read(const QString &account, ReadDone done) override
    {
        if (!available)
            return done(Result::Unavailable, {}, QStringLiteral("no Secret Service"));
        if (!entries->contains(account))
            return done(Result::NotFound, {}, {});
        done(Result::Found, entries->value(account), {});
    }
    void write(const QString &account, const QByteArray &secret, WriteDone done) override
    {
        if (!available || !writable)
            return done(false, QStringLiteral("locked"));
        entries->insert(account, secret);
        done(true, {});
    }
};

QByteArray secretNumber(int n)
{
    return QByteArray(32, char('a' + n));
}

} // namespace

class TestSigningKeyStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keychainKeepsTheKey();
    void noKeychainUsesAPrivateFile();
    void refusedWriteFallsBackToTheFile();
    void damagedEntriesAreReplaced();
    void keychainFailuresReadAsReasons();

private:
    // Loads `account` and returns what keyReady said.
    static QList<QVariant> load(SigningKeyStore &store, const QString &account, int *made, int number);
};

QList<QVariant> TestSigningKeyStore::load(
    SigningKeyStore &store, const QString &account, int *made, int number)
{
    QSignalSpy ready(&store, &SigningKeyStore::keyReady);
    store.load(account, [made, number] {
        ++*made;
        return secretNumber(number);
    });
    if (ready.isEmpty() && !ready.wait(5000))
        return {};
    return ready.takeFirst();
}

void TestSigningKeyStore::keychainKeepsTheKey()
{
    QHash<QString, QByteArray> entries;
    QTemporaryDir directory;
    const QString account
        = SigningKeyStore::accountFor(QStringLiteral("alice"), QStringLiteral("@127.0.0.1:6379/0"));
    int made = 0;
    {
        SigningKeyStore store(std::make_unique<FakeKeychain>(&entries), directory.path());
        const QList<QVariant> first = load(store, account, &made, 1);
        QCOMPARE(first.value(1).toByteArray(), secretNumber(1));
        QVERIFY(first.value(2).toString().isEmpty());
        QCOMPARE(made, 1);
        QCOMPARE(entries.value(account), secretNumber(1));
        QVERIFY(!QFile::exists(store.fallbackPath(account)));
    }
    // The next run finds it; nothing new is made.
    SigningKeyStore store(std::make_unique<FakeKeychain>(&entries), directory.path());
    QCOMPARE(load(store, account, &made, 2).value(1).toByteArray(), secretNumber(1));
    QCOMPARE(made, 1);
}

void TestSigningKeyStore::noKeychainUsesAPrivateFile()
{
    QHash<QString, QByteArray> entries;
    QTemporaryDir directory;
    const QString account
        = SigningKeyStore::accountFor(QStringLiteral("bob"), QStringLiteral("@localhost:6379/0"));
    int made = 0;
    auto keychain = std::make_unique<FakeKeychain>(&entries);
    keychain->available = false;
    SigningKeyStore store(std::move(keychain), directory.filePath(QStringLiteral("keys")));
    const QList<QVariant> first = load(store, account, &made, 3);
    QCOMPARE(first.value(1).toByteArray(), secretNumber(3));
    const QString warning = first.value(2).toString();
    QVERIFY2(warning.contains(QLatin1String("No keychain")) && warning.contains(store.fallbackPath(account)),
        qPrintable(warning));
    QCOMPARE(QFile::permissions(store.fallbackPath(account))
            & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther),
        QFile::Permissions());
    QVERIFY(!(QFile::permissions(directory.filePath(QStringLiteral("keys"))) & QFile::ReadOther));
    // Still no keychain next time: the same key from the file.
    QCOMPARE(load(store, account, &made, 4).value(1).toByteArray(), secretNumber(3));
    QCOMPARE(made, 1);
}

void TestSigningKeyStore::refusedWriteFallsBackToTheFile()
{
    QHash<QString, QByteArray> entries;
    QTemporaryDir directory;
    auto keychain = std::make_unique<FakeKeychain>(&entries);
    keychain->writable = false;
    SigningKeyStore store(std::move(keychain), directory.path());
    int made = 0;
    const QList<QVariant> ready = load(store, QStringLiteral("signing-key:carol@x"), &made, 5);
    QCOMPARE(ready.value(1).toByteArray(), secretNumber(5));
    QVERIFY(!ready.value(2).toString().isEmpty());
    QVERIFY(QFile::exists(store.fallbackPath(QStringLiteral("signing-key:carol@x"))));
    QVERIFY(entries.isEmpty());
}

void TestSigningKeyStore::damagedEntriesAreReplaced()
{
    QHash<QString, QByteArray> entries;
    QTemporaryDir directory;
    const QString account = QStringLiteral("signing-key:dave@x");
    entries.insert(account, "short");
    SigningKeyStore store(std::make_unique<FakeKeychain>(&entries), directory.path());
    QFile file(store.fallbackPath(account));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not base64 of 32 bytes");
    file.close();
    int made = 0;
    const QList<QVariant> ready = load(store, account, &made, 6);
    QCOMPARE(ready.value(1).toByteArray(), secretNumber(6));
    QCOMPARE(made, 1);
    QVERIFY(!ready.value(2).toString().isEmpty());
}

// The banner said "No keychain (Unknown error)" on a desktop without a Secret Service: QtKeychain's
// bare text. The reason is now in words a user can act on. (Codes: QKeychain::Error.)
void TestSigningKeyStore::keychainFailuresReadAsReasons()
{
    const int noBackend = 5, accessDenied = 4, deniedByUser = 3, notImplemented = 6, other = 7;
    QCOMPARE(KeychainBackend::reasonFor(noBackend, QStringLiteral("Unknown error")),
        QStringLiteral("no keychain service is running"));
    QCOMPARE(KeychainBackend::reasonFor(accessDenied, {}), QStringLiteral("the keychain refused access"));
    QCOMPARE(KeychainBackend::reasonFor(deniedByUser, {}), QStringLiteral("the keychain refused access"));
    QCOMPARE(KeychainBackend::reasonFor(notImplemented, {}),
        QStringLiteral("this system offers no keychain Redwire can use"));
    QCOMPARE(KeychainBackend::reasonFor(other, QStringLiteral("Unknown error")),
        QStringLiteral("no keychain service answered"));
    QCOMPARE(KeychainBackend::reasonFor(other, QString()), QStringLiteral("no keychain service answered"));
    QCOMPARE(KeychainBackend::reasonFor(other, QStringLiteral("The collection is locked")),
        QStringLiteral("The collection is locked"));
}

QTEST_GUILESS_MAIN(TestSigningKeyStore)
#include "tst_signingkeystore.moc"
