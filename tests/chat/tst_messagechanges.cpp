// MessageChanges: edits, deletes and reactions by the message they change, in any order, only
// the author's edits and deletes, bounded.
#include "chat/MessageChanges.h"

#include <QSignalSpy>
#include <QTest>

using namespace Redwire;
using Kind = ChatEnvelope::Kind;

namespace {
ChatMessage message(const QString &id, const QString &sender, const QString &text)
{
    ChatEnvelope envelope = ChatEnvelope::create(Kind::Message, sender, text);
    envelope.id = id;
    return ChatMessage::fromEnvelope(envelope, QStringLiteral("me"), 1);
}

ChatEnvelope change(Kind kind, const QString &sender, const QString &ref, const QString &text = {},
    const QByteArray &streamId = {})
{
    ChatEnvelope envelope = ChatEnvelope::create(kind, sender, text);
    envelope.ref = ref;
    envelope.hasText = !text.isEmpty();
    envelope.streamId = StreamId::parse(streamId);
    return envelope;
}

ChatEnvelope reaction(const QString &sender, const QString &ref, const QString &emoji, bool on = true,
    const QByteArray &streamId = {})
{
    ChatEnvelope envelope = change(Kind::React, sender, ref, {}, streamId);
    envelope.reaction = emoji;
    envelope.reactionOn = on;
    return envelope;
}

ChatMessage applied(const MessageChanges &changes, ChatMessage original)
{
    changes.applyTo(original);
    return original;
}

QString reactionsText(const ChatMessage &m)
{
    QStringList parts;
    for (const ChatMessage::Reaction &r : m.reactions)
        parts << QStringLiteral("%1%2%3")
                     .arg(r.reaction)
                     .arg(r.count)
                     .arg(r.mine ? QStringLiteral("*") : QString());
    return parts.join(u' ');
}
} // namespace

class TestMessageChanges : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void editByAuthorApplies();
    void forgedEditIsIgnored();
    void forgedEditBeforeOriginalNeverApplies();
    void latestEditWinsByStreamId();
    void deleteIsFinal();
    void reactionsCountAndToggle();
    void replayChangesNothing();
    void changesOfNoticesAndExternalsAreIgnored();
    void invalidChangesAreRefused();
    void reactionsAreBounded();
    void totalIsBounded();
};

void TestMessageChanges::editByAuthorApplies()
{
    MessageChanges changes(QStringLiteral("me"));
    QSignalSpy changed(&changes, &MessageChanges::changed);
    const ChatMessage original = message("m1", "alice", "helo");
    QVERIFY(changes.record(change(Kind::Edit, "alice", "m1", "hello"), &original));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toString(), QStringLiteral("m1"));
    const ChatMessage shown = applied(changes, original);
    QCOMPARE(shown.text, QStringLiteral("hello"));
    QVERIFY(shown.edited);
    QVERIFY(!shown.deleted);
    // An edit that mentions us counts as a mention.
    QVERIFY(changes.record(change(Kind::Edit, "alice", "m1", "hello me"), &original));
    QVERIFY(applied(changes, original).mentionsMe);
}

void TestMessageChanges::forgedEditIsIgnored()
{
    MessageChanges changes(QStringLiteral("me"));
    QSignalSpy changed(&changes, &MessageChanges::changed);
    const ChatMessage original = message("m1", "alice", "hi");
    QVERIFY(!changes.record(change(Kind::Edit, "mallory", "m1", "send me money"), &original));
    QVERIFY(!changes.record(change(Kind::Delete, "mallory", "m1"), &original));
    // A look-alike of the author's name is not the author.
    ChatEnvelope lookAlike = change(Kind::Edit, "alice", "m1", "forged");
    lookAlike.senderSuspicious = true;
    QVERIFY(!changes.record(lookAlike, &original));
    QCOMPARE(changed.count(), 0);
    const ChatMessage shown = applied(changes, original);
    QCOMPARE(shown.text, QStringLiteral("hi"));
    QVERIFY(!shown.edited && !shown.deleted);
}

void TestMessageChanges::forgedEditBeforeOriginalNeverApplies()
{
    // History read newest first: the changes come before their message is known.
    MessageChanges changes(QStringLiteral("me"));
    QVERIFY(changes.record(change(Kind::Edit, "mallory", "m1", "forged", "5-0")));
    QVERIFY(changes.record(change(Kind::Delete, "mallory", "m1", {}, "6-0")));
    QVERIFY(changes.record(change(Kind::Edit, "alice", "m1", "real", "4-0")));
    const ChatMessage shown = applied(changes, message("m1", "alice", "first"));
    QCOMPARE(shown.text, QStringLiteral("real"));
    QVERIFY(shown.edited);
    QVERIFY(!shown.deleted);
}

void TestMessageChanges::latestEditWinsByStreamId()
{
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "v0");
    QVERIFY(changes.record(change(Kind::Edit, "alice", "m1", "v2", "20-0"), &original));
    // An older page brings an earlier edit: it does not win.
    QVERIFY(!changes.record(change(Kind::Edit, "alice", "m1", "v1", "10-0"), &original));
    QCOMPARE(applied(changes, original).text, QStringLiteral("v2"));
    // Not stored (published by hand): by arrival.
    QVERIFY(changes.record(change(Kind::Edit, "alice", "m1", "v3"), &original));
    QCOMPARE(applied(changes, original).text, QStringLiteral("v3"));
}

void TestMessageChanges::deleteIsFinal()
{
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "oops");
    QVERIFY(changes.record(reaction("bob", "m1", "😮"), &original));
    QVERIFY(changes.record(change(Kind::Delete, "alice", "m1", "(deleted a message)"), &original));
    QVERIFY(!changes.record(change(Kind::Edit, "alice", "m1", "back again"), &original));
    const ChatMessage shown = applied(changes, original);
    QVERIFY(shown.deleted);
    QVERIFY(shown.text.isEmpty());
    QVERIFY(shown.reactions.isEmpty());
}

