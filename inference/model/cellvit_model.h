#pragma once
// Public face of the network: load a checkpoint, choose device and precision, run a forward pass.
// Only ATen's Tensor type is exposed (no torch/torch.h), so Qt code and moc stay cheap to compile.

#include "inference/model/inference_cancelled.h"
#include "inference/model/map_options.h"
#include "model_zoo/checkpoint.h"
#include "model_zoo/model_spec.h"

#include <ATen/core/Tensor.h>
#include <filesystem>
#include <memory>
#include <string>

namespace cellvit {

enum class Precision { Float32, Float16, BFloat16 };

struct InferenceOptions {
    std::string device = "auto"; // "auto" (CUDA when available), "cpu", "cuda", "cuda:N"
    Precision precision = Precision::Float32;
    int threads = 0; // CPU intra-op threads; 0 = every available CPU (applyThreadCount)
    // Channels-last decoder with BatchNorm folded into the convolutions: faster, and the outputs move
    // by a few 1e-6 from the reference. Off runs the reference's layouts and operation order
    // (for parity checks at the golden vectors' tightest tolerances).
    bool fastKernels = true;
};

// Raw branch outputs, all float32 on the CPU (reference §1.3 output dict). Only the decoder's own maps are defined.
struct ModelOutputs {
    at::Tensor nucleiBinaryMap; // HoVer-Net: B×2×H×W logits (channel 1 = nucleus)
    at::Tensor hvMap; // HoVer-Net: B×2×H×W, channel 0 = horizontal (x), 1 = vertical (y)
    at::Tensor distMap; // STARDIST/CPP-Net: B×1×H×W object-probability logits ("dist_map")
    at::Tensor stardistMap; // STARDIST/CPP-Net: B×nrays×H×W ray lengths in pixels (CPP-Net: raw head output)
    at::Tensor stardistMapRefined; // CPP-Net: B×nrays×H×W refined rays (what its NMS is fed)
    at::Tensor nucleiTypeMap; // B×C×H×W logits, channel 0 = background
    at::Tensor tissueTypes; // B×T logits
    at::Tensor tokens; // B×D×h×w encoder tokens for cell embeddings (h = H/16)
};

// What the tile pipeline keeps of a forward pass, reduced where the network ran: the class maps as their argmax
// (np.argmax semantics: first maximum, NaN counts as the maximum), so a GPU sends back bytes instead of C float
// planes per class; HV maps, probabilities, rays and tokens float32. All on the CPU.
struct SegmentationMaps {
    at::Tensor nucleiBinaryArgmax; // HoVer-Net: B×H×W uint8 (1 = nucleus)
    at::Tensor hvMap; // HoVer-Net: B×2×H×W float32
    at::Tensor objectProbability; // STARDIST/CPP-Net: B×H×W float32, sigmoid of dist_map
    at::Tensor rays; // STARDIST/CPP-Net: B×nrays×H×W float32, the rays the NMS is fed (refined for CPP-Net)
    at::Tensor nucleiTypeArgmax; // B×H×W uint8 class id
    at::Tensor tokens; // B×D×h×w float32
};

class CellVitModel {
public:
    // Builds the network from the checkpoint's arch/config and loads its weights strictly.
    static std::unique_ptr<CellVitModel> fromCheckpoint(
        const Checkpoint& checkpoint, const InferenceOptions& options = {});
    static std::unique_ptr<CellVitModel> load(const std::filesystem::path& path, const InferenceOptions& options = {});
    // Randomly initialised network (benchmarks, architecture checks).
    static std::unique_ptr<CellVitModel> randomlyInitialised(
        const ModelSpec& spec, const InferenceOptions& options = {});
    ~CellVitModel();

    const ModelSpec& spec() const;
    std::string deviceName() const; // "cpu", "cuda:0"
    Precision precision() const;
    NamedTensors stateDict() const; // reference key order

    // Input: B×3×H×W float32, already normalised (see normaliseImage); H, W multiples of 16.
    // `isCancelled` is asked between the network's stages (encoder blocks, decoder convolution bands: each
    // well under a second on a CPU); when it returns true the pass stops and throws InferenceCancelled.
    // Called on this thread; without a check the pass runs as before. The outputs do not depend on it.
    ModelOutputs forward(const at::Tensor& normalisedBatch, const CancellationCheck& isCancelled = {}) const;

    // Input: B×H×W×3 uint8 RGB on the CPU (hostBatch). Only bytes cross to a GPU: there each value is looked up
    // in a table of normaliseImage's results, so the network sees the same floats as forward(normaliseImage(...)),
    // and gives the same labels, maps and tokens as forward() followed by an argmax.
    // `mapOptions`: upsampled or flip-averaged maps (MapOptions); by default the network's own maps.
    SegmentationMaps segmentationForward(
        const at::Tensor& rgbBatch, const CancellationCheck& isCancelled = {}, const MapOptions& mapOptions = {}) const;
    // A B×H×W×3 uint8 host tensor for segmentationForward (page-locked when the network runs on a GPU, so the
    // copy from it is one DMA transfer).
    at::Tensor hostBatch(int64_t batch, int64_t height, int64_t width) const;

    // RGB uint8 image (H×W×3, row stride in bytes) → 1×3×H×W float32 with the checkpoint's
    // mean/std, computed as torchvision ToTensor + Normalize do (÷255, −mean, ÷std in float32).
    at::Tensor normaliseImage(const uint8_t* rgb, int64_t height, int64_t width, int64_t rowStride) const;

    struct Impl; // opaque: keeps torch::nn out of this header

private:
    explicit CellVitModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace cellvit
