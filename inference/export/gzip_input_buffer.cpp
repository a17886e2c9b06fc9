#include "inference/export/gzip_input_buffer.h"

#include "inference/export/export_error.h"

#include <algorithm>

namespace cellvit {

GzipInputBuffer::GzipInputBuffer(const std::filesystem::path& file)
    : m_file(file)
    , m_chunk(1 << 20)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec))
        throw ExportError(file.string() + ": no such file");
    m_gz = gzopen(file.c_str(), "rb");
    if (!m_gz)
        throw ExportError(file.string() + ": cannot open for reading");
    setg(m_chunk.data(), m_chunk.data(), m_chunk.data());
}

GzipInputBuffer::~GzipInputBuffer()
{
    if (m_gz)
        gzclose(m_gz);
}

GzipInputBuffer::int_type GzipInputBuffer::underflow()
{
    if (gptr() < egptr())
        return traits_type::to_int_type(*gptr());
    // The chunk is used up: fold its newlines into the running counts before overwriting it.
    for (std::size_t i = 0; i < m_chunkSize; ++i) {
        if (m_chunk[i] == '\n') {
            ++m_newlinesBefore;
            m_lineStartBefore = m_chunkStart + i + 1;
        }
    }
    m_chunkStart += m_chunkSize;
    const int n = gzread(m_gz, m_chunk.data(), static_cast<unsigned>(m_chunk.size()));
    if (n < 0) {
        int code = 0;
        throw ExportError(m_file.string() + ": cannot read (" + gzerror(m_gz, &code) + ")");
    }
    m_chunkSize = static_cast<std::size_t>(n);
    setg(m_chunk.data(), m_chunk.data(), m_chunk.data() + n);
    return n == 0 ? traits_type::eof() : traits_type::to_int_type(m_chunk[0]);
}

std::pair<std::size_t, std::size_t> GzipInputBuffer::lineAndColumn(std::size_t byte) const
{
    std::size_t line = m_newlinesBefore + 1;
    std::size_t lineStart = m_lineStartBefore;
    if (byte >= m_chunkStart) {
        const std::size_t end = std::min(byte - m_chunkStart, m_chunkSize);
        for (std::size_t i = 0; i < end; ++i) {
            if (m_chunk[i] == '\n') {
                ++line;
                lineStart = m_chunkStart + i + 1;
            }
        }
    }
    return { line, byte >= lineStart ? byte - lineStart + 1 : 1 };
}

} // namespace cellvit
