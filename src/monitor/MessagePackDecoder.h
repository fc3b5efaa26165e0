#pragma once

#include <QByteArray>

namespace Redwire {

// Decodes a MessagePack payload into JSON text, for people to read (the monitor's detail pane).
// Map entries keep their order; a key that is not a string becomes the string of its JSON
// ({1: "a"} reads {"1": "a"}); bin is {"$bin": "<base64>"}, an extension {"$ext": type, "data":
// "<base64>"}, a timestamp (extension -1) {"$timestamp": "2024-05-01T12:34:56.789Z"}; NaN and the
// infinities are strings. Hostile input is safe: a declared length is checked against the bytes
// left before anything is allocated, nesting stops at maxDepth, the text at maxOutputBytes.
class MessagePackDecoder
{
public:
    enum class Status {
        Ok,
        Truncated, // the data ends inside a value
        Invalid, // 0xc1, the one byte MessagePack never uses
        TooDeep, // arrays and maps nested deeper than maxDepth
        TrailingBytes, // one whole value, then more bytes
        OutputTooLarge, // the JSON would be longer than maxOutputBytes
    };
    enum class Layout { Compact, Indented };

    struct Limits
    {
        int maxDepth = 64;
        qsizetype maxOutputBytes = 4 * 1024 * 1024;
    };

    struct Result
    {
        Status status = Status::Ok;
        QByteArray json; // complete only when status is Ok
        qsizetype errorOffset = -1; // where decoding stopped, for an error
        bool ok() const { return status == Status::Ok; }
    };

    static Result toJson(const QByteArray &data, Layout layout = Layout::Indented);
    static Result toJson(const QByteArray &data, Layout layout, const Limits &limits);
};

} // namespace Redwire
