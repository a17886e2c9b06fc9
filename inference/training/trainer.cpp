#include "inference/training/trainer.h"

#include "inference/model/cellvit_network.h"
#include "inference/model/freed_memory.h"
#include "inference/model/state_dict.h"
#include "inference/training/class_heads.h"
#include "inference/training/training_checkpoint.h"
#include "inference/training/training_log.h"
#include "inference/training/training_loss.h"
#include "model_zoo/safetensors.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <optional>
#include <random>

namespace cellvit::training {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// ViT weights as timm/DINO initialise them (truncated normal, std 0.02; zero biases): LibTorch's default
// (Kaiming uniform) and the zero position embeddings of the inference module train far worse from scratch.
void initialiseEncoder(model::CellVitNetworkImpl& net)
{
    torch::NoGradGuard noGrad;
    auto truncatedNormal = [](torch::Tensor t) { t.normal_(0.0, 0.02).clamp_(-0.04, 0.04); };
    for (auto& item : net.named_parameters()) {
        const std::string& name = item.key();
        if (name.rfind("encoder.", 0) != 0)
            continue;
        torch::Tensor p = item.value();
        const bool isNorm = name.find("norm") != std::string::npos;
        if (name == "encoder.pos_embed" || name == "encoder.cls_token")
            truncatedNormal(p);
        else if (!isNorm && p.dim() == 2)
            truncatedNormal(p);
        else if (!isNorm && name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0)
            p.zero_();
    }
}

bool isEncoderBody(const std::string& name)
{
    return name.rfind("encoder.", 0) == 0 && name.rfind("encoder.head.", 0) != 0;
}

std::string joined(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string classList(size_t count, const std::vector<std::string>& names)
{
    std::string text = std::to_string(count) + (count == 1 ? " class" : " classes");
    if (names.size() == count)
        text += " (" + joined(names) + ")";
    return text;
}

std::string formatTerms(const std::vector<double>& terms, const std::vector<std::string>& names)
{
    std::ostringstream text;
    text << std::fixed << std::setprecision(4);
    for (size_t i = 0; i < terms.size() && i < names.size(); ++i)
        text << (i ? " " : "") << names[i] << ' ' << terms[i];
    return text.str();
}

} // namespace

Json flatConfigForSpec(const ModelSpec& spec)
{
    Json c = Json::object();
    c["model.backbone"] = spec.arch == "CellViT" ? "default" : spec.backbone;
    c["model.embed_dim"] = spec.embedDim;
    c["model.depth"] = spec.depth;
    c["model.num_heads"] = spec.numHeads;
    c["model.extract_layers"] = spec.extractLayers;
    c["model.input_channels"] = spec.inputChannels;
    c["model.mlp_ratio"] = spec.mlpRatio;
    c["model.qkv_bias"] = spec.qkvBias;
    c["model.patch_size"] = spec.patchSize;
    c["model.regression_loss"] = spec.regressionLoss;
    if (spec.decoderWidthScale != 1.0)
        c["model.decoder_width_scale"] = spec.decoderWidthScale;
    if (spec.isStarDistFamily()) { // the keys the reference's STARDIST / CPP-Net experiments read
        c["model.nrays"] = spec.nrays;
        c["model.shared_decoders"] = spec.decoder == DecoderKind::StarDistShared;
    }
    c["data.num_nuclei_classes"] = spec.numNucleiClasses;
    c["data.num_tissue_classes"] = spec.numTissueClasses;
    c["data.magnification"] = spec.magnification;
    c["training.mixed_precision"] = false;
    c["transformations.normalize.mean"] = spec.normMean;
    c["transformations.normalize.std"] = spec.normStd;
    for (size_t i = 0; i < spec.nucleiTypeNames.size(); ++i)
        c["dataset_config.nuclei_types." + spec.nucleiTypeNames[i]] = static_cast<int>(i);
    for (size_t i = 0; i < spec.tissueTypeNames.size(); ++i)
        c["dataset_config.tissue_types." + spec.tissueTypeNames[i]] = static_cast<int>(i);
    return c;
}

struct Trainer::Impl {
    ModelSpec spec;
    Json config;
    TrainerOptions options;
    model::CellVitNetwork net { nullptr };
    std::unique_ptr<torch::optim::AdamW> optimizer;
    int nextEpoch = 0;
    std::optional<double> best;
    int bestEpoch = -1;
    int64_t globalStep = 0;
    Clock::time_point started = Clock::now();

    double learningRateAt(int epoch) const { return options.learningRate * std::pow(options.lrGamma, epoch); }

    void setLearningRate(double lr)
    {
        for (auto& group : optimizer->param_groups())
            static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
    }

