#pragma once
// Evaluation against point labels (CRCHistoPhenotypes: imgN/imgN_detection.mat plus one .mat per class):
// predicted nucleus centroids are paired with the labelled centres (Hungarian, within a radius: 6 px at 20×),
// giving detection precision/recall/F1 and, per CRC class, the F1 of the points of that class against the
// predictions mapped to it. PQ needs outlines and is not applicable.

#include <filesystem>
#include <string>
#include <vector>

namespace cellvit::cli {

// The CRC classes, in report order.
const std::vector<std::string>& crcClassNames(); // epithelial, inflammatory, fibroblast, others

// True for an imgN folder holding imgN_detection.mat, or a folder of such folders.
bool isPointLabelFolder(const std::filesystem::path& folder);

struct PointScores {
    size_t truth = 0, predicted = 0, paired = 0;
    double precision() const;
    double recall() const;
    double f1() const;
};

struct PointEvaluation {
    std::string name; // the prediction's label (--pred NAME=PATH)
    size_t images = 0;
    PointScores detection;
    bool typed = false; // the predictions carry classes that map onto the CRC classes
    std::vector<PointScores> perClass; // crcClassNames() order (typed only)
    std::vector<std::string> unmatched; // images without a prediction
};

// pred: a cells.json (single image) or a folder of <imgN>/cells.json (or <imgN>.json); gt: an imgN folder or
// the dataset folder. Predicted classes are mapped by name (Epithelial/Neoplastic → epithelial,
// Inflammatory → inflammatory, Connective/Fibroblast → fibroblast, Dead/Others → others); a prediction
// with one class only ("Nucleus") is scored for detection only. Throws std::runtime_error naming the file.
PointEvaluation evaluatePointLabels(
    const std::string& name, const std::filesystem::path& pred, const std::filesystem::path& gt, double radius);

// Side-by-side table of several evaluations on the same ground truth.
std::string pointEvaluationText(const std::vector<PointEvaluation>& evaluations, double radius);

} // namespace cellvit::cli
