#include "inference/postproc/postproc_inputs.h"

#include "inference/postproc/postprocess.h"

#include <limits>

namespace cellvit {

namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i)
        s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + ")";
}

void checkPlaneSize(const std::vector<int64_t>& shape, const std::string& what)
{
    const int64_t limit = std::numeric_limits<int>::max() / 4;
    for (int64_t d : shape) {
        if (d < 1 || d > limit)
            throw PostprocInputError(what + ": unsupported shape " + shapeText(shape));
    }
}

NpyArray readInput(const std::filesystem::path& path)
{
    if (!std::filesystem::exists(path))
        throw PostprocInputError(path.string() + ": file not found");
    try {
        return readNpy(path);
    } catch (const NpyError& e) {
        throw PostprocInputError(e.what()); // already names the file
    }
}

} // namespace

cv::Mat classMapFromNpy(const NpyArray& array, const std::string& what)
{
    checkPlaneSize(array.shape, what);
    if (array.shape.size() == 2 && array.dtype == "|u1") {
        const int rows = static_cast<int>(array.shape[0]), cols = static_cast<int>(array.shape[1]);
        return cv::Mat(rows, cols, CV_8U, const_cast<uint8_t*>(array.data<uint8_t>())).clone();
    }
    if (array.shape.size() == 3 && array.dtype == "<f4" && array.shape[0] <= 256) {
        return argmaxOverChannels(array.data<float>(), static_cast<int>(array.shape[0]),
            static_cast<int>(array.shape[1]), static_cast<int>(array.shape[2]));
    }
    throw PostprocInputError(what + ": expected C x H x W float32 probabilities or an H x W uint8 argmax map, got "
        + array.dtype + " " + shapeText(array.shape));
}

PostprocInputs loadPostprocInputs(
    const std::filesystem::path& npPath, const std::filesystem::path& hvPath, const std::filesystem::path& ntPath)
{
    PostprocInputs in;
    in.npArgmax = classMapFromNpy(readInput(npPath), npPath.string());
    in.typeArgmax = classMapFromNpy(readInput(ntPath), ntPath.string());

    const NpyArray hv = readInput(hvPath);
    checkPlaneSize(hv.shape, hvPath.string());
    if (hv.shape.size() != 3 || hv.shape[0] != 2 || (hv.dtype != "<f4" && hv.dtype != "<f8"))
        throw PostprocInputError(
            hvPath.string() + ": expected a 2 x H x W float32 HV map, got " + hv.dtype + " " + shapeText(hv.shape));
    const int rows = static_cast<int>(hv.shape[1]), cols = static_cast<int>(hv.shape[2]);
    cv::Mat both;
    if (hv.dtype == "<f4")
        both = cv::Mat(2 * rows, cols, CV_32F, const_cast<float*>(hv.data<float>())).clone();
    else // the reference casts its input to float32 first
        cv::Mat(2 * rows, cols, CV_64F, const_cast<double*>(hv.data<double>())).convertTo(both, CV_32F);
    in.hx = both.rowRange(0, rows).clone();
    in.hy = both.rowRange(rows, 2 * rows).clone();

    const cv::Size size(cols, rows);
    if (in.npArgmax.size() != size || in.typeArgmax.size() != size)
        throw PostprocInputError("map sizes differ: " + npPath.string() + " is " + std::to_string(in.npArgmax.rows)
            + "x" + std::to_string(in.npArgmax.cols) + ", " + ntPath.string() + " is "
            + std::to_string(in.typeArgmax.rows) + "x" + std::to_string(in.typeArgmax.cols) + ", " + hvPath.string()
            + " is " + std::to_string(rows) + "x" + std::to_string(cols));
    return in;
}

StarDistInputs loadStarDistInputs(
    const std::filesystem::path& probPath, const std::filesystem::path& raysPath, const std::filesystem::path& ntPath)
{
    // Leading singleton axes (batch, channel) as the network writes them.
    const auto squeezed = [](std::vector<int64_t> shape, size_t keep) {
        while (shape.size() > keep && shape.front() == 1)
            shape.erase(shape.begin());
        return shape;
    };
    StarDistInputs in;
    const NpyArray prob = readInput(probPath);
    const std::vector<int64_t> probShape = squeezed(prob.shape, 2);
    checkPlaneSize(prob.shape, probPath.string());
    if (probShape.size() != 2 || prob.dtype != "<f4")
        throw PostprocInputError(probPath.string() + ": expected an H x W float32 probability map, got " + prob.dtype
            + " " + shapeText(prob.shape));
    const int rows = static_cast<int>(probShape[0]), cols = static_cast<int>(probShape[1]);
    in.prob = cv::Mat(rows, cols, CV_32F, const_cast<float*>(prob.data<float>())).clone();

    const NpyArray rays = readInput(raysPath);
    const std::vector<int64_t> raysShape = squeezed(rays.shape, 3);
    checkPlaneSize(rays.shape, raysPath.string());
    if (raysShape.size() != 3 || rays.dtype != "<f4" || raysShape[0] < 3)
        throw PostprocInputError(raysPath.string() + ": expected nrays x H x W float32 ray distances, got " + rays.dtype
            + " " + shapeText(rays.shape));
    in.nrays = static_cast<int>(raysShape[0]);
    in.rays = rays.toVector<float>();

    const NpyArray nt = readInput(ntPath);
    NpyArray ntSqueezed = nt;
    ntSqueezed.shape = squeezed(nt.shape, nt.dtype == "|u1" ? 2 : 3);
    in.typeArgmax = classMapFromNpy(ntSqueezed, ntPath.string());

    const cv::Size size(cols, rows);
    if (raysShape[1] != rows || raysShape[2] != cols || in.typeArgmax.size() != size)
        throw PostprocInputError("map sizes differ: " + probPath.string() + " is " + std::to_string(rows) + "x"
            + std::to_string(cols) + ", " + raysPath.string() + " is " + std::to_string(raysShape[1]) + "x"
            + std::to_string(raysShape[2]) + ", " + ntPath.string() + " is " + std::to_string(in.typeArgmax.rows) + "x"
            + std::to_string(in.typeArgmax.cols));
    return in;
}

} // namespace cellvit