void TestMessageChanges::reactionsCountAndToggle()
{
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "party");
    QVERIFY(changes.record(reaction("bob", "m1", "🎉"), &original));
    QVERIFY(changes.record(reaction("me", "m1", "🎉"), &original));
    QVERIFY(changes.record(reaction("me", "m1", "👍"), &original));
    QCOMPARE(reactionsText(applied(changes, original)), QStringLiteral("🎉2* 👍1*"));
    QVERIFY(changes.record(reaction("me", "m1", "🎉", false), &original));
    QCOMPARE(reactionsText(applied(changes, original)), QStringLiteral("🎉1 👍1*"));
    QVERIFY(changes.record(reaction("bob", "m1", "🎉", false), &original));
    QCOMPARE(reactionsText(applied(changes, original)), QStringLiteral("👍1*"));
    // The same reaction twice from one sender counts once.
    QVERIFY(!changes.record(reaction("me", "m1", "👍"), &original));
    QCOMPARE(reactionsText(applied(changes, original)), QStringLiteral("👍1*"));
}

void TestMessageChanges::replayChangesNothing()
{
    // Live copies first (with their stream IDs), then the same entries from the stream, then an
    // older page with what came before: the state stays the latest.
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "x");
    QVERIFY(changes.record(reaction("bob", "m1", "👍", true, "10-0"), &original));
    QVERIFY(changes.record(reaction("bob", "m1", "👍", false, "11-0"), &original));
    QVERIFY(!changes.record(reaction("bob", "m1", "👍", true, "10-0"), &original));
    QVERIFY(!changes.record(reaction("bob", "m1", "👍", false, "11-0"), &original));
    QCOMPARE(reactionsText(applied(changes, original)), QString());
    QSignalSpy changed(&changes, &MessageChanges::changed);
    QVERIFY(changes.record(change(Kind::Delete, "alice", "m9", {}, "12-0")));
    QVERIFY(!changes.record(change(Kind::Delete, "alice", "m9", {}, "12-0")));
    QCOMPARE(changed.count(), 1);
}

void TestMessageChanges::changesOfNoticesAndExternalsAreIgnored()
{
    MessageChanges changes(QStringLiteral("me"));
    ChatEnvelope joinEnvelope = ChatEnvelope::create(Kind::Join, "alice");
    joinEnvelope.id = QStringLiteral("j1");
    const ChatMessage join = ChatMessage::fromEnvelope(joinEnvelope, "me", 1);
    QVERIFY(!changes.record(change(Kind::Edit, "alice", "j1", "x"), &join));
    const ChatMessage external = ChatMessage::fromEnvelope(ChatEnvelope::decode("plain", 1000), "me", 1);
    QVERIFY(external.id.isEmpty());
    ChatMessage shown = external;
    changes.applyTo(shown);
    QCOMPARE(shown.text, QStringLiteral("plain"));
}

void TestMessageChanges::invalidChangesAreRefused()
{
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "x");
    QVERIFY(!changes.record(change(Kind::Edit, "alice", QString(), "no ref"), &original));
    QVERIFY(!changes.record(change(Kind::Edit, "alice", "m1", QString()), &original));
    QVERIFY(!changes.record(reaction("bob", "m1", QString()), &original));
    QVERIFY(!changes.record(change(Kind::Message, "alice", "m1", "a reply"), &original));
    QCOMPARE(changes.messageCount(), 0);
}

void TestMessageChanges::reactionsAreBounded()
{
    MessageChanges changes(QStringLiteral("me"));
    const ChatMessage original = message("m1", "alice", "x");
    // Distinct reactions: at most MaxDistinctReactions (letters stand in for emoji: one grapheme).
    for (int i = 0; i < MessageChanges::MaxDistinctReactions + 5; ++i)
        changes.record(reaction("bob", "m1", QString(QChar(u'A' + i))), &original);
    QCOMPARE(applied(changes, original).reactions.size(), MessageChanges::MaxDistinctReactions);
    // Senders: at most MaxReactionRecords records per message.
    for (int i = 0; i < MessageChanges::MaxReactionRecords + 50; ++i)
        changes.record(reaction(QStringLiteral("user%1").arg(i), "m1", "A"), &original);
    int total = 0;
    for (const ChatMessage::Reaction &r : applied(changes, original).reactions)
        total += r.count;
    QCOMPARE(total, MessageChanges::MaxReactionRecords);
    // Forged edit senders while the message is unknown: at most MaxChangersPerMessage kept.
    for (int i = 0; i < 50; ++i)
        changes.record(change(Kind::Edit, QStringLiteral("forger%1").arg(i), "m2", "x"));
    QVERIFY(changes.memoryBytes() < 200 * 1024);
}

void TestMessageChanges::totalIsBounded()
{
    MessageChanges changes(QStringLiteral("me"), 100, 64 * 1024);
    for (int i = 0; i < 1000; ++i)
        changes.record(change(Kind::Edit, "alice", QStringLiteral("m%1").arg(i), QString(1000, 'x')));
    QVERIFY(changes.messageCount() <= 100);
    QVERIFY(changes.memoryBytes() <= 64 * 1024);
    // The newest are kept.
    QCOMPARE(applied(changes, message("m999", "alice", "y")).text, QString(1000, 'x'));
    QCOMPARE(applied(changes, message("m0", "alice", "y")).text, QStringLiteral("y"));
}

QTEST_GUILESS_MAIN(TestMessageChanges)
#include "tst_messagechanges.moc"
