#include "RespCommandWriter.h"

#include <cstring>

namespace Redwire::RespCommandWriter {

namespace {

int decimalDigits(qsizetype value)
{
    int n = 1;
    while (value >= 10) {
        value /= 10;
        ++n;
    }
    return n;
}

char *writeDecimal(char *out, qsizetype value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
    return out + digits;
}

char *writeHeader(char *out, char type, qsizetype value)
{
    *out++ = type;
    out = writeDecimal(out, value, decimalDigits(value));
    *out++ = '\r';
    *out++ = '\n';
    return out;
}

} // namespace

void write(const QList<QByteArray> &args, QByteArray &out)
{
    qsizetype total = 3 + decimalDigits(args.size());
    for (const QByteArray &arg : args)
        total += 5 + decimalDigits(arg.size()) + arg.size();
    out.resize(total); // QByteArray::append would cost more than the formatting itself
    char *p = out.data();
    p = writeHeader(p, '*', args.size());
    for (const QByteArray &arg : args) {
        p = writeHeader(p, '$', arg.size());
        if (!arg.isEmpty())
            std::memcpy(p, arg.constData(), size_t(arg.size()));
        p += arg.size();
        *p++ = '\r';
        *p++ = '\n';
    }
    Q_ASSERT(p == out.constData() + total);
}

} // namespace Redwire::RespCommandWriter
