#pragma once
// What segments the patches: the network (--model, or the default bundled model) or the weight-free classic
// detector (--engine classic). Both run through the same tile pipeline; the classic detector plugs in at the
// PatchPredictor seam.

#include "inference/model/cellvit_model.h"
#include "inference/pipeline/patch_predictor.h"

#include <QCommandLineParser>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace cellvit::cli {

struct SegmentEngine {
    std::unique_ptr<CellVitModel> model; // the network; null for the classic engine
    std::unique_ptr<PatchPredictor> predictor; // null: the network's own forward pass
    // What the pipeline plans with (resolution, post-processing constants, class names): the network's spec,
    // or for the classic engine one holding just those (classes "Background"/"Nucleus").
    ModelSpec spec;
    std::string description; // for the run summary, e.g. "classic detector (40×)"
    nlohmann::json key; // identifies the engine in the parameters of a stored run (resume)
};

// --engine model|classic and --classic-magnification.
void addEngineOptions(QCommandLineParser& parser);

// Throws std::exception with a readable message on bad options or a missing model.
SegmentEngine makeSegmentEngine(const QCommandLineParser& parser, double slideMpp, bool forceFp16);

} // namespace cellvit::cli
