// ChatSettings over a private settings file: the theme and auto-connect kept, drafts kept per
// server, nickname and room (and written when the object goes, typed a moment before); and the
// quick switcher's loose matching (RoomMatchModel::score).
#include "models/ChatSettings.h"
#include "models/RoomMatchModel.h"

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Redwire;

class TestChatSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void themeIsKept_data();
    void themeIsKept();
    void autoConnectIsKept();
    void draftsBelongToServerNicknameAndRoom();
    void draftsAreWrittenAfterAMoment();
    void draftRoomsListsTheScopesDrafts();
    void notificationLevelIsKeptPerServerNicknameAndRoom();
    void notificationSoundIsOffUnlessChosen();
    void score_data();
    void score();

private:
    QTemporaryDir m_home;
};

void TestChatSettings::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_home.filePath(QStringLiteral("config"))));
    QCoreApplication::setOrganizationName(QStringLiteral("RedwireTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_chatsettings"));
    QVERIFY(QSettings().fileName().startsWith(m_home.path()));
}

void TestChatSettings::init()
{
    QSettings().clear();
}

void TestChatSettings::themeIsKept_data()
{
    QTest::addColumn<QString>("chosen");
    QTest::addColumn<QString>("kept");
    QTest::newRow("dark") << "dark"
                          << "dark";
    QTest::newRow("light") << "light"
                           << "light";
    QTest::newRow("system") << "system"
                            << "system";
    QTest::newRow("unknown") << "purple"
                             << "system";
}

void TestChatSettings::themeIsKept()
{
    QFETCH(QString, chosen);
    QFETCH(QString, kept);
    {
        ChatSettings settings;
        QCOMPARE(settings.theme(), QStringLiteral("system"));
        settings.setTheme(QStringLiteral("light"));
        settings.setTheme(chosen);
        QCOMPARE(settings.theme(), kept);
    }
    ChatSettings again;
    QCOMPARE(again.theme(), kept);
}

void TestChatSettings::autoConnectIsKept()
{
    {
        ChatSettings settings;
        QVERIFY(!settings.autoConnect());
        QSignalSpy changed(&settings, &ChatSettings::autoConnectChanged);
        settings.setAutoConnect(true);
        settings.setAutoConnect(true);
        QCOMPARE(changed.count(), 1);
    }
    QVERIFY(ChatSettings().autoConnect());
}

void TestChatSettings::draftsBelongToServerNicknameAndRoom()
{
    {
        ChatSettings settings;
        settings.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("alice"));
        settings.setDraft(QStringLiteral("room:alpha"), QStringLiteral("alpha draft"));
        settings.setDraft(QStringLiteral("dm:alpha"), QStringLiteral("to the person"));
        settings.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("bob"));
        QCOMPARE(settings.draft(QStringLiteral("room:alpha")), QString());
        settings.setDraft(QStringLiteral("room:alpha"), QStringLiteral("bob's"));
        settings.setDraftScope(QStringLiteral("example.org:6379"), QStringLiteral("alice"));
        QCOMPARE(settings.draft(QStringLiteral("room:alpha")), QString());
    }
    ChatSettings settings;
    settings.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("alice"));
    QCOMPARE(settings.draft(QStringLiteral("room:alpha")), QStringLiteral("alpha draft"));
    QCOMPARE(settings.draft(QStringLiteral("dm:alpha")), QStringLiteral("to the person"));
    settings.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("bob"));
    QCOMPARE(settings.draft(QStringLiteral("room:alpha")), QStringLiteral("bob's"));
}

void TestChatSettings::draftsAreWrittenAfterAMoment()
{
    ChatSettings settings;
    settings.setDraft(QStringLiteral("room:a/b c"), QStringLiteral("first"));
    settings.setDraft(QStringLiteral("room:a/b c"), QStringLiteral("first line\nsecond"));
    // Not yet in the file: another reader does not see it ...
    QCOMPARE(ChatSettings().draft(QStringLiteral("room:a/b c")), QString());
    // ... until a second after the last change.
    QTRY_COMPARE(ChatSettings().draft(QStringLiteral("room:a/b c")), QStringLiteral("first line\nsecond"));
    // Emptied (sent): gone from the file.
    settings.setDraft(QStringLiteral("room:a/b c"), QString());
    settings.flush();
    QSettings file;
    file.beginGroup(QStringLiteral("drafts"));
    QCOMPARE(file.allKeys(), QStringList());
}

