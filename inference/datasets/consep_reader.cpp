#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/label_arrays.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/consep_labels.h"

// CoNSeP patches: the instance map holds the original image's ids (not renumbered); metrics' consepClassById pairs
// them with the .mat's classes (shared with evaluation, so training and scoring read the labels one way).

namespace cellvit {
namespace {

// "train_3_005" -> "train_3": the patch number is the last underscore-separated part.
std::string originalImage(const std::string& stem)
{
    const auto underscore = stem.rfind('_');
    return underscore == std::string::npos || underscore == 0 ? stem : stem.substr(0, underscore);
}

} // namespace

std::vector<TrainingSample> readConsepPatches(const std::filesystem::path& folder, double targetMpp)
{
    if (!std::filesystem::is_directory(folder))
        throw DatasetError(folder, "CoNSeP folder does not exist");
    const auto images = filesWithExtensions(folder / "images", { ".jpg", ".png" });
    if (images.empty())
        throw DatasetError(folder / "images", "no CoNSeP patches found");

    std::vector<TrainingSample> samples;
    for (const auto& imageFile : images) {
        const std::string name = imageFile.stem().string();
        cv::Mat rgb = readRgbImage(imageFile);
        TrainingSample sample = unlabelledSample(imageFile.string(), rgb, 0.25, 255, 255);
        sample.image = originalImage(name);
        const std::filesystem::path instFile = folder / "inst" / (name + ".npy");
        sample.instanceMap = readLabelNpy(instFile, rgb.size());
        // A bad file throws metrics' AnnotationError (as for CRCHistoPhenotypes), naming it.
        const std::map<int, int> classOf
            = metrics::consepClassById(sample.instanceMap, instFile, folder / "type_mat" / (name + ".mat"));
        for (int y = 0; y < rgb.rows; ++y) {
            const int* id = sample.instanceMap.ptr<int>(y);
            int* type = sample.typeMap.ptr<int>(y);
            for (int x = 0; x < rgb.cols; ++x)
                type[x] = id[x] == 0 ? 0 : classOf.at(id[x]);
        }
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    return samples;
}

} // namespace cellvit
