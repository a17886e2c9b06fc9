#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/label_arrays.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/mat_matrix_reader.h"

#include <cmath>
#include <map>
#include <set>

// CoNSeP patches: the instance map holds the original image's ids (not renumbered) and the .mat lists one class
// per instance of the patch in ascending id order, so the k-th smallest id of the map has the k-th class.
// A count mismatch means the pairing is unknown: that is an error, not a guess.

namespace cellvit {
namespace {

// CoNSeP's merged classes 1 other, 2 inflammatory, 3 epithelial, 4 spindle-shaped in defaultNucleusTypeNames()
// (1 Epithelial, 2 Inflammatory, 3 Connective, 4 Other).
constexpr int kConsepToDefault[] = { 0, 4, 2, 1, 3 };

std::set<int> idsOf(const cv::Mat& instances)
{
    std::set<int> ids;
    for (int y = 0; y < instances.rows; ++y) {
        const int* row = instances.ptr<int>(y);
        for (int x = 0; x < instances.cols; ++x)
            if (row[x] != 0)
                ids.insert(row[x]);
    }
    return ids;
}

std::vector<int> instanceClasses(const std::filesystem::path& file)
{
    // An unreadable file throws metrics' AnnotationError (as for CRCHistoPhenotypes), naming the file.
    const metrics::MatMatrix types = metrics::readMatMatrix(file, "inst_type");
    if (!types.values.empty() && types.cols != 1)
        throw DatasetError(file, "inst_type must be N×1, got " + std::to_string(types.rows) + "×"
                                     + std::to_string(types.cols));
    std::vector<int> classes;
    for (size_t k = 0; k < types.values.size(); ++k) {
        const double t = types.values[k];
        if (!(t >= 1.0 && t <= 4.0) || std::floor(t) != t)
            throw DatasetError(file, "inst_type row " + std::to_string(k + 1) + " is " + std::to_string(t)
                                         + ", not a CoNSeP class 1..4");
        classes.push_back(kConsepToDefault[static_cast<int>(t)]);
    }
    return classes;
}

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
        sample.instanceMap = readLabelNpy(folder / "inst" / (name + ".npy"), rgb.size());

        const std::filesystem::path typeFile = folder / "type_mat" / (name + ".mat");
        const std::vector<int> classes = instanceClasses(typeFile);
        const std::set<int> ids = idsOf(sample.instanceMap);
        if (ids.size() != classes.size())
            throw DatasetError(typeFile, "lists " + std::to_string(classes.size()) + " classes for the "
                                             + std::to_string(ids.size()) + " instances of " + name + ".npy");
        std::map<int, int> classOf;
        auto cls = classes.begin();
        for (int id : ids)
            classOf[id] = *cls++;
        for (int y = 0; y < rgb.rows; ++y) {
            const int* id = sample.instanceMap.ptr<int>(y);
            int* type = sample.typeMap.ptr<int>(y);
            for (int x = 0; x < rgb.cols; ++x)
                type[x] = id[x] == 0 ? 0 : classOf[id[x]];
        }
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    return samples;
}

} // namespace cellvit
