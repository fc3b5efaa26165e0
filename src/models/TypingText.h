#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace Redwire {

// The line under the message view that says who is typing ("bob is typing…").
class TypingText
{
    Q_DECLARE_TR_FUNCTIONS(TypingText)
public:
    // `typing`: who the room says is typing; `nickname` (ours) is left out. Empty for nobody.
    static QString describe(QStringList typing, const QString &nickname);
};

} // namespace Redwire
