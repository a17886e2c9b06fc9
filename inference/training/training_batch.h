#pragma once
// Network inputs and NP/HV/NT targets of a batch of equally sized crops (reference §6 targets):
// NP = instance > 0, HV = instanceHvTarget of the crop's instances, NT = the type map.

#include "inference/datasets/training_sample.h"
#include "model_zoo/model_spec.h"

#include <torch/types.h>
#include <vector>

namespace cellvit::training {

struct TrainingBatch {
    torch::Tensor images; // B×3×H×W float32, normalised with the model's mean/std
    torch::Tensor nucleusLabels; // B×H×W int64, 1 = nucleus (where binaryMask is set)
    torch::Tensor hv; // B×2×H×W float32, channel 0 = x
    torch::Tensor typeLabels; // B×H×W int64, 0 = background
    torch::Tensor segmentationMask; // B×1×H×W float32, 1 where instance outlines (NP and HV) are known
    // B×1×H×W float32, 1 where NP is known: segmentationMask, plus (BatchOptions::binaryFromTypes) pixels with a
    // known NT class in point-labelled data, where class 0 means background and any other class nucleus.
    torch::Tensor binaryMask;
    torch::Tensor typeMask; // B×1×H×W float32, 1 where NT labels are valid
    // B×1×H×W float32, 1 on nucleus pixels whose class is unknown (segmentation-only data): the NT branch
    // learns "some nucleus class" there (BatchOptions::typeBackgroundFromSegmentation).
    torch::Tensor untypedNucleusMask;
    torch::Tensor tissueLabels; // B int64
    // STARDIST / CPP-Net specs only (undefined otherwise), from the crop's instances with disconnected pieces
    // split (the reference's fix_duplicates): B×1×H×W instanceObjectProbability, B×nrays×H×W starDistances.
    torch::Tensor objectProbability;
    torch::Tensor rays;

    int64_t size() const { return images.defined() ? images.size(0) : 0; }
};

struct BatchOptions {
    // Segmentation-only data (MoNuSeg, CPM-15) has no classes, but it says where nuclei are: supervise NT class 0
    // on labelled background pixels (segmentationMask set, no instance) where the sample has no NT label, and
    // mark its nucleus pixels in untypedNucleusMask. Background alone taught the type branch to call every
    // nucleus of such images background, and the pipeline drops background-typed cells.
    bool typeBackgroundFromSegmentation = true;
    // Point-labelled data (CRCHistoPhenotypes) has NT labels but no outlines: a pixel whose class is known is
    // also known to be nucleus (class ≥ 1) or background (class 0), so NP learns from it too; HV stays
    // unsupervised there. Without this NP never saw a colon nucleus or colon stroma.
    bool binaryFromTypes = true;
};

// An empty segmentationMask/typeMask in a sample means "fully labelled". Throws std::invalid_argument naming the
// sample's source for unequal sizes, wrong pixel types, or type/tissue ids outside the spec's class counts.
TrainingBatch makeTrainingBatch(
    const std::vector<TrainingSample>& crops, const ModelSpec& spec, const BatchOptions& options = {});

} // namespace cellvit::training
