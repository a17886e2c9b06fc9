#include "inference/pipeline/embedding_spill.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <opencv2/core.hpp>
#include <string>
#include <unistd.h>

namespace cellvit {
namespace {

std::string systemError()
{
    return std::strerror(errno);
}

void writeAll(int fd, const char* data, size_t size, const std::filesystem::path& path)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw EmbeddingSpillError(path.string() + ": write failed (" + systemError() + ")");
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void readAll(int fd, char* data, size_t size, uint64_t offset, const std::filesystem::path& path)
{
    while (size > 0) {
        const ssize_t n = ::pread(fd, data, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw EmbeddingSpillError(
                path.string() + ": read failed (" + (n == 0 ? std::string("file too short") : systemError()) + ")");
        data += n;
        size -= static_cast<size_t>(n);
        offset += static_cast<uint64_t>(n);
    }
}

// NumPy format 1.0 header, padded so the data starts at a multiple of 64 bytes.
std::string npyHeader(const char* dtype, uint64_t rows, int dim)
{
    std::string dict = std::string("{'descr': '") + dtype + "', 'fortran_order': False, 'shape': ("
        + std::to_string(rows) + ", " + std::to_string(dim) + "), }";
    const size_t unpadded = 10 + dict.size() + 1;
    dict.append((64 - unpadded % 64) % 64, ' ');
    dict.push_back('\n');
    std::string header("\x93NUMPY\x01\x00", 8);
    const auto length = static_cast<uint16_t>(dict.size());
    header.push_back(static_cast<char>(length & 0xff));
    header.push_back(static_cast<char>(length >> 8));
    return header + dict;
}

} // namespace

EmbeddingSpill::EmbeddingSpill(std::filesystem::path path, EmbeddingPrecision precision)
    : m_path(std::move(path))
    , m_precision(precision)
{
    m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (m_fd < 0)
        throw EmbeddingSpillError(m_path.string() + ": cannot create the embedding spill file (" + systemError() + ")");
}

EmbeddingSpill::~EmbeddingSpill()
{
    removeFile();
}

void EmbeddingSpill::removeFile()
{
    if (m_fd < 0)
        return;
    ::close(m_fd);
    m_fd = -1;
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
}

size_t EmbeddingSpill::rowBytes() const
{
    return static_cast<size_t>(m_dim) * (m_precision == EmbeddingPrecision::Float16 ? 2 : 4);
}

void EmbeddingSpill::addPatch(
    PatchIndex patch, const std::vector<Cell>& cells, int dim, const std::vector<float>& values)
{
    if (m_fd < 0)
        throw EmbeddingSpillError(m_path.string() + ": rows added after the embeddings were written");
    if (dim <= 0 || cells.empty())
        return;
    if (m_dim == 0)
        m_dim = dim;
    if (dim != m_dim)
        throw EmbeddingSpillError(
            m_path.string() + ": patch embeddings of width " + std::to_string(dim) + " after " + std::to_string(m_dim));
    if (values.size() != cells.size() * static_cast<size_t>(dim))
        throw EmbeddingSpillError(m_path.string() + ": a patch has " + std::to_string(values.size())
            + " embedding values for " + std::to_string(cells.size()) + " cells");
    PatchRows rows;
    rows.firstRow = m_rows;
    rows.cellIds.reserve(cells.size());
    for (const Cell& c : cells)
        rows.cellIds.push_back(c.id);
    if (!std::is_sorted(rows.cellIds.begin(), rows.cellIds.end()))
        throw EmbeddingSpillError(m_path.string() + ": cell ids of a patch are not ascending");
    if (!m_patches.emplace(patch, std::move(rows)).second)
        throw EmbeddingSpillError(m_path.string() + ": patch " + std::to_string(patch.row) + ","
            + std::to_string(patch.col) + " added twice");
    if (m_precision == EmbeddingPrecision::Float16) {
        cv::Mat half;
        cv::Mat(1, static_cast<int>(values.size()), CV_32F, const_cast<float*>(values.data())).convertTo(half, CV_16F);
        writeAll(m_fd, reinterpret_cast<const char*>(half.data), values.size() * 2, m_path);
    } else {
        writeAll(m_fd, reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float), m_path);
    }
    m_rows += cells.size();
}

std::optional<uint64_t> EmbeddingSpill::rowOf(PatchIndex patch, int patchCellId) const
{
    const auto found = m_patches.find(patch);
    if (found == m_patches.end())
        return std::nullopt;
    const std::vector<int>& ids = found->second.cellIds;
    const auto it = std::lower_bound(ids.begin(), ids.end(), patchCellId);
    if (it == ids.end() || *it != patchCellId)
        return std::nullopt;
    return found->second.firstRow + static_cast<uint64_t>(it - ids.begin());
}

void EmbeddingSpill::writeNpy(const std::filesystem::path& out, const std::vector<SlideCell>& cells)
{
    if (m_fd < 0)
        throw EmbeddingSpillError(m_path.string() + ": the embeddings were already written");
    if (m_dim == 0)
        throw EmbeddingSpillError(m_path.string() + ": no embeddings were recorded");
    const int outFd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (outFd < 0)
        throw EmbeddingSpillError(out.string() + ": cannot write (" + systemError() + ")");
    try {
        const bool half = m_precision == EmbeddingPrecision::Float16;
        const std::string header = npyHeader(half ? "<f2" : "<f4", cells.size(), m_dim);
        writeAll(outFd, header.data(), header.size(), out);

        std::vector<char> nanRow(rowBytes());
        if (half) {
            const uint16_t nan = 0x7e00;
            for (size_t i = 0; i < nanRow.size(); i += 2)
                std::memcpy(nanRow.data() + i, &nan, 2);
        } else {
            const float nan = std::numeric_limits<float>::quiet_NaN();
            for (size_t i = 0; i < nanRow.size(); i += 4)
                std::memcpy(nanRow.data() + i, &nan, 4);
        }
        // Rows are copied through a bounded buffer; runs of consecutive rows (cells arrive patch by patch,
        // mostly in the order they were spilled) are read with one pread.
        const size_t bytesPerRow = rowBytes();
        const size_t bufferRows = std::max<size_t>(1, (4u << 20) / bytesPerRow);
        std::vector<char> buffer(bufferRows * bytesPerRow);
        size_t filled = 0; // rows in the buffer
        size_t runStart = 0, runLength = 0; // buffer slot and length of the pending run
        uint64_t runFirstRow = 0;
        auto readRun = [&] {
            if (runLength > 0)
                readAll(m_fd, buffer.data() + runStart * bytesPerRow, runLength * bytesPerRow,
                    runFirstRow * bytesPerRow, m_path);
            runLength = 0;
        };
        auto flush = [&] {
            readRun();
            writeAll(outFd, buffer.data(), filled * bytesPerRow, out);
            filled = 0;
        };
        for (const SlideCell& c : cells) {
            if (filled == bufferRows)
                flush();
            const std::optional<uint64_t> row = rowOf(c.patch, c.patchCellId);
            if (!row) {
                readRun();
                std::memcpy(buffer.data() + filled * bytesPerRow, nanRow.data(), bytesPerRow);
            } else if (runLength > 0 && *row == runFirstRow + runLength && runStart + runLength == filled) {
                ++runLength;
            } else {
                readRun();
                runStart = filled;
                runFirstRow = *row;
                runLength = 1;
            }
            ++filled;
        }
        flush();
    } catch (...) {
        ::close(outFd);
        throw;
    }
    if (::close(outFd) != 0)
        throw EmbeddingSpillError(out.string() + ": write failed (" + systemError() + ")");
    removeFile();
}

} // namespace cellvit
