#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/crc_points_reader.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <regex>

// Weak supervision from points (CRCHistoPhenotypes has no masks):
// * NP/HV: unsupervised (segmentationMask 0). A point says nothing about a nucleus' extent, and a fake
//   instance (a disk) would teach wrong boundaries and HV gradients.
// * NT: a disk of ~4 px at x20 (2 µm, inside even a small lymphocyte nucleus) around each classified point
//   carries its class. CellViT assigns a nucleus its majority NT class, so class evidence at nucleus centres
//   is what matters.
// * NT background: pixels farther than ~12 px at x20 (6 µm, beyond the radius of the large epithelial
//   nuclei) from every detection point are labelled 0. Every nucleus of an image is marked in imgN_detection.mat
//   (29,756 in all), so such pixels are almost surely stroma/lumen; without them the NT head would see
//   class pixels only and learn to paint a class everywhere. The band between 4 and 12 px, and nuclei that
//   were detected but not classified, stay unlabelled.

namespace cellvit {
namespace {

constexpr const char* kClassFiles[] = { "epithelial", "inflammatory", "fibroblast", "others" }; // ids 1..4

std::vector<std::pair<std::filesystem::path, int>> imageFolders(const std::filesystem::path& folder)
{
    if (!std::filesystem::is_directory(folder))
        throw DatasetError(folder, "CRCHistoPhenotypes folder does not exist");
    const std::regex name(R"(img(\d+))");
    std::vector<std::pair<std::filesystem::path, int>> folders;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        std::smatch match;
        const std::string leaf = entry.path().filename().string();
        if (entry.is_directory() && std::regex_match(leaf, match, name))
            folders.emplace_back(entry.path(), std::stoi(match[1].str()));
    }
    std::sort(folders.begin(), folders.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
    if (folders.empty())
        throw DatasetError(folder, "no CRCHistoPhenotypes image folders (imgN/) found");
    return folders;
}

// Pixel centre mapping of a resize by `scale`: (p + 0.5) * scale - 0.5.
cv::Point scaledPoint(const cv::Point2d& p, double scale)
{
    return { static_cast<int>(std::lround((p.x + 0.5) * scale - 0.5)),
        static_cast<int>(std::lround((p.y + 0.5) * scale - 0.5)) };
}

} // namespace

std::vector<TrainingSample> readCrcHistoPhenotypes(
    const std::filesystem::path& folder, double targetMpp, const CrcWeakLabelOptions& options)
{
    std::vector<TrainingSample> samples;
    for (const auto& [imageFolder, index] : imageFolders(folder)) {
        const std::string stem = "img" + std::to_string(index);
        const std::filesystem::path imageFile = imageFolder / (stem + ".bmp");
        const cv::Mat native = readRgbImage(imageFile);
        TrainingSample sample
            = rescaledToMpp(unlabelledSample(imageFile.string(), native, options.nativeMpp, 0, 0), targetMpp);
        const double scale = static_cast<double>(sample.rgb.cols) / native.cols;
        const double pxPerX20Px = 0.5 / sample.mpp;

        const auto detections = metrics::readMatPoints(imageFolder / (stem + "_detection.mat"));
        std::vector<std::vector<cv::Point2d>> classified;
        for (const char* name : kClassFiles)
            classified.push_back(metrics::readMatPoints(imageFolder / (stem + "_" + name + ".mat")));

        if (options.labelFarBackground) {
            // Distance to the nearest marked nucleus centre (classified points included, should one be missing
            // from the detection file).
            cv::Mat notSeed(sample.rgb.size(), CV_8UC1, cv::Scalar(255));
            auto seed = [&](const cv::Point2d& p) {
                const cv::Point q = scaledPoint(p, scale);
                if (q.inside(cv::Rect(0, 0, notSeed.cols, notSeed.rows)))
                    notSeed.at<uchar>(q) = 0;
            };
            std::for_each(detections.begin(), detections.end(), seed);
            for (const auto& points : classified)
                std::for_each(points.begin(), points.end(), seed);
            cv::Mat distance;
            cv::distanceTransform(notSeed, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
            if (cv::countNonZero(notSeed == 0) > 0)
                sample.typeMask.setTo(255, distance > options.backgroundDistancePx20 * pxPerX20Px);
        }
        const int radius = std::max(1, static_cast<int>(std::lround(options.diskRadiusPx20 * pxPerX20Px)));
        for (size_t c = 0; c < classified.size(); ++c) {
            for (const cv::Point2d& p : classified[c]) {
                const cv::Point q = scaledPoint(p, scale);
                cv::circle(sample.typeMap, q, radius, cv::Scalar(static_cast<int>(c) + 1), cv::FILLED);
                cv::circle(sample.typeMask, q, radius, cv::Scalar(255), cv::FILLED);
            }
        }
        samples.push_back(std::move(sample));
    }
    return samples;
}

} // namespace cellvit
