#pragma once
// Reads an annotated dataset folder into training samples, rescaled to the model's resolution.

#include "inference/datasets/training_sample.h"

#include <string>
#include <vector>

namespace cellvit {

struct DatasetRequest {
    std::string kind;        // "monuseg" | "cpm15" | "crchistophenotypes" | "consep" | "pannuke" | "geojson"
    std::string path;        // the dataset's folder (layout as in /work/shared/data, or as documented per kind)
    double targetMpp = 0.5;  // samples are resampled to this resolution (0.5 = x20, 0.25 = x40)
};

// The nucleus taxonomy every reader maps its classes into (index = type id; 0 = Background).
// Background, Epithelial, Inflammatory, Connective, Other: CRCHistoPhenotypes' epithelial, inflammatory,
// fibroblast, others and CoNSeP's epithelial, inflammatory, spindle-shaped, other.
const std::vector<std::string>& defaultNucleusTypeNames();

// Throws std::runtime_error naming the folder/file and the problem; an empty folder is an error.
std::vector<TrainingSample> loadDataset(const DatasetRequest& request);

// As above; typeNames receives the taxonomy of the samples' typeMap (index = type id): defaultNucleusTypeNames(),
// extended for "geojson" by the classification names it did not know.
std::vector<TrainingSample> loadDataset(const DatasetRequest& request, std::vector<std::string>& typeNames);

} // namespace cellvit
