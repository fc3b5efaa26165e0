#pragma once

#include <QByteArray>

namespace Redwire {

// Pretty-prints JSON text as it came: keys in the order they were received (QJsonDocument sorts
// them), numbers and escapes exactly as written; only the whitespace between tokens changes
// (four spaces per level, as QJsonDocument::Indented). Iterative: nesting depth costs no stack.
// Meant for text that is already known to be valid JSON; anything else is re-spaced, never lost.
class JsonIndenter
{
public:
    static QByteArray indented(const QByteArray &json);
};

} // namespace Redwire
