#include "MessageHtml.h"

#include <QRegularExpression>

namespace Redwire::MessageHtml {

namespace {
QString escaped(QStringView text)
{
    QString out;
    out.reserve(text.size() + text.size() / 8);
    for (const QChar c : text) {
        switch (c.unicode()) {
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '"':
            out += QLatin1String("&quot;");
            break;
        case '\'':
            out += QLatin1String("&#39;");
            break;
        case '\n':
            out += QLatin1String("<br>");
            break;
        case '\r':
            break;
        case '\t':
            out += QLatin1String("&nbsp;&nbsp;&nbsp;&nbsp;");
            break;
        default:
            // Other control characters have no business in a rendered message.
            if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0))
                out += QChar(0xfffd);
            else
                out += c;
        }
    }
    return out;
}
} // namespace

QString fromPlainText(const QString &text)
{
    // A URL runs to the next space or angle bracket; trailing punctuation stays outside.
    static const QRegularExpression url(QStringLiteral(R"((https?://[^\s<>"']+[^\s<>"'.,;:!?)\]}]))"),
        QRegularExpression::CaseInsensitiveOption);
    QString html;
    qsizetype last = 0;
    auto it = url.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        html += escaped(QStringView(text).mid(last, match.capturedStart() - last));
        const QString link = escaped(match.capturedView());
        html += QLatin1String("<a href=\"") + link + QLatin1String("\">") + link + QLatin1String("</a>");
        last = match.capturedEnd();
    }
    html += escaped(QStringView(text).mid(last));
    return html;
}

} // namespace Redwire::MessageHtml
