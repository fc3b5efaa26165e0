#include "TypingText.h"

namespace Redwire {

QString TypingText::describe(QStringList typing, const QString &nickname)
{
    typing.removeAll(nickname);
    switch (typing.size()) {
    case 0:
        return {};
    case 1:
        return tr("%1 is typing…").arg(typing.first());
    case 2:
        return tr("%1 and %2 are typing…").arg(typing.at(0), typing.at(1));
    default:
        return tr("Several people are typing…");
    }
}

} // namespace Redwire
