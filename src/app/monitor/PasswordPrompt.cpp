#include "PasswordPrompt.h"

#include <csignal>
#include <cstdio>
#include <iterator>
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

// While echo is off, a signal that ends the process (Ctrl-C, Ctrl-\, a hangup, kill) must not
// leave the terminal that way: the kernel does not restore it, and the shell the user returns to
// would not show what they type. The handler puts the saved settings back, then lets the signal do
// what it would have done (the exit status still says "killed by SIGINT").
termios g_saved {};
const int EndingSignals[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };

extern "C" void restoreTerminalAndDie(int signalNumber)
{
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &g_saved);
    const char newline = '\n'; // the prompt's line was left open
    [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, &newline, 1);
    std::signal(signalNumber, SIG_DFL);
    ::raise(signalNumber);
}

// Installs the handler for the time of the prompt; the previous dispositions come back after it.
class TerminalRestorer
{
public:
    explicit TerminalRestorer(const termios &saved)
    {
        g_saved = saved;
        struct sigaction action = {};
        action.sa_handler = restoreTerminalAndDie;
        sigemptyset(&action.sa_mask);
        for (int signalNumber : EndingSignals)
            sigaddset(&action.sa_mask, signalNumber); // one restore at a time
        for (size_t i = 0; i < std::size(EndingSignals); ++i)
            ::sigaction(EndingSignals[i], &action, &m_previous[i]);
    }
    ~TerminalRestorer()
    {
        for (size_t i = 0; i < std::size(EndingSignals); ++i)
            ::sigaction(EndingSignals[i], &m_previous[i], nullptr);
    }
    TerminalRestorer(const TerminalRestorer &) = delete;
    TerminalRestorer &operator=(const TerminalRestorer &) = delete;

private:
    struct sigaction m_previous[std::size(EndingSignals)] {};
};

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
        bool ok = false;
        if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
            const TerminalRestorer restorer(saved);
            termios silent = saved;
            silent.c_lflag &= ~tcflag_t(ECHO);
            silent.c_lflag |= ECHONL;
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent);
            ok = readLine(&line);
            ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        } else {
            ok = readLine(&line);
        }
        if (!ok)
            return false;
    }
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    *password = QString::fromStdString(line);
    return true;
}
