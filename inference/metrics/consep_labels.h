#pragma once
// CoNSeP patch labels (shared data PROVENANCE §6): type_mat/<patch>.mat lists inst_type (N×1: CoNSeP's merged
// classes 1 other, 2 inflammatory, 3 epithelial, 4 spindle-shaped), one row per instance of inst/<patch>.npy in
// ascending instance-id order. Shared by the training reader (datasets) and evaluation (annotation_loader).

#include <filesystem>
#include <map>
#include <opencv2/core.hpp>

namespace cellvit::metrics {

// Class of every instance id of `instances` (CV_32S) in defaultTaxonomyClasses() ids: 1 Epithelial,
// 2 Inflammatory, 3 Connective, 4 Other. The k-th smallest id gets row k. Throws AnnotationError naming typeMat
// when a row is not a class 1..4 or the row count differs from the instance count (a wrong pairing would
// silently mislabel nuclei); instancesFile names the map in that message.
std::map<int, int> consepClassById(
    const cv::Mat& instances, const std::filesystem::path& instancesFile, const std::filesystem::path& typeMat);

// The instance map of <folder>/type_mat/<patch>.mat: <folder>/inst/<patch>.npy. A link is followed first, so a
// folder of links to some patches' .mat files works as ground truth.
std::filesystem::path consepInstanceMapFor(const std::filesystem::path& typeMat);

} // namespace cellvit::metrics
