#pragma once
// Per-cell embeddings kept on disk while a slide runs, so host memory does not grow with them (1280 floats =
// 5 KB per cell for SAM-H, 5 GB per million cells). Each finished patch appends its rows to a temporary file;
// RAM holds only the first row of each patch and its cell ids. At the end embeddings.npy is written in the
// order of the final cell list by reading the rows back, and the temporary file is removed.

#include "model_zoo/cellvit_error.h"
#include "inference/merge/slide_cell.h"
#include "inference/postproc/cell.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace cellvit {

enum class EmbeddingPrecision {
    Float32, // "<f4", exact
    Float16, // "<f2", half the disk space; ~3 significant digits
};

class EmbeddingSpillError : public Error {
public:
    using Error::Error;
};

class EmbeddingSpill {
public:
    // Creates (truncates) the temporary file. Throws EmbeddingSpillError when it cannot be written.
    EmbeddingSpill(std::filesystem::path path, EmbeddingPrecision precision = EmbeddingPrecision::Float32);
    ~EmbeddingSpill(); // removes the temporary file
    EmbeddingSpill(const EmbeddingSpill&) = delete;
    EmbeddingSpill& operator=(const EmbeddingSpill&) = delete;

    // One patch's rows: `values` is cells.size() × dim, row-major, same order as `cells`. A patch without
    // tokens (dim 0) records nothing; its cells get NaN rows. Throws on a second call for the same patch, a
    // dimension that differs from earlier patches, or a failed write (disk full).
    void addPatch(PatchIndex patch, const std::vector<Cell>& cells, int dim, const std::vector<float>& values);

    int dim() const { return m_dim; }
    uint64_t rowCount() const { return m_rows; }
    EmbeddingPrecision precision() const { return m_precision; }
    const std::filesystem::path& path() const { return m_path; }
    // Row of a cell in the temporary file, if its patch recorded tokens.
    std::optional<uint64_t> rowOf(PatchIndex patch, int patchCellId) const;

    // Writes a (cells.size(), dim) .npy ("<f4" or "<f2") whose row i belongs to cells[i] (NaN where no row
    // was recorded), reading the rows back with pread, then removes the temporary file. Throws
    // EmbeddingSpillError naming the file on a failed read or write.
    void writeNpy(const std::filesystem::path& out, const std::vector<SlideCell>& cells);

private:
    struct PatchRows {
        uint64_t firstRow = 0;
        std::vector<int> cellIds; // ascending (post-processing order)
    };
    size_t rowBytes() const;
    void removeFile();

    std::filesystem::path m_path;
    EmbeddingPrecision m_precision;
    int m_fd = -1;
    int m_dim = 0;
    uint64_t m_rows = 0;
    std::unordered_map<PatchIndex, PatchRows> m_patches;
};

} // namespace cellvit
