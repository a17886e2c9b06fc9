#pragma once
// std::streambuf over a file read with zlib (gzip or plain: gzread passes plain files through), so large JSON can
// be parsed as a stream. Remembers enough of what it delivered to turn a byte offset into a line and column.

#include <cstddef>
#include <filesystem>
#include <streambuf>
#include <utility>
#include <vector>
#include <zlib.h>

namespace cellvit {

class GzipInputBuffer : public std::streambuf {
public:
    explicit GzipInputBuffer(const std::filesystem::path& file); // throws ExportError
    ~GzipInputBuffer() override;
    GzipInputBuffer(const GzipInputBuffer&) = delete;
    GzipInputBuffer& operator=(const GzipInputBuffer&) = delete;

    // 1-based line and column of a (decompressed) byte offset within the current or an earlier chunk.
    std::pair<std::size_t, std::size_t> lineAndColumn(std::size_t byte) const;

protected:
    int_type underflow() override; // throws ExportError on a corrupt stream

private:
    std::filesystem::path m_file;
    gzFile m_gz = nullptr;
    std::vector<char> m_chunk;
    std::size_t m_chunkStart = 0; // offset of m_chunk[0]
    std::size_t m_chunkSize = 0;
    std::size_t m_newlinesBefore = 0; // in earlier chunks
    std::size_t m_lineStartBefore = 0; // offset after the last newline of earlier chunks
};

} // namespace cellvit
