#pragma once
// Network hyper-parameters derived from a checkpoint's arch + flattened config (reference §1.2, §2.3).
// Plain data, no torch: the GUI and CLI can show it without pulling in LibTorch headers.

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace cellvit {

enum class EncoderKind { Vit, Sam };

// The decoder strategies of the paper (same UNETR structure): HoVer-Net maps (NP/HV/NT), STARDIST (object probability
// + radial distances, three branches or one shared decoder with 1×1 heads) and CPP-Net (STARDIST with refined rays).
enum class DecoderKind { HoverNet, StarDist, StarDistShared, CppNet };

// "HoVer-Net", "STARDIST", "STARDIST (shared decoder)", "CPP-Net".
const char* decoderName(DecoderKind kind);

struct ModelSpec {
    std::string arch;     // CellViT | CellViT256 | CellViTSAM, each optionally + StarDist | StarDistShared | CPP
    std::string backbone; // ViT256, default, SAM-B/L/H, SAM-custom
    EncoderKind encoder = EncoderKind::Vit;
    DecoderKind decoder = DecoderKind::HoverNet;
    int nrays = 32; // STARDIST / CPP-Net rays ("model.nrays")

    bool isStarDistFamily() const { return decoder != DecoderKind::HoverNet; }

    int embedDim = 384;
    int depth = 12;
    int numHeads = 6;
    std::vector<int> extractLayers { 3, 6, 9, 12 }; // 1-based block numbers feeding the skips
    double mlpRatio = 4.0;
    bool qkvBias = true;
    int patchSize = 16;
    int inputChannels = 3;

    // SAM only.
    int windowSize = 14;
    std::vector<int> globalAttnIndexes; // 0-based
    int imgSize = 1024;
    int outChans = 256;
    bool useRelPos = true;

    int numNucleiClasses = 6;
    int numTissueClasses = 19;
    bool regressionLoss = false;

    // Decoder widths: 256/128/312 when embedDim < 512, else 512/256/512 (reference §1.2).
    int skipDim11() const { return scaledWidth(embedDim < 512 ? 256 : 512); }
    int skipDim12() const { return scaledWidth(embedDim < 512 ? 128 : 256); }
    int bottleneckDim() const { return scaledWidth(embedDim < 512 ? 312 : 512); }

    // Not in the reference: "model.decoder_width_scale" multiplies every UNETR decoder width (skip dims, the fixed
    // 256/128/64/32 stage widths), so small CPU models can have a slim decoder. 1.0 = the reference network.
    double decoderWidthScale = 1.0;
    int scaledWidth(int referenceWidth) const
    {
        const int scaled = static_cast<int>(referenceWidth * decoderWidthScale + 0.5);
        return scaled < 4 ? 4 : scaled;
    }

    std::array<double, 3> normMean { 0.5, 0.5, 0.5 };
    std::array<double, 3> normStd { 0.5, 0.5, 0.5 };
    int magnification = 40; // 40 -> 0.25 µm/px, 20 -> 0.5 µm/px
    bool mixedPrecision = false;
    std::vector<std::string> nucleiTypeNames; // index = type id; [0] = Background
    std::vector<std::string> tissueTypeNames;

    double targetMpp() const { return magnification == 20 ? 0.5 : 0.25; }
};

// Throws std::invalid_argument naming the offending key for unknown arch/backbone or bad values. The arch is the
// reference class name (checkpoint["arch"]): CellViT, CellViT256, CellViTSAM, and their StarDist, StarDistShared
// and CPP variants (e.g. CellViTSAMStarDist, CellViT256CPP).
ModelSpec modelSpecFromConfig(const std::string& arch, const nlohmann::json& flatConfig);

} // namespace cellvit
