#pragma once
// Scores the classic detector on the real MoNuSeg images (40×, 0.25 µm/px, ImageScope XML ground truth):
// detection precision/recall/F1 (centroids paired within 12 px, as the reference at 40×) and bPQ.

#include "inference/classic/classic_detector.h"
#include "inference/metrics/annotation_loader.h"
#include "inference/metrics/coordinate_pairing.h"
#include "inference/metrics/instance_centroids.h"
#include "inference/metrics/panoptic_quality.h"
#include "test_support.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

namespace cellvit::test {

inline std::vector<std::string> monusegImageNames()
{
    return { "TCGA-21-5786-01Z-00-DX1", "TCGA-AR-A1AK-01Z-00-DX1", "TCGA-B0-5710-01Z-00-DX1", "TCGA-CH-5767-01Z-00-DX1",
        "TCGA-NH-A8F7-01A-01-TS1" };
}

inline std::filesystem::path monusegDir()
{
    return dataDir() / "monuseg_train_subset";
}

inline cv::Mat readRgb(const std::filesystem::path& file)
{
    cv::Mat bgr = cv::imread(file.string(), cv::IMREAD_COLOR);
    if (bgr.empty())
        throw std::runtime_error(file.string() + ": cannot read the image");
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

inline cv::Mat monusegTruth(const std::string& name, cv::Size size)
{
    metrics::ClassTable classes;
    metrics::LoadedAnnotation gt = metrics::loadAnnotation(monusegDir() / "Annotations" / (name + ".xml"), classes);
    metrics::rasteriseAt(gt, size);
    return gt.labels;
}

struct DetectionCounts {
    size_t truth = 0, predicted = 0, paired = 0;
    double f1() const { return truth + predicted == 0 ? 0.0 : 2.0 * paired / double(truth + predicted); }
    double precision() const { return predicted == 0 ? 0.0 : double(paired) / predicted; }
    double recall() const { return truth == 0 ? 0.0 : double(paired) / truth; }
    void add(const DetectionCounts& o)
    {
        truth += o.truth;
        predicted += o.predicted;
        paired += o.paired;
    }
};

inline DetectionCounts detectionCounts(const cv::Mat& truth, const cv::Mat& predicted, double radius)
{
    std::vector<cv::Point2d> a, b;
    for (const auto& c : metrics::instanceCentroids(truth))
        a.push_back(c.centroid);
    for (const auto& c : metrics::instanceCentroids(predicted))
        b.push_back(c.centroid);
    return { a.size(), b.size(), metrics::pairCoordinates(a, b, radius).paired.size() };
}

} // namespace cellvit::test
