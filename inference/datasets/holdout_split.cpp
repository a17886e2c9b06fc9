#include "inference/datasets/holdout_split.h"

#include <filesystem>
#include <set>
#include <stdexcept>

namespace cellvit {

std::string holdoutName(const TrainingSample& sample)
{
    return sample.image.empty() ? std::filesystem::path(sample.source).stem().string() : sample.image;
}

HoldoutSplit splitByHoldout(std::vector<TrainingSample> samples, const std::vector<std::string>& names)
{
    const std::set<std::string> wanted(names.begin(), names.end());
    HoldoutSplit split;
    for (auto& sample : samples) {
        const std::string stem = std::filesystem::path(sample.source).stem().string();
        if (!sample.image.empty() && stem != sample.image && wanted.count(stem))
            throw std::invalid_argument("--holdout " + stem + " is one patch of image " + sample.image
                                        + "; hold out the whole image (" + sample.image + ")");
        const std::string name = holdoutName(sample);
        const bool heldOut = wanted.count(name) != 0;
        if (heldOut)
            split.matched.insert(name);
        (heldOut ? split.validation : split.train).push_back(std::move(sample));
    }
    return split;
}

} // namespace cellvit
