#include "CanonicalEnvelope.h"

#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <vector>

namespace Redwire::CanonicalEnvelope {

namespace {

constexpr double LargestExactInteger = 9007199254740991.0; // 2^53 - 1

// False for a string with a lone surrogate ("\ud800" on the wire): it has no UTF-8 form, and
// replacing it would let two different envelopes share one signature.
bool appendString(QByteArray &out, const QString &text)
{
    if (!text.isValidUtf16())
        return false;
    static constexpr char Hex[] = "0123456789abcdef";
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        switch (byte) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (byte < 0x20) {
                out += "\\u00";
                out += Hex[byte >> 4];
                out += Hex[byte & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
    return true;
}

bool append(QByteArray &out, const QJsonValue &value, int depth);

bool appendObject(QByteArray &out, const QJsonObject &object, int depth)
{
    // Sorted by the keys' UTF-8 bytes, which is code point order (Python's sort_keys). QJsonObject
    // keeps its keys in UTF-16 order, which differs above U+FFFF.
    std::vector<std::pair<QByteArray, QString>> keys;
    keys.reserve(size_t(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it)
        keys.emplace_back(it.key().toUtf8(), it.key());
    std::sort(keys.begin(), keys.end());
    out += '{';
    bool first = true;
    for (const auto &[utf8, key] : keys) {
        if (!first)
            out += ',';
        first = false;
        if (!appendString(out, key))
            return false;
        out += ':';
        if (!append(out, object.value(key), depth + 1))
            return false;
    }
    out += '}';
    return true;
}

bool append(QByteArray &out, const QJsonValue &value, int depth)
{
    // QJsonDocument refuses deeper documents anyway; this keeps the recursion bounded whatever
    // the caller built.
    if (depth > 64)
        return false;
    switch (value.type()) {
    case QJsonValue::Null:
        out += "null";
        return true;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return true;
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (!std::isfinite(number) || std::trunc(number) != number || std::fabs(number) > LargestExactInteger)
            return false;
        out += QByteArray::number(qint64(number));
        return true;
    }
    case QJsonValue::String:
        return appendString(out, value.toString());
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out += ',';
            if (!append(out, array.at(i), depth + 1))
                return false;
        }
        out += ']';
        return true;
    }
    case QJsonValue::Object:
        return appendObject(out, value.toObject(), depth);
    case QJsonValue::Undefined:
        break;
    }
    return false;
}

} // namespace

QByteArray json(const QJsonValue &value, bool *ok)
{
    QByteArray out;
    const bool done = append(out, value, 0);
    if (ok)
        *ok = done;
    return done ? out : QByteArray();
}

QByteArray signedBytes(const QByteArray &channel, const QJsonObject &envelope, bool *ok)
{
    QJsonObject covered = envelope;
    covered.remove(QStringLiteral("sig"));
    covered.remove(QStringLiteral("sid"));
    bool canonical = false;
    const QByteArray body = json(covered, &canonical);
    if (ok)
        *ok = canonical;
    if (!canonical)
        return {};
    return signedBytes(channel, body);
}

QByteArray signedBytes(const QByteArray &channel, const QByteArray &canonicalBody)
{
    return QByteArray(Context) + '\n' + channel + '\n' + canonicalBody;
}

} // namespace Redwire::CanonicalEnvelope
