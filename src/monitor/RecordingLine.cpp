#include "RecordingLine.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

namespace Redwire {

namespace {
// The translation context of this file's messages, for members and free functions alike.
struct RecordingLineText
{
    Q_DECLARE_TR_FUNCTIONS(Redwire::RecordingLine)
};

RecordingLine malformed(const QString &problem)
{
    RecordingLine line;
    line.kind = RecordingLine::Kind::Malformed;
    line.problem = problem;
    return line;
}

// The bytes of `name` (a UTF-8 string) or `name_base64`; false with `problem` set when neither
// is there, or one is not a string or not valid base64.
bool bytesField(const QJsonObject &object, const QString &name, QByteArray *bytes, QString *problem)
{
    const QJsonValue text = object.value(name);
    const QJsonValue base64 = object.value(name + QStringLiteral("_base64"));
    if (text.isString() && base64.isUndefined()) {
        *bytes = text.toString().toUtf8();
        return true;
    }
    if (base64.isString() && text.isUndefined()) {
        const auto decoded = QByteArray::fromBase64Encoding(
            base64.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded) {
            *bytes = *decoded;
            return true;
        }
        *problem = RecordingLineText::tr("\"%1_base64\" is not valid base64").arg(name);
        return false;
    }
    if (text.isUndefined() && base64.isUndefined())
        *problem = RecordingLineText::tr("no \"%1\" or \"%1_base64\"").arg(name);
    else if (!text.isUndefined() && !base64.isUndefined())
        *problem = RecordingLineText::tr("both \"%1\" and \"%1_base64\"").arg(name);
    else
        *problem = RecordingLineText::tr("\"%1\" is not a string").arg(name);
    return false;
}
} // namespace

RecordingLine RecordingLine::parse(const QByteArray &line)
{
    const QByteArray trimmed = line.trimmed();
    if (trimmed.isEmpty())
        return {};
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(trimmed, &error);
    if (error.error != QJsonParseError::NoError)
        return malformed(
            RecordingLineText::tr("not JSON (%1 at offset %2)").arg(error.errorString()).arg(error.offset));
    if (!document.isObject())
        return malformed(RecordingLineText::tr("not a JSON object"));
    const QJsonObject object = document.object();
    if (object.contains(QStringLiteral("event"))) {
        RecordingLine event;
        event.kind = Kind::Event;
        return event;
    }

    RecordingLine message;
    message.kind = Kind::Message;
    const QDateTime time
        = QDateTime::fromString(object.value(QStringLiteral("time")).toString(), Qt::ISODateWithMs);
    if (!time.isValid())
        return malformed(
            RecordingLineText::tr("no valid \"time\" (ISO 8601, e.g. 2024-05-01T12:34:56.789Z)"));
    message.timestampMs = time.toMSecsSinceEpoch();
    QString problem;
    if (!bytesField(object, QStringLiteral("channel"), &message.channel, &problem)
        || !bytesField(object, QStringLiteral("payload"), &message.payload, &problem))
        return malformed(problem);
    const QJsonValue sharded = object.value(QStringLiteral("sharded"));
    if (!sharded.isUndefined() && !sharded.isBool())
        return malformed(RecordingLineText::tr("\"sharded\" is not true or false"));
    message.sharded = sharded.toBool(false);
    // The recorded size guards against a payload changed on the way (an editor that "fixed" it).
    const QJsonValue size = object.value(QStringLiteral("size"));
    if (!size.isUndefined() && (!size.isDouble() || size.toDouble() != double(message.payload.size())))
        return malformed(RecordingLineText::tr(
            "\"size\" is %1 but the payload has %n byte(s)", nullptr, int(message.payload.size()))
                             .arg(size.toVariant().toString()));
    return message;
}

} // namespace Redwire
