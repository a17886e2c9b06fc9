#pragma once
// `--batch auto`. On CUDA: the largest batch of 1024² patches whose estimated forward-pass memory fits in a
// safety fraction of the free device memory, clamped to [1, 32] and to the number of patches. On the CPU a
// batch above one buys no throughput (bench/RESULTS.md, "CPU batch size") but multiplies the memory and loses
// every patch of the batch to a crash, so the CPU runs kCpuMaxBatch patches at a time at most, within a
// fraction of the machine's RAM (not of whatever happens to be free). Free memory is measured after the model
// is loaded, so the weights are already accounted for and only the per-patch activations are budgeted.

#include "model_zoo/model_spec.h"

#include <cstdint>
#include <optional>
#include <string>

namespace cellvit {

class CellVitModel;

// Peak activation bytes of one forward pass over a side² patch. From the largest live tensors: the
// full-resolution decoder stage (64-channel maps, their 128-channel concatenation and conv workspaces:
// kDecoder·w₆₄·side²), the attention scores + softmax of the global-attention blocks (2·heads·N², N =
// (side/16)² tokens; SAM's windowed blocks are far smaller), the MLP hidden layer, plus a fixed workspace.
// Calibrated on the peak RSS of a CellViT-256 forward (random weights, CPU) above the loaded-model RSS:
// 2.35 GB at 1024² is matched, 512² (0.68 GB) is within 10 %, 256² is overestimated (see bench/RESULTS.md).
uint64_t estimatePatchActivationBytes(const ModelSpec& spec, int side = 1024, int bytesPerElement = 4);

struct BatchChoice {
    int batchSize = 1;
    uint64_t freeBytes = 0; // what was free when choosing (0 = unknown)
    uint64_t bytesPerPatch = 0; // the estimate used
    std::string memorySource; // "cuda", "host" or why no figure was available
};

// Largest batch b with b·bytesPerPatch <= safetyFraction·freeBytes, clamped to [1, maxBatch] and to
// `patchCount` (at least 1).
int chooseBatchSize(
    uint64_t freeBytes, uint64_t bytesPerPatch, size_t patchCount, double safetyFraction = 0.6, int maxBatch = 32);

constexpr int kCpuMaxBatch = 1;
constexpr double kCpuRamFraction = 0.25; // of MemTotal: room for the viewer, a browser and the OS on a laptop

// The CPU choice: the largest batch within min(0.6 · available, kCpuRamFraction · total), clamped to
// [1, maxBatch] and to `patchCount`.
int chooseCpuBatchSize(uint64_t availableBytes, uint64_t totalBytes, uint64_t bytesPerPatch, size_t patchCount,
    int maxBatch = kCpuMaxBatch);

// A field ("MemAvailable", "MemTotal") of a /proc/meminfo text, in bytes; nullopt when absent or malformed.
std::optional<uint64_t> parseMeminfoField(const std::string& meminfo, const std::string& field);
std::optional<uint64_t> parseMemAvailable(const std::string& meminfo);
std::optional<uint64_t> hostAvailableMemory(); // /proc/meminfo
std::optional<uint64_t> hostTotalMemory(); // /proc/meminfo
// Free memory of the current CUDA device through the already-loaded CUDA runtime (cudaMemGetInfo found
// with dlsym, no CUDA headers needed); nullopt when no CUDA runtime is loaded or the call fails.
std::optional<uint64_t> cudaFreeMemory();

// The choice for `model` on its device with `patchCount` patches to run.
BatchChoice chooseBatchSizeFor(const CellVitModel& model, size_t patchCount);

} // namespace cellvit
