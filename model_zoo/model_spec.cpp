#include "model_zoo/model_spec.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace cellvit {
namespace {

using Json = nlohmann::json;

// Released backbones (reference §1.2). Explicit model.* keys in the config override these.
struct Preset {
    EncoderKind encoder;
    int embedDim, depth, numHeads;
    std::vector<int> extractLayers;
    std::vector<int> globalAttnIndexes;
};

const std::map<std::string, Preset>& presets()
{
    static const std::map<std::string, Preset> table {
        { "ViT256", { EncoderKind::Vit, 384, 12, 6, { 3, 6, 9, 12 }, {} } },
        { "SAM-B", { EncoderKind::Sam, 768, 12, 12, { 3, 6, 9, 12 }, { 2, 5, 8, 11 } } },
        { "SAM-L", { EncoderKind::Sam, 1024, 24, 16, { 6, 12, 18, 24 }, { 5, 11, 17, 23 } } },
        { "SAM-H", { EncoderKind::Sam, 1280, 32, 16, { 8, 16, 24, 32 }, { 7, 15, 23, 31 } } },
    };
    return table;
}

const std::vector<std::string> kPanNukeNuclei { "Background", "Neoplastic", "Inflammatory", "Connective", "Dead",
                                                "Epithelial" };
const std::vector<std::string> kPanNukeTissue { "Adrenal_gland", "Bile-duct", "Bladder", "Breast", "Cervix",
                                                "Colon", "Esophagus", "HeadNeck", "Kidney", "Liver",
                                                "Lung", "Ovarian", "Pancreatic", "Prostate", "Skin",
                                                "Stomach", "Testis", "Thyroid", "Uterus" };

template <typename T>
void readIfPresent(const Json& config, const char* key, T& target)
{
    const auto it = config.find(key);
    if (it == config.end() || it->is_null())
        return;
    try {
        target = it->get<T>();
    } catch (const Json::exception&) {
        throw std::invalid_argument(std::string("config key '") + key + "' has an unexpected value: " + it->dump());
    }
}

// Names from "<prefix><Name>": id entries; falls back to `defaults` or "Class k".
std::vector<std::string> classNames(const Json& config, const std::string& prefix, int count,
                                    const std::vector<std::string>& defaults)
{
    std::vector<std::string> names(static_cast<size_t>(std::max(count, 0)));
    for (auto it = config.begin(); it != config.end(); ++it) {
        if (it.key().rfind(prefix, 0) != 0 || !it->is_number_integer())
            continue;
        const int id = it->get<int>();
        if (id >= 0 && id < count)
            names[static_cast<size_t>(id)] = it.key().substr(prefix.size());
    }
    for (int i = 0; i < count; ++i) {
        auto& name = names[static_cast<size_t>(i)];
        if (name.empty())
            name = static_cast<int>(defaults.size()) == count ? defaults[static_cast<size_t>(i)]
                                                               : "Class " + std::to_string(i);
    }
    return names;
}

void checkPositive(int value, const char* key)
{
    if (value <= 0)
        throw std::invalid_argument(std::string("config key '") + key + "' must be positive, got "
                                    + std::to_string(value));
}

// "CellViTSAMStarDist" -> ("CellViTSAM", StarDist): the reference names each variant <encoder class><decoder>.
std::pair<std::string, DecoderKind> splitArch(const std::string& arch)
{
    static const std::pair<const char*, DecoderKind> suffixes[] = {
        { "StarDistShared", DecoderKind::StarDistShared },
        { "StarDist", DecoderKind::StarDist },
        { "CPP", DecoderKind::CppNet },
    };
    for (const auto& [suffix, kind] : suffixes) {
        const std::string s = suffix;
        if (arch.size() > s.size() && arch.compare(arch.size() - s.size(), s.size(), s) == 0)
            return { arch.substr(0, arch.size() - s.size()), kind };
    }
    return { arch, DecoderKind::HoverNet };
}

} // namespace

const char* decoderName(DecoderKind kind)
{
    switch (kind) {
    case DecoderKind::StarDist:
        return "STARDIST";
    case DecoderKind::StarDistShared:
        return "STARDIST (shared decoder)";
    case DecoderKind::CppNet:
        return "CPP-Net";
    default:
        return "HoVer-Net";
    }
}

