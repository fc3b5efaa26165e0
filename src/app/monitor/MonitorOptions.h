#pragma once

#include "monitor/MessageFormatter.h"

#include "redis/ConnectionOptions.h"

#include <QByteArray>
#include <QList>
#include <QString>

// What one run of redwire-monitor was asked to do, as parsed from its command line.
struct MonitorOptions
{
    Redwire::ConnectionOptions connection;
    QList<QByteArray> patterns; // "*" when no patterns, channels or key patterns are given
    QList<QByteArray> channels;
    QList<QByteArray> shardChannels; // --shard-channel: sharded Pub/Sub (SSUBSCRIBE)
    // --keyspace: key patterns whose changes to watch in the connection's database
    // (`__keyspace@<db>__:<pattern>`); --enable-keyspace-events turns the server's notifications on.
    QList<QByteArray> keyPatterns;
    bool enableKeyspaceEvents = false;
    bool printMessages = true; // false for --format none
    Redwire::MessageFormatter::Format format = Redwire::MessageFormatter::Format::Text;
    qint64 count = 0; // 0: no limit
    qint64 durationMs = 0; // 0: no limit
    qint64 statsIntervalMs = 0; // 0: no statistics
    QString channelRegex; // --filter; empty: every channel
    QString payloadPattern; // --grep (a substring) or --grep-regex; empty: every payload
    bool payloadPatternIsRegex = false; // --grep-regex
    bool reconnect = true;
    bool includeInternal = false; // show __redwire:… channels
    bool askPassword = false;
    bool quiet = false;
    // --replay FILE: publish a recording's messages instead of watching.
    QString replayFile;
    double replaySpeed = 1; // --speed; 0 for --as-fast-as-possible
    bool dryRun = false; // --dry-run: print what would be published
};
