#include "inference/metrics/consep_labels.h"

#include "inference/metrics/annotation_error.h"
#include "inference/metrics/mat_matrix_reader.h"
#include "inference/metrics/panoptic_quality.h"

#include <cmath>

namespace cellvit::metrics {
namespace {

// CoNSeP's 1 other, 2 inflammatory, 3 epithelial, 4 spindle-shaped in defaultTaxonomyClasses() ids.
constexpr int kConsepToDefault[] = { 0, 4, 2, 1, 3 };

} // namespace

std::map<int, int> consepClassById(
    const cv::Mat& instances, const std::filesystem::path& instancesFile, const std::filesystem::path& typeMat)
{
    const MatMatrix types = readMatMatrix(typeMat, "inst_type");
    if (!types.values.empty() && types.cols != 1)
        throw AnnotationError(typeMat,
            "inst_type must be N×1, got " + std::to_string(types.rows) + "×" + std::to_string(types.cols));
    const std::vector<int> ids = instanceIds(instances); // ascending, as the .mat rows
    if (ids.size() != types.values.size())
        throw AnnotationError(typeMat,
            "lists " + std::to_string(types.values.size()) + " classes for the " + std::to_string(ids.size())
                + " instances of " + instancesFile.filename().string());
    std::map<int, int> classById;
    size_t row = 0;
    for (int id : ids) {
        const double t = types.values[row++];
        if (!(t >= 1.0 && t <= 4.0) || std::floor(t) != t)
            throw AnnotationError(
                typeMat, "inst_type row " + std::to_string(row) + " is " + std::to_string(t) + ", not a CoNSeP class 1..4");
        classById[id] = kConsepToDefault[static_cast<int>(t)];
    }
    return classById;
}

std::filesystem::path consepInstanceMapFor(const std::filesystem::path& typeMat)
{
    std::error_code error;
    const std::filesystem::path real = std::filesystem::canonical(typeMat, error);
    const std::filesystem::path& file = error ? typeMat : real;
    return file.parent_path().parent_path() / "inst" / (file.stem().string() + ".npy");
}

} // namespace cellvit::metrics
