// cellvit-train: trains a CellViT network on annotated images (reference §6) and writes checkpoints in the
// official layout plus an fp16 safetensors file of the best weights.
#include "app/train/train_arguments.h"
#include "inference/datasets/dataset_loader.h"
#include "inference/datasets/holdout_split.h"
#include "inference/datasets/sampling_weights.h"
#include "inference/model/cellvit_model.h"
#include "inference/training/arch_presets.h"
#include "inference/training/trainer.h"
#include "inference/training/training_checkpoint.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/model_spec.h"

#include <ATen/ATen.h>
#include <QCoreApplication>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <set>

namespace {

using Json = nlohmann::json;
using namespace cellvit;

std::atomic<bool> g_stopRequested { false };

extern "C" void requestStop(int)
{
    g_stopRequested = true;
}

// The taxonomy the readers map into (replacing any other names of the same ids: --init from a checkpoint of an
// older taxonomy, e.g. Fibroblast/Others, trains and ships the new names).
void setNucleusTypeKeys(Json& flat)
{
    const std::string prefix = "dataset_config.nuclei_types.";
    for (auto it = flat.begin(); it != flat.end();)
        it = it.key().rfind(prefix, 0) == 0 ? flat.erase(it) : std::next(it);
    const auto& names = defaultNucleusTypeNames();
    flat["data.num_nuclei_classes"] = static_cast<int>(names.size());
    for (size_t i = 0; i < names.size(); ++i)
        flat[prefix + names[i]] = static_cast<int>(i);
}

// The data's tissue count (its readers give tissue indices only: placeholder names), replacing any other names.
void setTissueKeys(Json& flat, int tissueClasses)
{
    const std::string prefix = "dataset_config.tissue_types.";
    for (auto it = flat.begin(); it != flat.end();)
        it = it.key().rfind(prefix, 0) == 0 ? flat.erase(it) : std::next(it);
    flat["data.num_tissue_classes"] = tissueClasses;
    for (int t = 0; t < tissueClasses; ++t)
        flat[prefix + (tissueClasses == 1 ? std::string("Tissue") : "Tissue_" + std::to_string(t))] = t;
}

// The taxonomy, plus the magnification and tissue count of this run.
void setDataKeys(Json& flat, int magnification, int tissueClasses)
{
    setNucleusTypeKeys(flat);
    setTissueKeys(flat, tissueClasses);
    flat["data.magnification"] = magnification;
}

int timeForward(const train::TrainArguments& a)
{
    training::ArchConfig arch = training::parseArchConfig(a.archConfig);
    setDataKeys(arch.flatConfig, a.magnification, 1);
    const ModelSpec spec = modelSpecFromConfig(arch.arch, arch.flatConfig);
    InferenceOptions options;
    options.device = "cpu";
    options.threads = a.threads;
    at::manual_seed(0);
    const auto model = CellVitModel::randomlyInitialised(spec, options);
    int64_t parameters = 0;
    for (const auto& [name, tensor] : model->stateDict())
        if (tensor.is_floating_point() && name.find("running_") == std::string::npos)
            parameters += tensor.numel();
    const auto input = at::randn({ 1, 3, *a.timeForward, *a.timeForward });
    model->forward(input); // warm-up
    const auto start = std::chrono::steady_clock::now();
    model->forward(input);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s: %lld values (%.1f MB fp16), forward %d² on %d threads: %.2f s\n", a.archConfig.c_str(),
                static_cast<long long>(parameters), parameters * 2.0 / 1e6, *a.timeForward, a.threads, seconds);
    return 0;
}