void TestChatSettings::draftRoomsListsTheScopesDrafts()
{
    ChatSettings settings;
    settings.setDraftScope(QStringLiteral("local"), QStringLiteral("alice"));
    QSignalSpy changed(&settings, &ChatSettings::draftRoomsChanged);
    settings.setDraft(QStringLiteral("room:beta"), QStringLiteral("b"));
    settings.setDraft(QStringLiteral("room:beta"), QStringLiteral("be"));
    settings.flush();
    settings.setDraft(QStringLiteral("dm:carol"), QStringLiteral("hi"));
    settings.setDraft(QStringLiteral("room:alpha"), QString());
    QCOMPARE(changed.count(), 2); // beta and carol got one; typing on does not count
    QCOMPARE(settings.draftRooms(), (QStringList { QStringLiteral("#beta"), QStringLiteral("@carol") }));
    settings.setDraft(QStringLiteral("room:beta"), QString());
    QCOMPARE(changed.count(), 3);
    QCOMPARE(settings.draftRooms(), QStringList { QStringLiteral("@carol") });
    settings.setDraftScope(QStringLiteral("local"), QStringLiteral("bob"));
    QCOMPARE(settings.draftRooms(), QStringList());
}

// Rooms default to mentions, direct conversations to all; a choice survives a restart (a new
// ChatSettings over the same file) for that server, nickname and room only.
void TestChatSettings::notificationLevelIsKeptPerServerNicknameAndRoom()
{
    {
        ChatSettings settings;
        settings.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("alice"));
        QCOMPARE(settings.notificationLevel(QStringLiteral("room:alpha")), QStringLiteral("mentions"));
        QCOMPARE(settings.notificationLevel(QStringLiteral("dm:bob")), QStringLiteral("all"));
        QSignalSpy changed(&settings, &ChatSettings::notificationLevelChanged);
        settings.setNotificationLevel(QStringLiteral("room:alpha"), QStringLiteral("none"));
        settings.setNotificationLevel(QStringLiteral("dm:bob"), QStringLiteral("mentions"));
        settings.setNotificationLevel(QStringLiteral("room:beta"), QStringLiteral("loud")); // ignored
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.first().at(0).toString(), QStringLiteral("room:alpha"));
    }
    ChatSettings restarted;
    restarted.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("alice"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("room:alpha")), QStringLiteral("none"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("dm:bob")), QStringLiteral("mentions"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("room:beta")), QStringLiteral("mentions"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("dm:alpha")), QStringLiteral("all"));
    restarted.setDraftScope(QStringLiteral("127.0.0.1:6379"), QStringLiteral("bob"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("room:alpha")), QStringLiteral("mentions"));
    restarted.setDraftScope(QStringLiteral("local"), QStringLiteral("alice"));
    QCOMPARE(restarted.notificationLevel(QStringLiteral("room:alpha")), QStringLiteral("mentions"));
}

void TestChatSettings::notificationSoundIsOffUnlessChosen()
{
    {
        ChatSettings settings;
        QCOMPARE(settings.notificationSound(), false);
        QSignalSpy changed(&settings, &ChatSettings::notificationSoundChanged);
        settings.setNotificationSound(true);
        QCOMPARE(changed.count(), 1);
    }
    QCOMPARE(ChatSettings().notificationSound(), true);
}

void TestChatSettings::score_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("matches");
    QTest::newRow("empty") << ""
                           << "alpha" << true;
    QTest::newRow("prefix") << "gen"
                            << "general-chat" << true;
    QTest::newRow("initials") << "gc"
                              << "general-chat" << true;
    QTest::newRow("scattered") << "gnc"
                               << "general-chat" << true;
    QTest::newRow("case") << "GEN"
                          << "general" << true;
    QTest::newRow("accents") << "cafe"
                             << "Café" << true;
    QTest::newRow("order") << "cg"
                           << "general-chat" << false;
    QTest::newRow("missing") << "x"
                             << "general-chat" << false;
    QTest::newRow("longer than text") << "alphas"
                                      << "alpha" << false;
    // A word start further on must not cost a match the first place allowed.
    QTest::newRow("word start later") << "ac"
                                      << "bac-a" << true;
}

void TestChatSettings::score()
{
    QFETCH(QString, query);
    QFETCH(QString, text);
    QFETCH(bool, matches);
    QCOMPARE(RoomMatchModel::score(query, text) >= 0, matches);
}

QTEST_GUILESS_MAIN(TestChatSettings)
#include "tst_chatsettings.moc"
