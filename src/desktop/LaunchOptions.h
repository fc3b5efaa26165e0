#pragma once

#include "redis/ConnectionOptions.h"

#include <QStringList>

namespace Redwire {

// What `redwire [redis://[user@]host[:port][/db]] [--nick NAME] [--room NAME]... [--monitor]` asks for, so a
// link or a script opens the app straight into a room. The password never comes from the command
// line: REDWIRE_PASSWORD or the keychain.
struct LaunchOptions
{
    bool hasServer = false; // a URL was given
    ConnectionOptions connection;
    QString nickname;
    QStringList rooms;
    bool openMonitor = false; // --monitor: show the channel monitor once connected
    bool showHelp = false;
    bool showVersion = false;
    QString error; // non-empty: the command line was wrong

    static LaunchOptions parse(const QStringList &arguments, const QString &passwordFromEnvironment = {});
    static QString helpText();
};

} // namespace Redwire
