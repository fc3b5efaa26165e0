#pragma once

#include <QString>

namespace Redwire {

// Turns text a remote party wrote into the only markup the message view shows: everything
// escaped, newlines as <br>, and http(s) URLs as links. Nothing else of the input can become markup.
namespace MessageHtml {
QString fromPlainText(const QString &text);
}

} // namespace Redwire
