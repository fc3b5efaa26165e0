#include "JsonIndenter.h"

namespace Redwire {

namespace {
bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
} // namespace

QByteArray JsonIndenter::indented(const QByteArray &json)
{
    QByteArray out;
    out.reserve(json.size() + json.size() / 2);
    qsizetype depth = 0;
    auto newline = [&] {
        out += '\n';
        out.append(depth * 4, ' ');
    };
    const qsizetype size = json.size();
    for (qsizetype i = 0; i < size; ++i) {
        const char c = json.at(i);
        if (isSpace(c))
            continue;
        if (c == '"') {
            // Copy the string through its closing quote, escapes and all.
            const qsizetype start = i++;
            while (i < size && json.at(i) != '"')
                i += json.at(i) == '\\' ? 2 : 1;
            out += json.mid(start, qMin(i, size - 1) - start + 1);
            continue;
        }
        if (c == '{' || c == '[') {
            qsizetype next = i + 1;
            while (next < size && isSpace(json.at(next)))
                ++next;
            if (next < size && json.at(next) == (c == '{' ? '}' : ']')) {
                out += c;
                out += json.at(next);
                i = next;
                continue;
            }
            out += c;
            ++depth;
            newline();
        } else if (c == '}' || c == ']') {
            depth = qMax<qsizetype>(0, depth - 1);
            newline();
            out += c;
        } else if (c == ',') {
            out += c;
            newline();
        } else if (c == ':') {
            out += ": ";
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace Redwire
