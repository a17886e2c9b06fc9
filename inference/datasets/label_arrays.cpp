#include "inference/datasets/label_arrays.h"

#include "inference/datasets/dataset_error.h"
#include "inference/io/npy.h"

#include <cmath>
#include <limits>

namespace cellvit {
namespace {

template <typename T> void copyLabels(const NpyArray& array, cv::Mat& out, const std::filesystem::path& file)
{
    const T* values = reinterpret_cast<const T*>(array.bytes.data());
    int* dst = out.ptr<int>(0);
    for (int64_t k = 0; k < array.count(); ++k) {
        const double v = static_cast<double>(values[k]);
        if (!(v >= 0.0) || v > std::numeric_limits<int>::max() || std::floor(v) != v)
            throw DatasetError(file,
                "label " + std::to_string(v) + " at index " + std::to_string(k) + " is not a non-negative integer");
        dst[k] = static_cast<int>(v);
    }
}

} // namespace

cv::Mat readLabelNpy(const std::filesystem::path& file, cv::Size expected)
{
    if (!std::filesystem::is_regular_file(file))
        throw DatasetError(file, "label array does not exist");
    NpyArray array;
    try {
        array = readNpy(file);
    } catch (const NpyError& e) {
        throw DatasetError(file, e.what());
    }
    if (array.shape.size() != 2 || array.shape[0] != expected.height || array.shape[1] != expected.width)
        throw DatasetError(file,
            "label array must be H×W = " + std::to_string(expected.height) + "×" + std::to_string(expected.width)
                + " like its image");
    cv::Mat out(expected, CV_32SC1);
    const std::string& d = array.dtype;
    if (d == "<i4")
        copyLabels<int32_t>(array, out, file);
    else if (d == "<i8")
        copyLabels<int64_t>(array, out, file);
    else if (d == "<i2")
        copyLabels<int16_t>(array, out, file);
    else if (d == "<u2")
        copyLabels<uint16_t>(array, out, file);
    else if (d == "<u4")
        copyLabels<uint32_t>(array, out, file);
    else if (d == "|u1" || d == "<u1")
        copyLabels<uint8_t>(array, out, file);
    else if (d == "<f4")
        copyLabels<float>(array, out, file);
    else if (d == "<f8")
        copyLabels<double>(array, out, file);
    else
        throw DatasetError(file, "unsupported label dtype " + d + " (integer or float expected)");
    return out;
}

} // namespace cellvit
