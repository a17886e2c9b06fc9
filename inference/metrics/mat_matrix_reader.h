#pragma once
// One real numeric 2-D variable of a MATLAB v5 .mat file, read with libmatio (Debian libmatio-dev). Shared by
// the CRCHistoPhenotypes point files (N×2) and CoNSeP's type_mat files (inst_type N×1, inst_centroid N×2).

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace cellvit::metrics {

struct MatMatrix {
    size_t rows = 0, cols = 0;
    std::vector<double> values; // column-major, as MATLAB stores it
    double at(size_t row, size_t col) const { return values[col * rows + row]; }
};

// Throws AnnotationError naming the file for a missing, truncated or unreadable file, a missing variable, or a
// variable that is not a real numeric matrix. An empty MATLAB array ([] = 0×0) gives rows = cols = 0.
MatMatrix readMatMatrix(const std::filesystem::path& file, const std::string& variable);

} // namespace cellvit::metrics
