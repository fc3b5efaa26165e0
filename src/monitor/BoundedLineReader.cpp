#include "BoundedLineReader.h"

namespace Redwire {

BoundedLineReader::BoundedLineReader(qint64 maxLineBytes)
    : m_maxLineBytes(qMax<qint64>(1, maxLineBytes))
{ }

bool BoundedLineReader::open(const QString &path)
{
    close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly))
        return false;
    m_size = m_file.size();
    return true;
}

void BoundedLineReader::close()
{
    m_file.close();
    m_buffer.clear();
    m_lineStart = 0;
    m_scanFrom = 0;
    m_lineNumber = 0;
    m_discarding = false;
}

BoundedLineReader::Result BoundedLineReader::next(QByteArray *line)
{
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', qMax(m_scanFrom, m_lineStart));
        if (newline >= 0) {
            ++m_lineNumber;
            const bool tooLong = m_discarding;
            m_discarding = false;
            if (!tooLong)
                *line = m_buffer.mid(m_lineStart, newline + 1 - m_lineStart);
            m_lineStart = newline + 1;
            m_scanFrom = m_lineStart;
            return tooLong ? Result::TooLong : Result::Line;
        }
        m_scanFrom = m_buffer.size();
        if (m_buffer.size() - m_lineStart > m_maxLineBytes) {
            m_discarding = true;
            m_buffer.clear();
            m_lineStart = 0;
            m_scanFrom = 0;
        }
        if (m_file.atEnd()) {
            if (m_lineStart == m_buffer.size() && !m_discarding)
                return Result::End;
            // The last line has no '\n'.
            ++m_lineNumber;
            const bool tooLong = m_discarding;
            m_discarding = false;
            if (!tooLong)
                *line = m_buffer.mid(m_lineStart);
            m_buffer.clear();
            m_lineStart = 0;
            m_scanFrom = 0;
            return tooLong ? Result::TooLong : Result::Line;
        }
        // Drop what was returned before reading more: the buffer holds at most one line and a chunk.
        if (m_lineStart > 0) {
            m_buffer.remove(0, m_lineStart);
            m_scanFrom -= m_lineStart;
            m_lineStart = 0;
        }
        const QByteArray chunk = m_file.read(ChunkBytes);
        if (chunk.isEmpty() && !m_file.atEnd())
            return Result::Error;
        m_buffer += chunk;
    }
}

} // namespace Redwire
