#include "inference/metrics/mat_matrix_reader.h"

#include "inference/metrics/annotation_error.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <matio.h>
#include <memory>

namespace cellvit::metrics {
namespace {

struct MatCloser {
    void operator()(mat_t* mat) const { Mat_Close(mat); }
};
struct VarFreer {
    void operator()(matvar_t* var) const { Mat_VarFree(var); }
};

template <typename T> double valueAt(const void* data, size_t index)
{
    return static_cast<double>(static_cast<const T*>(data)[index]);
}

// Element `index` of a real numeric array of any MATLAB class, as double.
double numberAt(const matvar_t& var, size_t index)
{
    switch (var.class_type) {
    case MAT_C_DOUBLE:
        return valueAt<double>(var.data, index);
    case MAT_C_SINGLE:
        return valueAt<float>(var.data, index);
    case MAT_C_INT8:
        return valueAt<int8_t>(var.data, index);
    case MAT_C_UINT8:
        return valueAt<uint8_t>(var.data, index);
    case MAT_C_INT16:
        return valueAt<int16_t>(var.data, index);
    case MAT_C_UINT16:
        return valueAt<uint16_t>(var.data, index);
    case MAT_C_INT32:
        return valueAt<int32_t>(var.data, index);
    case MAT_C_UINT32:
        return valueAt<uint32_t>(var.data, index);
    case MAT_C_INT64:
        return valueAt<int64_t>(var.data, index);
    case MAT_C_UINT64:
        return valueAt<uint64_t>(var.data, index);
    default:
        return std::nan("");
    }
}

bool isRealNumeric(const matvar_t& var)
{
    return var.class_type >= MAT_C_DOUBLE && var.class_type <= MAT_C_UINT64 && !var.isComplex && !var.isLogical;
}

// libmatio zero-fills what it cannot inflate from a truncated file instead of failing, so the top-level
// element sizes (v5: a 128-byte header, then tagged elements) are checked against the file size first.
void checkElementsFitInFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string header(128, '\0');
    if (!in.read(header.data(), 128))
        throw AnnotationError(file, "too short for a MATLAB v5 .mat file");
    const bool littleEndian = header.compare(126, 2, "IM") == 0;
    if (!littleEndian && header.compare(126, 2, "MI") != 0)
        throw AnnotationError(file, "not a MATLAB v5 .mat file (no endian indicator)");
    const uint64_t fileSize = std::filesystem::file_size(file);
    uint64_t position = 128;
    while (position < fileSize) {
        unsigned char tag[8];
        if (!in.read(reinterpret_cast<char*>(tag), 8))
            throw AnnotationError(file, "truncated element tag at byte " + std::to_string(position));
        const uint32_t type = littleEndian ? tag[0] | tag[1] << 8 | tag[2] << 16 | uint32_t(tag[3]) << 24
                                           : tag[3] | tag[2] << 8 | tag[1] << 16 | uint32_t(tag[0]) << 24;
        const uint32_t bytes = littleEndian ? tag[4] | tag[5] << 8 | tag[6] << 16 | uint32_t(tag[7]) << 24
                                            : tag[7] | tag[6] << 8 | tag[5] << 16 | uint32_t(tag[4]) << 24;
        // Small data elements pack their size in the upper half of the type and fit in the tag itself.
        const uint64_t size = (type >> 16) != 0 ? 0 : bytes;
        if (position + 8 + size > fileSize)
            throw AnnotationError(file,
                "truncated: an element at byte " + std::to_string(position) + " declares " + std::to_string(size)
                    + " bytes, the file ends at " + std::to_string(fileSize));
        position += 8 + size;
        if (type != 15) // uncompressed elements are padded to 8 bytes
            position = (position + 7) / 8 * 8;
        in.seekg(static_cast<std::streamoff>(position));
    }
}

} // namespace

MatMatrix readMatMatrix(const std::filesystem::path& file, const std::string& variable)
{
    if (!std::filesystem::is_regular_file(file))
        throw AnnotationError(file, "MAT file does not exist");
    checkElementsFitInFile(file);
    const std::unique_ptr<mat_t, MatCloser> mat(Mat_Open(file.string().c_str(), MAT_ACC_RDONLY));
    if (!mat)
        throw AnnotationError(file, "not a readable MATLAB .mat file");
    const std::unique_ptr<matvar_t, VarFreer> var(Mat_VarRead(mat.get(), variable.c_str()));
    if (!var)
        throw AnnotationError(file, "no readable variable '" + variable + "' (missing or corrupt data)");
    if (!isRealNumeric(*var) || var->rank != 2)
        throw AnnotationError(file, "variable '" + variable + "' is not a real numeric matrix");
    MatMatrix matrix;
    if (var->dims[0] * var->dims[1] == 0)
        return matrix;
    if (!var->data)
        throw AnnotationError(file, "variable '" + variable + "' has no data");
    matrix.rows = var->dims[0];
    matrix.cols = var->dims[1];
    matrix.values.resize(matrix.rows * matrix.cols);
    for (size_t k = 0; k < matrix.values.size(); ++k)
        matrix.values[k] = numberAt(*var, k);
    return matrix;
}

} // namespace cellvit::metrics
