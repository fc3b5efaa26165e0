#pragma once

#include <QString>

// --askpass: asks for the password on the terminal with echo off, or, when stdin is not a
// terminal (a script piping it in), reads one line from stdin. Runs before the event loop starts.
// A signal that ends the process at the prompt (Ctrl-C) puts the terminal's echo back first.
class PasswordPrompt
{
public:
    // False when nothing could be read (end of input).
    static bool read(const QString &prompt, QString *password);
};
