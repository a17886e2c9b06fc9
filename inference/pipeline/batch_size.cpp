#include "inference/pipeline/batch_size.h"

#include "inference/model/cellvit_model.h"

#include <algorithm>
#include <cmath>
#include <dlfcn.h>
#include <fstream>
#include <sstream>

namespace cellvit {

uint64_t estimatePatchActivationBytes(const ModelSpec& spec, int side, int bytesPerElement)
{
    constexpr double kDecoder = 4.6; // live 64-channel full-resolution maps, fitted (see header)
    constexpr double kAttention = 2.0; // scores and their softmax
    constexpr double kWorkspace = 64e6; // per-pass kernel workspaces and allocator slack (256 MB in float32)
    const double pixels = double(side) * side;
    const double tokens = pixels / (double(spec.patchSize) * spec.patchSize);
    const double decoder = kDecoder * spec.scaledWidth(64) * pixels;
    double attention = kAttention * spec.numHeads * tokens * tokens;
    if (spec.encoder == EncoderKind::Sam && spec.globalAttnIndexes.empty()) {
        const double window = double(spec.windowSize) * spec.windowSize;
        attention = kAttention * spec.numHeads * window * window * std::ceil(tokens / window);
    }
    const double mlp = tokens * spec.embedDim * spec.mlpRatio * 2; // hidden layer and its GELU
    return static_cast<uint64_t>((kWorkspace + decoder + attention + mlp) * bytesPerElement);
}

int chooseBatchSize(uint64_t freeBytes, uint64_t bytesPerPatch, size_t patchCount, double safetyFraction, int maxBatch)
{
    const double budget = safetyFraction * static_cast<double>(freeBytes);
    const double fits = bytesPerPatch > 0 ? std::floor(budget / static_cast<double>(bytesPerPatch)) : double(maxBatch);
    int batch = static_cast<int>(std::clamp(fits, 1.0, double(std::max(1, maxBatch))));
    if (patchCount > 0 && static_cast<size_t>(batch) > patchCount)
        batch = static_cast<int>(patchCount);
    return batch;
}

int chooseCpuBatchSize(
    uint64_t availableBytes, uint64_t totalBytes, uint64_t bytesPerPatch, size_t patchCount, int maxBatch)
{
    const double budget = std::min(0.6 * double(availableBytes), kCpuRamFraction * double(totalBytes));
    return chooseBatchSize(static_cast<uint64_t>(budget), bytesPerPatch, patchCount, 1.0, maxBatch);
}

std::optional<uint64_t> parseMeminfoField(const std::string& meminfo, const std::string& field)
{
    const std::string prefix = field + ":";
    std::istringstream in(meminfo);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) != 0)
            continue;
        std::istringstream fields(line.substr(prefix.size()));
        uint64_t value = 0;
        std::string unit;
        if (!(fields >> value))
            return std::nullopt;
        fields >> unit;
        if (unit == "kB")
            return value * 1024;
        if (unit.empty() || unit == "B")
            return value;
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<uint64_t> parseMemAvailable(const std::string& meminfo)
{
    return parseMeminfoField(meminfo, "MemAvailable");
}

namespace {

std::optional<uint64_t> hostMeminfoField(const std::string& field)
{
    std::ifstream in("/proc/meminfo");
    if (!in)
        return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return parseMeminfoField(text.str(), field);
}

} // namespace

std::optional<uint64_t> hostAvailableMemory()
{
    return hostMeminfoField("MemAvailable");
}

std::optional<uint64_t> hostTotalMemory()
{
    return hostMeminfoField("MemTotal");
}

std::optional<uint64_t> cudaFreeMemory()
{
    // Runtime API first (libtorch_cuda loads libcudart); the driver API needs the current context, which
    // the model's first use has made current on this thread.
    using RuntimeMemGetInfo = int (*)(size_t*, size_t*);
    if (auto f = reinterpret_cast<RuntimeMemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"))) {
        size_t freeBytes = 0, total = 0;
        if (f(&freeBytes, &total) == 0)
            return freeBytes;
    }
    if (auto f = reinterpret_cast<RuntimeMemGetInfo>(dlsym(RTLD_DEFAULT, "cuMemGetInfo_v2"))) {
        size_t freeBytes = 0, total = 0;
        if (f(&freeBytes, &total) == 0)
            return freeBytes;
    }
    return std::nullopt;
}

BatchChoice chooseBatchSizeFor(const CellVitModel& model, size_t patchCount)
{
    BatchChoice choice;
    const bool cuda = model.deviceName().rfind("cuda", 0) == 0;
    const int bytesPerElement = cuda && model.precision() != Precision::Float32 ? 2 : 4;
    choice.bytesPerPatch = estimatePatchActivationBytes(model.spec(), 1024, bytesPerElement);
    const std::optional<uint64_t> freeBytes = cuda ? cudaFreeMemory() : hostAvailableMemory();
    choice.memorySource = cuda ? "cuda" : "host";
    if (!freeBytes) {
        choice.memorySource += " (free memory unknown)";
        choice.batchSize = 1;
        return choice;
    }
    choice.freeBytes = *freeBytes;
    if (cuda) {
        choice.batchSize = chooseBatchSize(*freeBytes, choice.bytesPerPatch, patchCount);
        return choice;
    }
    const std::optional<uint64_t> total = hostTotalMemory();
    choice.batchSize = chooseCpuBatchSize(*freeBytes, total.value_or(*freeBytes), choice.bytesPerPatch, patchCount);
    return choice;
}

} // namespace cellvit
