#include "PasswordPrompt.h"

#include <cstdio>
#include <string>

#include <termios.h>
#include <unistd.h>

namespace {
bool readLine(std::string *line)
{
    line->clear();
    int c;
    while ((c = std::fgetc(stdin)) != EOF) {
        if (c == '\n')
            return true;
        line->push_back(char(c));
    }
    return !line->empty();
}
} // namespace

bool PasswordPrompt::read(const QString &prompt, QString *password)
{
    std::string line;
    if (!::isatty(STDIN_FILENO)) {
        if (!readLine(&line))
            return false;
    } else {
        std::fputs(prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
        termios saved {};
        const bool haveTerminal = ::tcgetattr(STDIN_FILENO, &saved) == 0;
        if (haveTerminal) {
            termios silent = saved;
            silent.c_lflag &= ~tcflag_t(ECHO);
            silent.c_lflag |= ECHONL;
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
        }
        const bool ok = readLine(&line);
        if (haveTerminal)
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        if (!ok)
            return false;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    *password = QString::fromStdString(line);
    return true;
}
