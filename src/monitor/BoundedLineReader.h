#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace Redwire {

// Reads a file a line at a time, in chunks, holding at most about one line (maxLineBytes) in
// memory: a longer line is skipped and reported as TooLong, not read into memory.
// (QIODevice::readLine(max) would allocate `max` bytes for every line.)
class BoundedLineReader
{
public:
    enum class Result { Line, TooLong, End, Error };
    static constexpr qint64 ChunkBytes = 64 * 1024;

    explicit BoundedLineReader(qint64 maxLineBytes);

    bool open(const QString &path); // false with errorString()
    void close();
    // The next line (with its "\n", or without at the end of a file that does not end with one).
    Result next(QByteArray *line);
    // The number of the line last returned (or skipped as too long), from 1.
    qint64 lineNumber() const { return m_lineNumber; }
    qint64 bytesRead() const { return m_file.pos() - (m_buffer.size() - m_lineStart); }
    qint64 size() const { return m_size; }
    QString fileName() const { return m_file.fileName(); }
    QString errorString() const { return m_file.errorString(); }

private:
    QFile m_file;
    qint64 m_maxLineBytes;
    qint64 m_size = 0;
    qint64 m_lineNumber = 0;
    QByteArray m_buffer;
    qsizetype m_lineStart = 0; // the unread part of m_buffer starts here
    qsizetype m_scanFrom = 0; // no '\n' in m_buffer before this
    bool m_discarding = false; // inside a line that is too long, until its '\n'
};

} // namespace Redwire
