#include "inference/datasets/sample_io.h"

#include "inference/datasets/dataset_error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace cellvit {

cv::Mat readRgbImage(const std::filesystem::path& file)
{
    if (!std::filesystem::is_regular_file(file))
        throw DatasetError(file, "image file does not exist");
    cv::Mat bgr;
    try {
        // IMREAD_COLOR drops alpha (CPM-15 PNGs are RGBA) and expands grey to three channels.
        bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        throw DatasetError(file, std::string("cannot decode image: ") + e.what());
    }
    if (bgr.empty())
        throw DatasetError(file, "cannot decode image (unsupported or corrupt file)");
    if (bgr.depth() != CV_8U) {
        cv::Mat converted;
        bgr.convertTo(converted, CV_8U, bgr.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
        bgr = converted;
    }
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

TrainingSample unlabelledSample(
    const std::string& source, cv::Mat rgb, double mpp, unsigned char segmentationMask, unsigned char typeMask)
{
    TrainingSample sample;
    sample.source = source;
    sample.instanceMap = cv::Mat::zeros(rgb.size(), CV_32SC1);
    sample.typeMap = cv::Mat::zeros(rgb.size(), CV_32SC1);
    sample.segmentationMask = cv::Mat(rgb.size(), CV_8UC1, cv::Scalar(segmentationMask));
    sample.typeMask = cv::Mat(rgb.size(), CV_8UC1, cv::Scalar(typeMask));
    sample.rgb = std::move(rgb);
    sample.mpp = mpp;
    return sample;
}

double rescaleFactor(double mpp, double targetMpp)
{
    if (mpp <= 0.0 || targetMpp <= 0.0)
        return 1.0;
    const double factor = mpp / targetMpp;
    return std::abs(factor - 1.0) <= kMppTolerance ? 1.0 : factor;
}

TrainingSample rescaledToMpp(TrainingSample sample, double targetMpp)
{
    const double factor = rescaleFactor(sample.mpp, targetMpp);
    if (factor == 1.0)
        return sample;
    const cv::Size from = sample.rgb.size();
    const cv::Size to(std::max(1, static_cast<int>(std::lround(from.width * factor))),
        std::max(1, static_cast<int>(std::lround(from.height * factor))));
    auto resized = [&](const cv::Mat& m, int interpolation) {
        if (m.empty())
            return m;
        cv::Mat out;
        cv::resize(m, out, to, 0, 0, interpolation);
        return out;
    };
    sample.rgb = resized(sample.rgb, factor < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    // Nearest neighbour keeps instance ids and class ids exact (no blending of neighbouring labels).
    sample.instanceMap = resized(sample.instanceMap, cv::INTER_NEAREST);
    sample.typeMap = resized(sample.typeMap, cv::INTER_NEAREST);
    sample.segmentationMask = resized(sample.segmentationMask, cv::INTER_NEAREST);
    sample.typeMask = resized(sample.typeMask, cv::INTER_NEAREST);
    sample.mpp *= static_cast<double>(from.width) / to.width;
    return sample;
}

std::string lowerExtension(const std::filesystem::path& file)
{
    std::string ext = file.extension().string();
    std::transform(
        ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

std::vector<std::filesystem::path> filesWithExtensions(
    const std::filesystem::path& folder, const std::vector<std::string>& extensions)
{
    if (!std::filesystem::is_directory(folder))
        throw DatasetError(folder, "folder does not exist");
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        if (!entry.is_regular_file())
            continue;
        const std::string ext = lowerExtension(entry.path());
        if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end())
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace cellvit
