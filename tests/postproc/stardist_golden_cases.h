#pragma once
// The STARDIST / CPP-Net post-processing cases of golden/stardist/postproc (README there): sparse inputs expanded to
// the full maps the reference was given, and the expected outputs.

#include "inference/io/npy.h"
#include "test_support.h"

#include <opencv2/core/mat.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace cellvit::test {

inline std::filesystem::path stardistGoldenDir()
{
    return goldenDir() / "stardist";
}

inline std::vector<std::string> stardistPostprocCases()
{
    return { "stardist_cpm_image08", "cpp_cpm_image15", "stardist_hard_monuseg_CH-5767" };
}

struct StarDistCaseInputs {
    cv::Mat prob; // CV_32F
    std::vector<float> rays; // nrays × H × W, 0 where prob <= 0.5 (as given to the reference)
    int nrays = 0;
    cv::Mat typeArgmax; // CV_8U
};

// The rays the case feeds to NMS: the refined ones for CPP-Net cases.
inline std::filesystem::path stardistRaysFile(const std::filesystem::path& caseDir)
{
    const auto refined = caseDir / "inputs" / "stardist_map_refined_at_pixels.npy";
    return std::filesystem::exists(refined) ? refined : caseDir / "inputs" / "stardist_map_at_pixels.npy";
}

inline StarDistCaseInputs loadStarDistCase(const std::filesystem::path& caseDir,
                                           const std::filesystem::path& raysAtPixels)
{
    StarDistCaseInputs in;
    const NpyArray prob = readNpy(caseDir / "inputs" / "dist_map_prob.npy");
    const int rows = static_cast<int>(prob.shape.at(0)), cols = static_cast<int>(prob.shape.at(1));
    in.prob = cv::Mat(rows, cols, CV_32F, const_cast<float*>(prob.data<float>())).clone();
    const NpyArray types = readNpy(caseDir / "inputs" / "nuclei_type_argmax.npy");
    in.typeArgmax = cv::Mat(rows, cols, CV_8U, const_cast<uint8_t*>(types.data<uint8_t>())).clone();
    const NpyArray pixels = readNpy(caseDir / "inputs" / "pixels.npy");
    const NpyArray values = readNpy(raysAtPixels);
    in.nrays = static_cast<int>(values.shape.at(1));
    const size_t plane = static_cast<size_t>(rows) * cols;
    in.rays.assign(plane * in.nrays, 0.0f);
    const int32_t* rc = pixels.data<int32_t>();
    const float* v = values.data<float>();
    for (int64_t i = 0; i < pixels.shape.at(0); ++i) {
        const size_t pixel = static_cast<size_t>(rc[2 * i]) * cols + rc[2 * i + 1];
        for (int k = 0; k < in.nrays; ++k)
            in.rays[k * plane + pixel] = v[i * in.nrays + k];
    }
    return in;
}

} // namespace cellvit::test