    void setEncoderFrozen(bool frozen)
    {
        for (auto& item : net->named_parameters())
            if (isEncoderBody(item.key()))
                item.value().set_requires_grad(!frozen);
    }

    TrainingCheckpoint checkpoint(int completedEpoch) const
    {
        TrainingCheckpoint c;
        c.arch = spec.arch;
        c.config = config;
        c.modelState = model::orderedStateDict(*net);
        c.epoch = completedEpoch;
        c.bestMetric = best;
        c.bestEpoch = bestEpoch;
        c.seed = options.seed;
        c.baseLearningRate = options.learningRate;
        c.learningRate = learningRateAt(completedEpoch + 1);
        c.gamma = options.lrGamma;
        c.logdir = options.outDir.string();
        c.runName = options.outDir.filename().string();
        return c;
    }

    double seconds() const { return std::chrono::duration<double>(Clock::now() - started).count(); }
};

Trainer::Trainer(const ModelSpec& spec, Json flatConfig, TrainerOptions options)
    : m_impl(std::make_unique<Impl>())
{
    if (options.batchSize < 1 || options.cropSize < 16 || options.cropSize % 16 != 0 || options.epochs < 1)
        throw std::invalid_argument("trainer: batch ≥ 1, epochs ≥ 1 and a crop size that is a multiple of 16 needed");
    m_impl->spec = spec;
    m_impl->config = std::move(flatConfig);
    m_impl->options = options;
    if (options.threads > 0)
        at::set_num_threads(options.threads);
    torch::manual_seed(options.seed);
    m_impl->net = model::CellVitNetwork(spec);
    initialiseEncoder(*m_impl->net);
    m_impl->optimizer = std::make_unique<torch::optim::AdamW>(
        m_impl->net->parameters(), torch::optim::AdamWOptions(options.learningRate)
                                       .betas({ options.beta1, options.beta2 })
                                       .weight_decay(options.weightDecay));
}

Trainer::~Trainer() = default;

void Trainer::loadWeights(const Checkpoint& checkpoint)
{
    model::loadStateDictStrict(*m_impl->net, checkpoint.stateDict, checkpoint.source.string());
}

std::vector<std::string> Trainer::loadWeightsForFineTuning(const Checkpoint& checkpoint)
{
    auto& d = *m_impl;
    std::optional<ModelSpec> from; // the checkpoint's own class names
    try {
        from = modelSpecFromConfig(checkpoint.arch, checkpoint.config);
    } catch (const std::exception&) {
    }
    const ClassHeadLayers heads = classHeadLayers(*d.net);
    NamedTensors own = model::orderedStateDict(*d.net);
    NamedTensors weights = checkpoint.stateDict;
    auto find = [](NamedTensors& list, const std::string& name) -> at::Tensor* {
        for (auto& [key, tensor] : list)
            if (key == name)
                return &tensor;
        return nullptr;
    };
    std::vector<std::string> notes;
    auto handle = [&](const std::string& what, const std::vector<std::string>& layers,
                      const std::vector<std::string>& trainingNames, const std::vector<std::string>& checkpointNames) {
        if (layers.empty())
            return;
        // The head is re-initialised only when every one of its tensors is there and differs from the network's
        // in the class dimension (dim 0) alone, by the same count; anything else is left to the strict check.
        int64_t checkpointClasses = -1;
        bool differs = false;
        for (const auto& name : layers) {
            const at::Tensor* given = find(weights, name);
            const at::Tensor* target = find(own, name);
            if (!given || !target || given->dim() != target->dim() || given->dim() == 0)
                return;
            for (int64_t k = 1; k < given->dim(); ++k)
                if (given->size(k) != target->size(k))
                    return;
            if (checkpointClasses >= 0 && given->size(0) != checkpointClasses)
                return;
            checkpointClasses = given->size(0);
            differs = differs || given->size(0) != target->size(0);
        }
        const auto trainingClasses = static_cast<size_t>(find(own, layers.front())->size(0));
        if (!differs) {
            if (checkpointNames.size() == trainingClasses && trainingNames.size() == trainingClasses
                && checkpointNames != trainingNames)
                notes.push_back("warning: " + what + ": the checkpoint's classes (" + joined(checkpointNames)
                    + ") and the training's (" + joined(trainingNames)
                    + ") differ in name; kept the checkpoint's weights, its class i trains as class i");
            return;
        }
        for (const auto& name : layers)
            *find(weights, name) = find(own, name)->detach().clone();
        notes.push_back(what + ": checkpoint has " + classList(static_cast<size_t>(checkpointClasses), checkpointNames)
            + ", training uses " + classList(trainingClasses, trainingNames) + "; re-initialised " + joined(layers));
    };
    static const std::vector<std::string> none;
    handle("type head", heads.nucleusType, d.spec.nucleiTypeNames, from ? from->nucleiTypeNames : none);
    handle("tissue head", heads.tissue, d.spec.tissueTypeNames, from ? from->tissueTypeNames : none);
    model::loadStateDictStrict(*d.net, weights, checkpoint.source.string());
    return notes;
}

void Trainer::resume(const std::filesystem::path& path)
{
    TrainingCheckpoint c = loadTrainingCheckpoint(path, m_impl->optimizer.get());
    if (c.arch != m_impl->spec.arch)
        throw CheckpointError(path.string() + ": checkpoint arch '" + c.arch + "' differs from '"
                              + m_impl->spec.arch + "'");
    model::loadStateDictStrict(*m_impl->net, c.modelState, path.string());
    m_impl->nextEpoch = c.epoch + 1;
    m_impl->best = c.bestMetric;
    m_impl->bestEpoch = c.bestEpoch;
    m_impl->options.seed = c.seed; // the run's own seed keeps the sample order of the remaining epochs
}

int Trainer::nextEpoch() const { return m_impl->nextEpoch; }
const ModelSpec& Trainer::spec() const { return m_impl->spec; }
double Trainer::learningRate() const { return m_impl->learningRateAt(m_impl->nextEpoch); }
NamedTensors Trainer::stateDict() const { return model::orderedStateDict(*m_impl->net); }

LossResult Trainer::step(const TrainingBatch& batch)
{
    auto& d = *m_impl;
    d.net->train();
    d.optimizer->zero_grad();
    const auto outputs = d.net->forward(batch.images);
    LossResult result = trainingLoss(outputs, batch, d.spec.decoder, d.options.lossWeights, d.options.starDistLossWeights);
    result.total.backward();
    d.optimizer->step();
    ++d.globalStep;
    return result;
}

LossResult Trainer::loss(const TrainingBatch& batch)
{
    torch::NoGradGuard noGrad;
    m_impl->net->eval();
    const auto& o = m_impl->options;
    return trainingLoss(
        m_impl->net->forward(batch.images), batch, m_impl->spec.decoder, o.lossWeights, o.starDistLossWeights);
}

std::vector<double> Trainer::evaluate(const std::vector<TrainingSample>& samples)
{
    const auto& o = m_impl->options;
    std::vector<TrainingSample> crops;
    // The same crops every epoch: a fixed generator, no augmentation.
    std::mt19937_64 rng(o.seed ^ 0x5eedc0ffeeULL);
    AugmentationOptions plain;
    plain.enabled = false;
    for (const auto& sample : samples)
        for (int k = 0; k < o.validationCropsPerSample; ++k)
            crops.push_back(augmentedCrop(sample, o.cropSize, rng, plain));
    std::vector<double> sums(lossTermNames(m_impl->spec.decoder).size() + 1, 0.0);
    if (crops.empty())
        return sums;
    for (size_t begin = 0; begin < crops.size(); begin += static_cast<size_t>(o.batchSize)) {
        const auto end = std::min(crops.size(), begin + static_cast<size_t>(o.batchSize));
        const std::vector<TrainingSample> chunk(crops.begin() + static_cast<std::ptrdiff_t>(begin),
                                                crops.begin() + static_cast<std::ptrdiff_t>(end));
        const LossResult r = loss(makeTrainingBatch(chunk, m_impl->spec, o.batch));
        const double weight = static_cast<double>(chunk.size());
        for (size_t i = 0; i < r.terms.size(); ++i)
            sums[i] += weight * r.terms[i];
        sums.back() += weight * r.total.item<double>();
    }
    for (double& s : sums)
        s /= static_cast<double>(crops.size());
    return sums;
}

bool Trainer::run(const TrainingData& data, const std::function<bool()>& stopRequested, std::ostream& progress)
{
    auto& d = *m_impl;
    const auto& o = d.options;
    if (data.train.empty())
        throw std::invalid_argument("trainer: no training samples");
    if (!data.samplingWeights.empty() && data.samplingWeights.size() != data.train.size())
        throw std::invalid_argument("trainer: one sampling weight per training sample needed");
    std::filesystem::create_directories(o.outDir);
    const std::vector<std::string> termNames = lossTermNames(d.spec.decoder);
    TrainingLog log(o.outDir / "training_log.csv", termNames);
    const int steps = o.stepsPerEpoch > 0 ? o.stepsPerEpoch
                                          : static_cast<int>((data.train.size() + o.batchSize - 1) / o.batchSize);
    const std::vector<double> weights = data.samplingWeights.empty()
        ? std::vector<double>(data.train.size(), 1.0)
        : data.samplingWeights;
    progress << "training " << data.train.size() << " samples, validating " << data.validation.size()
             << ", " << steps << " steps of " << o.batchSize << " crops of " << o.cropSize << " px per epoch\n"
             << std::flush;

    for (int epoch = d.nextEpoch; epoch < o.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        const double lr = d.learningRateAt(epoch);
        d.setLearningRate(lr);
        d.setEncoderFrozen(epoch < o.freezeEncoderEpochs);
        // Per-epoch seeds: a resumed run draws the same samples and augmentations as an uninterrupted one.
        torch::manual_seed(o.seed + static_cast<uint64_t>(epoch));
        std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<uint64_t>(epoch));
        std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
        double epochLoss = 0;
        for (int s = 0; s < steps; ++s) {
            if (stopRequested && stopRequested()) {
                saveTrainingCheckpoint(o.outDir / "last.pth", d.checkpoint(epoch - 1), d.optimizer.get());
                progress << "stopped in epoch " << epoch + 1 << "; saved " << (o.outDir / "last.pth").string()
                         << " (resuming repeats epoch " << epoch + 1 << ")\n"
                         << std::flush;
                return false;
            }
            const auto stepStart = Clock::now();
            std::vector<TrainingSample> crops;
            for (int b = 0; b < o.batchSize; ++b)
                crops.push_back(augmentedCrop(data.train[pick(rng)], o.cropSize, rng, o.augmentation));
            const LossResult r = step(makeTrainingBatch(crops, d.spec, o.batch));
            const double total = r.total.item<double>();
            epochLoss += total;
            log.write("train", epoch, d.globalStep, r.terms, total, lr, d.seconds());
            const double stepSeconds = std::chrono::duration<double>(Clock::now() - stepStart).count();
            progress << "epoch " << epoch + 1 << '/' << o.epochs << " step " << s + 1 << '/' << steps << " loss "
                     << std::fixed << std::setprecision(4) << total << " [" << formatTerms(r.terms, termNames) << "] lr "
                     << std::scientific << std::setprecision(2) << lr << std::fixed << ' ' << std::setprecision(1)
                     << stepSeconds << " s\n"
                     << std::flush;
        }
        EpochSummary summary;
        summary.epoch = epoch;
        summary.trainLoss = epochLoss / steps;
        if (!data.validation.empty()) {
            const auto v = evaluate(data.validation);
            summary.validationLoss = v.back();
            summary.validationTerms.assign(v.begin(), v.end() - 1);
            log.write("val", epoch, d.globalStep, summary.validationTerms, summary.validationLoss, lr, d.seconds());
        } else {
            summary.validationLoss = summary.trainLoss;
        }
        summary.improved = !d.best || summary.validationLoss < *d.best;
        if (summary.improved) {
            d.best = summary.validationLoss;
            d.bestEpoch = epoch;
        }
        const TrainingCheckpoint c = d.checkpoint(epoch);
        saveTrainingCheckpoint(o.outDir / "last.pth", c, d.optimizer.get());
        if (summary.improved) {
            saveTrainingCheckpoint(o.outDir / "best.pth", c, nullptr);
            Checkpoint weightsOnly;
            weightsOnly.arch = c.arch;
            weightsOnly.config = c.config;
            weightsOnly.stateDict = c.modelState;
            saveSafetensors(o.outDir / "model.safetensors", weightsOnly, /*half=*/true);
        }
        summary.seconds = std::chrono::duration<double>(Clock::now() - epochStart).count();
        progress << "epoch " << epoch + 1 << " done: train loss " << std::setprecision(4) << summary.trainLoss
                 << ", validation loss " << summary.validationLoss;
        if (!summary.validationTerms.empty())
            progress << " [" << formatTerms(summary.validationTerms, termNames) << "]";
        progress << (summary.improved ? " (best, saved best.pth + model.safetensors)" : "") << ", "
                 << std::setprecision(0) << summary.seconds << " s\n"
                 << std::flush;
        d.nextEpoch = epoch + 1;
        // The kept freed pages (jemalloc without decay, app/common/jemalloc_settings.cpp) are what makes a step
        // fast, but in training they pile up without bound: a 40x run grew by ~45 MB per step and was killed for
        // memory at 24 GB in its fourth epoch. Handed back once per epoch, the process returns to its size after
        // loading (~3.2 GB there); only the next step pays the page faults (~2.5 s).
        releaseFreedMemory();
    }
    return true;
}

} // namespace cellvit::training
