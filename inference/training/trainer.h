#pragma once
// The CellViT training loop (reference §6): AdamW + ExponentialLR per epoch, encoder frozen for the first epochs
// (its tissue head stays trainable), weighted random sampling of augmented crops, validation loss per epoch,
// checkpoints every epoch (last.pth; best.pth + fp16 model.safetensors when the validation loss improves),
// deterministic for a seed and thread count, resumable, stoppable between steps.

#include "inference/datasets/augmentation.h"
#include "inference/datasets/training_sample.h"
#include "inference/training/training_batch.h"
#include "inference/training/training_loss.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/model_spec.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <vector>

namespace cellvit::training {

struct TrainerOptions {
    int epochs = 10;
    int batchSize = 4;
    int cropSize = 256;
    int stepsPerEpoch = 0; // 0 = ceil(training samples / batch size)
    int freezeEncoderEpochs = 0;
    double learningRate = 3e-4, beta1 = 0.85, beta2 = 0.95, weightDecay = 1e-4;
    double lrGamma = 0.85; // ExponentialLR factor per epoch
    uint64_t seed = 19;
    int threads = 2;
    int validationCropsPerSample = 2;
    LossWeights lossWeights; // HoVer-Net decoders
    StarDistLossWeights starDistLossWeights; // STARDIST / CPP-Net decoders
    BatchOptions batch;
    AugmentationOptions augmentation;
    std::filesystem::path outDir; // last.pth, best.pth, model.safetensors, training_log.csv
};

struct TrainingData {
    std::vector<TrainingSample> train, validation;
    std::vector<double> samplingWeights; // one per training sample (empty = uniform)
};

struct EpochSummary {
    int epoch = 0;
    double trainLoss = 0, validationLoss = 0; // mean totals (validationLoss = trainLoss without validation data)
    std::vector<double> validationTerms;
    bool improved = false;
    double seconds = 0;
};

class Trainer {
public:
    // A freshly initialised network of `spec`; `flatConfig` is stored in every checkpoint (it must describe spec).
    Trainer(const ModelSpec& spec, nlohmann::json flatConfig, TrainerOptions options);
    ~Trainer();

    // Starts from these weights; strict: keys and shapes must match the spec.
    void loadWeights(const Checkpoint& checkpoint);
    // Fine-tuning start (cellvit-train --init): as loadWeights, except that when the checkpoint's nucleus-type or
    // tissue head has another number of classes than this trainer's spec, the final layer of that head
    // (classHeadLayers) keeps the fresh initialisation every new network gets; any other missing, unexpected or
    // mis-shaped tensor is still an error naming it. Returns one line per re-initialised head, and a "warning:"
    // line per head whose class count matches but whose class names differ (its weights are kept).
    std::vector<std::string> loadWeightsForFineTuning(const Checkpoint& checkpoint);
    // Continues a run from a checkpoint written by this trainer (model, optimizer, epoch, best metric, seed).
    void resume(const std::filesystem::path& checkpoint);
    int nextEpoch() const;

    // Runs the remaining epochs. `stopRequested` is polled between steps: when it returns true the trainer
    // saves last.pth (resuming repeats the interrupted epoch) and returns false. Progress goes to `progress`.
    bool run(const TrainingData& data, const std::function<bool()>& stopRequested, std::ostream& progress);

    // Mean loss terms (and total, appended last) of the validation crops, in eval mode without gradients.
    std::vector<double> evaluate(const std::vector<TrainingSample>& samples);
    // One optimisation step on a fixed batch; returns the loss before the step.
    LossResult step(const TrainingBatch& batch);
    LossResult loss(const TrainingBatch& batch); // eval mode, no gradients

    NamedTensors stateDict() const;
    const ModelSpec& spec() const;
    double learningRate() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

// Flattened official config for a spec (model.*, data.*, dataset_config.nuclei_types.<Name>, ...).
nlohmann::json flatConfigForSpec(const ModelSpec& spec);

} // namespace cellvit::training