ModelSpec modelSpecFromConfig(const std::string& fullArch, const Json& config)
{
    if (!config.is_object())
        throw std::invalid_argument("checkpoint config is not a dictionary");
    ModelSpec spec;
    spec.arch = fullArch;
    const auto [arch, decoder] = splitArch(fullArch);
    spec.decoder = decoder;
    if (arch == "CellViT256") {
        spec.backbone = "ViT256";
    } else if (arch == "CellViTSAM") {
        readIfPresent(config, "model.backbone", spec.backbone);
        if (spec.backbone.empty())
            throw std::invalid_argument("CellViTSAM checkpoint has no 'model.backbone' in its config");
    } else if (arch == "CellViT") {
        spec.backbone = "default";
        readIfPresent(config, "model.backbone", spec.backbone);
    } else {
        throw std::invalid_argument("unknown architecture '" + fullArch
                                    + "' (supported: CellViT, CellViT256, CellViTSAM, each also with the suffix "
                                      "StarDist, StarDistShared or CPP)");
    }

    if (const auto preset = presets().find(spec.backbone); preset != presets().end()) {
        const Preset& p = preset->second;
        spec.encoder = p.encoder;
        spec.embedDim = p.embedDim;
        spec.depth = p.depth;
        spec.numHeads = p.numHeads;
        spec.extractLayers = p.extractLayers;
        spec.globalAttnIndexes = p.globalAttnIndexes;
    } else if (arch == "CellViTSAM" && spec.backbone != "SAM-custom") {
        throw std::invalid_argument("unknown SAM backbone '" + spec.backbone
                                    + "' (supported: SAM-B, SAM-L, SAM-H, SAM-custom)");
    }
    if (arch == "CellViTSAM")
        spec.encoder = EncoderKind::Sam;

    readIfPresent(config, "model.embed_dim", spec.embedDim);
    readIfPresent(config, "model.depth", spec.depth);
    readIfPresent(config, "model.num_heads", spec.numHeads);
    readIfPresent(config, "model.extract_layers", spec.extractLayers);
    readIfPresent(config, "model.mlp_ratio", spec.mlpRatio);
    readIfPresent(config, "model.qkv_bias", spec.qkvBias);
    readIfPresent(config, "model.patch_size", spec.patchSize);
    readIfPresent(config, "model.input_channels", spec.inputChannels);
    readIfPresent(config, "model.window_size", spec.windowSize);
    readIfPresent(config, "model.global_attn_indexes", spec.globalAttnIndexes);
    readIfPresent(config, "model.img_size", spec.imgSize);
    readIfPresent(config, "model.out_chans", spec.outChans);
    readIfPresent(config, "model.use_rel_pos", spec.useRelPos);
    readIfPresent(config, "model.regression_loss", spec.regressionLoss);
    readIfPresent(config, "model.nrays", spec.nrays); // the reference reads "nrays"; "n_rays" is never read
    readIfPresent(config, "model.decoder_width_scale", spec.decoderWidthScale);
    readIfPresent(config, "data.num_nuclei_classes", spec.numNucleiClasses);
    readIfPresent(config, "data.num_tissue_classes", spec.numTissueClasses);
    readIfPresent(config, "data.magnification", spec.magnification);
    readIfPresent(config, "training.mixed_precision", spec.mixedPrecision);

    std::vector<double> mean, stdDev;
    readIfPresent(config, "transformations.normalize.mean", mean);
    readIfPresent(config, "transformations.normalize.std", stdDev);
    if (!mean.empty()) {
        if (mean.size() != 3)
            throw std::invalid_argument("config key 'transformations.normalize.mean' must have 3 values");
        std::copy(mean.begin(), mean.end(), spec.normMean.begin());
    }
    if (!stdDev.empty()) {
        if (stdDev.size() != 3 || std::any_of(stdDev.begin(), stdDev.end(), [](double s) { return s <= 0; }))
            throw std::invalid_argument("config key 'transformations.normalize.std' must have 3 positive values");
        std::copy(stdDev.begin(), stdDev.end(), spec.normStd.begin());
    }

    checkPositive(spec.embedDim, "model.embed_dim");
    checkPositive(spec.depth, "model.depth");
    checkPositive(spec.numHeads, "model.num_heads");
    checkPositive(spec.numNucleiClasses, "data.num_nuclei_classes");
    checkPositive(spec.numTissueClasses, "data.num_tissue_classes");
    checkPositive(spec.nrays, "model.nrays");
    if (spec.isStarDistFamily() && spec.regressionLoss)
        throw std::invalid_argument("model.regression_loss applies to HoVer-Net decoders only");
    if (spec.embedDim % spec.numHeads != 0)
        throw std::invalid_argument("model.embed_dim must be divisible by model.num_heads");
    if (spec.patchSize != 16)
        throw std::invalid_argument("model.patch_size must be 16 (the UNETR decoder upsamples by 16)");
    if (spec.extractLayers.size() != 4)
        throw std::invalid_argument("model.extract_layers must list 4 block numbers");
    for (int layer : spec.extractLayers) {
        if (layer < 1 || layer > spec.depth)
            throw std::invalid_argument("model.extract_layers entry " + std::to_string(layer)
                                        + " is outside 1.." + std::to_string(spec.depth));
    }
    if (!(spec.decoderWidthScale > 0.0 && spec.decoderWidthScale <= 4.0))
        throw std::invalid_argument("model.decoder_width_scale must be in (0, 4], got "
                                    + std::to_string(spec.decoderWidthScale));
    if (spec.magnification != 20 && spec.magnification != 40)
        throw std::invalid_argument("data.magnification must be 20 or 40, got " + std::to_string(spec.magnification));

    spec.nucleiTypeNames = classNames(config, "dataset_config.nuclei_types.", spec.numNucleiClasses, kPanNukeNuclei);
    spec.tissueTypeNames = classNames(config, "dataset_config.tissue_types.", spec.numTissueClasses, kPanNukeTissue);
    return spec;
}

} // namespace cellvit
