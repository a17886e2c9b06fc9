#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/cpm_mask_reader.h"

#include <fstream>
#include <map>
#include <optional>
#include <regex>

namespace cellvit {
namespace {

// The "width height" first line of a CPM-15 mask, without reading the million labels that follow.
cv::Size declaredMaskSize(const std::filesystem::path& maskFile)
{
    std::ifstream in(maskFile);
    int width = 0, height = 0;
    if (!in || !(in >> width >> height) || width <= 0 || height <= 0)
        throw DatasetError(maskFile, "CPM-15 mask: first line must be 'width height'");
    return { width, height };
}

// README_training.txt: images 1-7 were scanned at x20, 8-15 at x40.
double cpmMpp(int index)
{
    return index <= 7 ? 0.5 : 0.25;
}

} // namespace

std::vector<TrainingSample> readCpm15(const std::filesystem::path& folder, double targetMpp)
{
    const std::regex imageName(R"(image(\d+)\.png)", std::regex::icase);
    std::vector<std::pair<std::filesystem::path, int>> images; // file, index
    for (const auto& file : filesWithExtensions(folder, { ".png" })) {
        std::smatch match;
        const std::string name = file.filename().string();
        if (std::regex_match(name, match, imageName))
            images.emplace_back(file, std::stoi(match[1].str()));
    }
    if (images.empty())
        throw DatasetError(folder, "no CPM-15 images (imageXX.png) found");

    std::vector<cv::Mat> rgbs;
    std::map<std::filesystem::path, cv::Size> maskSizes;
    for (const auto& [file, index] : images) {
        rgbs.push_back(readRgbImage(file));
        const std::filesystem::path mask = folder / (file.stem().string() + "_mask.txt");
        if (!std::filesystem::is_regular_file(mask))
            throw DatasetError(mask, "CPM-15 mask missing for image " + file.filename().string());
        maskSizes[mask] = declaredMaskSize(mask);
    }

    // Pair by name where the sizes agree; otherwise with the one mask of the image's size that its own image
    // does not claim (the swapped 04/05 of the public copy).
    std::vector<std::filesystem::path> pairedMask(images.size());
    std::map<std::filesystem::path, bool> claimed;
    for (size_t k = 0; k < images.size(); ++k) {
        const std::filesystem::path own = folder / (images[k].first.stem().string() + "_mask.txt");
        if (maskSizes[own] == rgbs[k].size()) {
            pairedMask[k] = own;
            claimed[own] = true;
        }
    }
    for (size_t k = 0; k < images.size(); ++k) {
        if (!pairedMask[k].empty())
            continue;
        std::vector<std::filesystem::path> candidates;
        for (const auto& [mask, size] : maskSizes) {
            if (!claimed[mask] && size == rgbs[k].size())
                candidates.push_back(mask);
        }
        if (candidates.size() != 1)
            throw DatasetError(images[k].first,
                "no CPM-15 mask of the image's size " + std::to_string(rgbs[k].cols) + "x"
                    + std::to_string(rgbs[k].rows) + (candidates.empty() ? "" : " (several candidates)"));
        pairedMask[k] = candidates.front();
        claimed[candidates.front()] = true;
    }

    std::vector<TrainingSample> samples;
    for (size_t k = 0; k < images.size(); ++k) {
        TrainingSample sample = unlabelledSample(images[k].first.string(), rgbs[k], cpmMpp(images[k].second), 255, 0);
        sample.instanceMap = metrics::readCpmMask(pairedMask[k]);
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    return samples;
}

} // namespace cellvit