int runTraining(const train::TrainArguments& a)
{
    const double targetMpp = a.magnification == 20 ? 0.5 : 0.25;
    training::TrainingData data;
    std::set<std::string> usedHoldout;
    Json sources = Json::array();
    std::vector<double> sourceWeights;
    std::vector<size_t> sourceSizes; // training samples per --data folder, in data.train order
    for (const auto& source : a.data) {
        auto samples = loadDataset({ source.kind, source.path, targetMpp });
        std::cout << source.kind << ": " << samples.size() << " images from " << source.path << '\n';
        sources.push_back(source.kind + ":" + source.path);
        HoldoutSplit split = splitByHoldout(std::move(samples), a.holdout);
        usedHoldout.insert(split.matched.begin(), split.matched.end());
        const size_t trained = split.train.size();
        sourceSizes.push_back(trained);
        std::move(split.train.begin(), split.train.end(), std::back_inserter(data.train));
        std::move(split.validation.begin(), split.validation.end(), std::back_inserter(data.validation));
        // per-source: each folder's training images share one unit of probability.
        sourceWeights.insert(sourceWeights.end(), trained, trained ? 1.0 / static_cast<double>(trained) : 0.0);
    }
    for (const auto& name : a.holdout)
        if (!usedHoldout.count(name))
            throw std::invalid_argument("--holdout " + name + " matches no sample's image or file name");
    int tissueClasses = 1;
    for (const auto* list : { &data.train, &data.validation })
        for (const auto& sample : *list)
            tissueClasses = std::max(tissueClasses, sample.tissueClass + 1);

    std::string arch;
    Json flat;
    Checkpoint initial;
    if (a.resume || a.init) {
        if (a.resume) {
            // Our own files: LibTorch's pickler tags typed dicts (torch.jit._pickle.restore_type_tag), which
            // torch::pickle_load reads directly.
            const training::TrainingCheckpoint own = training::loadTrainingCheckpoint(*a.resume);
            arch = own.arch;
            flat = own.config;
        } else {
            initial = loadCheckpoint(*a.init);
            arch = initial.arch;
            flat = initial.config;
        }
        if (a.init) {
            // Fine-tuning trains this run's taxonomy: the readers' nucleus classes and the data's tissue count (the
            // checkpoint's tissue names are kept when the count is the same: the data has tissue indices only).
            // Heads of another class count are re-initialised by Trainer::loadWeightsForFineTuning.
            flat["data.magnification"] = a.magnification;
            if (flat.value("data.num_tissue_classes", -1) != tissueClasses)
                setTissueKeys(flat, tissueClasses);
            setNucleusTypeKeys(flat);
        }
    } else {
        training::ArchConfig preset = training::parseArchConfig(a.archConfig);
        arch = preset.arch;
        flat = preset.flatConfig;
        setDataKeys(flat, a.magnification, tissueClasses);
    }
    const ModelSpec spec = modelSpecFromConfig(arch, flat);
    if (spec.numNucleiClasses != static_cast<int>(defaultNucleusTypeNames().size()))
        throw std::invalid_argument("the model has " + std::to_string(spec.numNucleiClasses)
                                    + " nucleus classes, the data " + std::to_string(defaultNucleusTypeNames().size()));
    Json config = flat;
    if (!a.resume) {
        config = training::flatConfigForSpec(spec);
        for (auto it = flat.begin(); it != flat.end(); ++it)
            if (!config.contains(it.key()))
                config[it.key()] = it.value();
        config["training.optimizer"] = "AdamW";
        config["training.learning_rate"] = a.learningRate;
        config["training.betas"] = { 0.85, 0.95 };
        config["training.weight_decay"] = 1e-4;
        config["training.scheduler.gamma"] = a.lrGamma;
        config["training.batch_size"] = a.batch;
        config["training.epochs"] = a.epochs;
        config["training.unfreeze_epoch"] = a.freezeEncoderEpochs;
        config["training.seed"] = static_cast<int64_t>(a.seed);
        config["training.crop_size"] = a.crop;
        config["data.sources"] = sources;
        config["data.holdout"] = a.holdout;
        config["data.sampling"] = a.sampling;
    }

    training::TrainerOptions options;
    options.epochs = a.epochs;
    options.batchSize = a.batch;
    options.cropSize = a.crop;
    options.stepsPerEpoch = a.stepsPerEpoch;
    options.freezeEncoderEpochs = a.freezeEncoderEpochs;
    options.learningRate = a.learningRate;
    options.lrGamma = a.lrGamma;
    options.seed = a.seed;
    options.threads = a.threads;
    options.validationCropsPerSample = a.validationCrops;
    options.augmentation.enabled = a.augment;
    options.augmentation.hedStain = a.hedStain;
    options.augmentation.hedSigma = a.hedSigma;
    options.augmentation.superpixels = a.superpixels;
    options.batch.binaryFromTypes = a.npFromPoints;
    options.outDir = a.out;

    training::Trainer trainer(spec, config, options);
    if (a.resume) {
        trainer.resume(*a.resume);
        std::cout << "resuming at epoch " << trainer.nextEpoch() + 1 << " of " << a.epochs << '\n';
    } else if (a.init) {
        for (const auto& note : trainer.loadWeightsForFineTuning(initial))
            (note.rfind("warning:", 0) == 0 ? std::cerr : std::cout) << note << '\n';
    }
    if (a.sampling == "per-source")
        data.samplingWeights = sourceWeights;
    else if (a.sampling == "per-source-cell-tissue")
        data.samplingWeights
            = perSourceCellTissueWeights(data.train, sourceSizes, spec.numNucleiClasses, spec.numTissueClasses);
    else if (a.sampling == "cell-tissue")
        data.samplingWeights = cellTissueSamplingWeights(data.train, spec.numNucleiClasses, spec.numTissueClasses);

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    const bool finished = trainer.run(data, [] { return g_stopRequested.load(); }, std::cout);
    return finished ? 0 : 130;
}

} // namespace

int main(int argc, char* argv[])
{
    const QCoreApplication application(argc, argv); // arguments in the locale's encoding, the help's program name
    try {
        bool help = false;
        const auto arguments = cellvit::train::parseTrainArguments(QCoreApplication::arguments(), help);
        if (help) {
            std::cout << cellvit::train::trainUsage();
            return 0;
        }
        return arguments.timeForward ? timeForward(arguments) : runTraining(arguments);
    } catch (const std::invalid_argument& e) {
        std::cerr << "cellvit-train: error: " << e.what() << "\n\n" << cellvit::train::trainUsage();
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "cellvit-train: error: " << e.what() << '\n';
        return 1;
    }
}
