#include "inference/metrics/instance_map_reader.h"

#include "inference/io/npy.h"
#include "inference/metrics/annotation_error.h"

#include <cstring>
#include <limits>
#include <opencv2/imgcodecs.hpp>

namespace cellvit::metrics {
namespace {

template <typename T> cv::Mat toLabels(const NpyArray& a, int rows, int cols, const std::filesystem::path& file)
{
    cv::Mat out(rows, cols, CV_32SC1);
    const char* bytes = a.bytes.data();
    int* dst = out.ptr<int>(0);
    for (int64_t k = 0; k < a.count(); ++k) {
        T v;
        std::memcpy(&v, bytes + k * sizeof(T), sizeof(T));
        if constexpr (std::numeric_limits<T>::is_signed) {
            if (v < 0)
                throw AnnotationError(file, "negative instance label " + std::to_string(v));
        }
        if (static_cast<unsigned long long>(v) > static_cast<unsigned long long>(std::numeric_limits<int>::max()))
            throw AnnotationError(file, "instance label " + std::to_string(v) + " does not fit in 32 bits");
        dst[k] = static_cast<int>(v);
    }
    return out;
}

} // namespace

cv::Mat readInstanceMapNpy(const std::filesystem::path& file)
{
    const NpyArray a = readNpy(file); // NpyError messages already name the file
    std::vector<int64_t> dims;
    for (int64_t d : a.shape) {
        if (d != 1)
            dims.push_back(d);
    }
    if (a.shape.size() < 2 || a.shape.size() > 3 || dims.size() != 2)
        throw AnnotationError(
            file, "an instance map must be a 2-D array (H×W), got " + std::to_string(a.shape.size()) + " axes");
    if (dims[0] > std::numeric_limits<int>::max() || dims[1] > std::numeric_limits<int>::max())
        throw AnnotationError(file, "instance map is too large");
    const int rows = static_cast<int>(dims[0]);
    const int cols = static_cast<int>(dims[1]);
    const std::string& t = a.dtype;
    if (t == "<i4")
        return toLabels<int32_t>(a, rows, cols, file);
    if (t == "<i8")
        return toLabels<int64_t>(a, rows, cols, file);
    if (t == "<u4")
        return toLabels<uint32_t>(a, rows, cols, file);
    if (t == "<u8")
        return toLabels<uint64_t>(a, rows, cols, file);
    if (t == "<i2")
        return toLabels<int16_t>(a, rows, cols, file);
    if (t == "<u2")
        return toLabels<uint16_t>(a, rows, cols, file);
    if (t == "|u1" || t == "|b1")
        return toLabels<uint8_t>(a, rows, cols, file);
    if (t == "|i1")
        return toLabels<int8_t>(a, rows, cols, file);
    throw AnnotationError(file, "instance map must hold integers, got dtype " + t);
}

cv::Mat readInstanceMapImage(const std::filesystem::path& file)
{
    if (!std::filesystem::is_regular_file(file))
        throw AnnotationError(file, "file not found");
    const cv::Mat image = cv::imread(file.string(), cv::IMREAD_UNCHANGED);
    if (image.empty())
        throw AnnotationError(file, "not a readable image");
    if (image.channels() != 1)
        throw AnnotationError(
            file, "an instance map image must have one channel, got " + std::to_string(image.channels()));
    if (image.depth() != CV_8U && image.depth() != CV_16U)
        throw AnnotationError(file, "an instance map image must be 8- or 16-bit unsigned");
    cv::Mat labels;
    image.convertTo(labels, CV_32S);
    return labels;
}

} // namespace cellvit::metrics
