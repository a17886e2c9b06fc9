#include "model_zoo/checkpoint.h"

#include "model_zoo/pth_reader.h"
#include "model_zoo/safetensors.h"

#include <algorithm>
#include <array>
#include <c10/core/ScalarType.h>
#include <cstring>
#include <fstream>

namespace cellvit {
namespace {

enum class FileFormat { PyTorchZip, Safetensors, Unknown };

FileFormat detectFormat(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw CheckpointError(path.string() + ": cannot open the file");
    std::array<char, 9> head {};
    in.read(head.data(), head.size());
    const auto got = static_cast<size_t>(in.gcount());
    if (got >= 4 && std::memcmp(head.data(), "PK\x03\x04", 4) == 0)
        return FileFormat::PyTorchZip;
    // safetensors: u64 little-endian header length, then a JSON object.
    if (got == 9 && head[8] == '{') {
        uint64_t headerLength = 0;
        for (int i = 7; i >= 0; --i)
            headerLength = (headerLength << 8) | static_cast<uint8_t>(head[static_cast<size_t>(i)]);
        std::error_code ec;
        const auto fileSize = std::filesystem::file_size(path, ec);
        if (!ec && headerLength >= 2 && headerLength <= fileSize - 8)
            return FileFormat::Safetensors;
    }
    return FileFormat::Unknown;
}

} // namespace

Checkpoint collectCheckpoint(const CheckpointStream& stream)
{
    Checkpoint checkpoint;
    stream(
        [&](const CheckpointHeader& header) {
            checkpoint.arch = header.arch;
            checkpoint.config = header.config;
            checkpoint.source = header.source;
            checkpoint.stateDict.reserve(header.tensorShapes.size());
        },
        [&](const std::string& name, const at::Tensor& tensor) { checkpoint.stateDict.emplace_back(name, tensor); });
    return checkpoint;
}

Checkpoint loadCheckpoint(const std::filesystem::path& path)
{
    return collectCheckpoint([&](const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor) {
        streamCheckpoint(path, onHeader, onTensor);
    });
}

void streamCheckpoint(
    const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor)
{
    switch (detectFormat(path)) {
    case FileFormat::PyTorchZip:
        return streamPth(path, onHeader, onTensor);
    case FileFormat::Safetensors:
        return streamSafetensors(path, onHeader, onTensor);
    case FileFormat::Unknown:
        break;
    }
    std::error_code ec;
    const bool empty = std::filesystem::file_size(path, ec) == 0 && !ec;
    throw CheckpointError(path.string() + ": not a checkpoint ("
        + (empty ? std::string("the file is empty")
                 : std::string("neither a PyTorch zip archive nor a safetensors file"))
        + ")");
}

bool isBatchNormBuffer(const std::string& name)
{
    auto endsWith = [&](const char* suffix) {
        const size_t n = std::strlen(suffix);
        return name.size() >= n && name.compare(name.size() - n, n, suffix) == 0;
    };
    return endsWith(".running_mean") || endsWith(".running_var") || endsWith(".num_batches_tracked");
}

int64_t parameterCount(const Checkpoint& checkpoint)
{
    int64_t count = 0;
    for (const auto& [name, tensor] : checkpoint.stateDict)
        if (at::isFloatingType(tensor.scalar_type()) && !isBatchNormBuffer(name))
            count += tensor.numel();
    return count;
}

std::string dtypeName(at::ScalarType type)
{
    switch (type) {
    case at::kFloat:
        return "float32";
    case at::kHalf:
        return "float16";
    case at::kBFloat16:
        return "bfloat16";
    case at::kDouble:
        return "float64";
    case at::kLong:
        return "int64";
    case at::kInt:
        return "int32";
    case at::kShort:
        return "int16";
    case at::kChar:
        return "int8";
    case at::kByte:
        return "uint8";
    case at::kBool:
        return "bool";
    default:
        return c10::toString(type);
    }
}

std::string stateDictDtypes(const Checkpoint& checkpoint)
{
    std::vector<std::string> names;
    for (const auto& entry : checkpoint.stateDict) {
        const std::string name = dtypeName(entry.second.scalar_type());
        if (std::find(names.begin(), names.end(), name) == names.end())
            names.push_back(name);
    }
    std::string joined;
    for (const auto& name : names)
        joined += (joined.empty() ? "" : ", ") + name;
    return joined;
}

} // namespace cellvit
