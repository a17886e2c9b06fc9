#include "model_zoo/safetensors.h"

#include <ATen/Functions.h>
#include <algorithm>
#include <array>
#include <fstream>

namespace cellvit {
namespace {

constexpr uint64_t kMaxHeaderBytes = 100ull << 20; // the SAM-H header is ~100 kB
// A real header is 3 levels deep. Deeper input is refused while parsing: dump() in the messages below is
// recursive and overflowed the stack on a 200k-deep dtype (fuzz/fuzz_safetensors, docs/fuzzing.md).
constexpr int kMaxHeaderNesting = 64;
constexpr size_t kMaxDims = 64;

struct DtypeCode {
    const char* code;
    at::ScalarType type;
};
constexpr std::array<DtypeCode, 10> kDtypes { {
    { "F32", at::kFloat },
    { "F16", at::kHalf },
    { "BF16", at::kBFloat16 },
    { "F64", at::kDouble },
    { "I64", at::kLong },
    { "I32", at::kInt },
    { "I16", at::kShort },
    { "I8", at::kChar },
    { "U8", at::kByte },
    { "BOOL", at::kBool },
} };

const char* dtypeCode(at::ScalarType type)
{
    for (const auto& entry : kDtypes)
        if (entry.type == type)
            return entry.code;
    return nullptr;
}

struct Entry {
    std::string name;
    at::ScalarType type;
    std::vector<int64_t> shape;
    uint64_t begin = 0;
    uint64_t end = 0;
};

class SafetensorsReader {
public:
    explicit SafetensorsReader(std::filesystem::path path)
        : m_path(std::move(path))
        , m_in(m_path, std::ios::binary)
    {
        if (!m_in)
            throw error("cannot open the file");
    }

    void stream(const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor);

private:
    CheckpointError error(const std::string& what) const { return CheckpointError(m_path.string() + ": " + what); }
    nlohmann::json readHeader();
    Entry parseEntry(const std::string& name, const nlohmann::json& info) const;
    void readMetadata(const nlohmann::json& metadata, CheckpointHeader& checkpoint) const;

    std::filesystem::path m_path;
    std::ifstream m_in;
    uint64_t m_dataStart = 0;
    uint64_t m_dataSize = 0;
};

nlohmann::json SafetensorsReader::readHeader()
{
    std::error_code ec;
    const uint64_t fileSize = std::filesystem::file_size(m_path, ec);
    if (ec || fileSize < 8)
        throw error("too short for a safetensors file");
    std::array<uint8_t, 8> lengthBytes {};
    m_in.read(reinterpret_cast<char*>(lengthBytes.data()), 8);
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i)
        headerLength = (headerLength << 8) | lengthBytes[static_cast<size_t>(i)];
    if (headerLength > fileSize - 8 || headerLength > kMaxHeaderBytes)
        throw error("safetensors header length " + std::to_string(headerLength) + " exceeds the file");
    std::string header(static_cast<size_t>(headerLength), '\0');
    m_in.read(header.data(), static_cast<std::streamsize>(headerLength));
    if (!m_in)
        throw error("cannot read the safetensors header");
    m_dataStart = 8 + headerLength;
    m_dataSize = fileSize - m_dataStart;
    try {
        const auto limitNesting = [this](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxHeaderNesting)
                throw error(
                    "the safetensors header is nested deeper than " + std::to_string(kMaxHeaderNesting) + " levels");
            return true;
        };
        nlohmann::json json = nlohmann::json::parse(header, limitNesting);
        if (!json.is_object())
            throw error("the safetensors header is not a JSON object");
        return json;
    } catch (const nlohmann::json::exception& e) {
        throw error(std::string("invalid safetensors header: ") + e.what());
    }
}

Entry SafetensorsReader::parseEntry(const std::string& name, const nlohmann::json& info) const
{
    auto bad = [&](const std::string& what) { return error("tensor '" + name + "': " + what); };
    if (!info.is_object() || !info.contains("dtype") || !info.contains("shape") || !info.contains("data_offsets"))
        throw bad("needs 'dtype', 'shape' and 'data_offsets'");
    Entry entry;
    entry.name = name;
    const auto& dtype = info["dtype"];
    const auto code = std::find_if(
        kDtypes.begin(), kDtypes.end(), [&](const DtypeCode& d) { return dtype.is_string() && dtype == d.code; });
    if (code == kDtypes.end())
        throw bad("unsupported dtype " + dtype.dump());
    entry.type = code->type;

    const auto& shape = info["shape"];
    if (!shape.is_array() || shape.size() > kMaxDims)
        throw bad("'shape' is not an array of at most 64 sizes");
    uint64_t numel = 1;
    for (const auto& size : shape) {
        if (!size.is_number_unsigned())
            throw bad("'shape' holds " + size.dump());
        const uint64_t s = size.get<uint64_t>();
        if (s > static_cast<uint64_t>(INT64_MAX) || __builtin_mul_overflow(numel, s, &numel))
            throw bad("'shape' overflows");
        entry.shape.push_back(static_cast<int64_t>(s));
    }
    const auto& offsets = info["data_offsets"];
    if (!offsets.is_array() || offsets.size() != 2 || !offsets[0].is_number_unsigned()
        || !offsets[1].is_number_unsigned())
        throw bad("'data_offsets' is not [begin, end]");
    entry.begin = offsets[0].get<uint64_t>();
    entry.end = offsets[1].get<uint64_t>();
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(numel, c10::elementSize(entry.type), &bytes) || entry.end < entry.begin
        || entry.end - entry.begin != bytes)
        throw bad("'data_offsets' [" + std::to_string(entry.begin) + ", " + std::to_string(entry.end)
            + ") do not match the shape and dtype");
    if (entry.end > m_dataSize)
        throw bad("data ends at byte " + std::to_string(entry.end) + " but the file holds only "
            + std::to_string(m_dataSize) + " data bytes");
    return entry;
}

void SafetensorsReader::readMetadata(const nlohmann::json& metadata, CheckpointHeader& checkpoint) const
{
    if (!metadata.is_object())
        throw error("'__metadata__' is not an object");
    const auto arch = metadata.find("arch");
    if (arch == metadata.end() || !arch->is_string())
        throw error("no 'arch' in '__metadata__' (convert the checkpoint with cellvit-cli convert)");
    checkpoint.arch = arch->get<std::string>();
    const auto config = metadata.find("config");
    if (config == metadata.end() || !config->is_string())
        throw error("no 'config' in '__metadata__'");
    try {
        checkpoint.config = nlohmann::json::parse(config->get<std::string>());
    } catch (const nlohmann::json::exception& e) {
        throw error(std::string("'config' metadata is not valid JSON: ") + e.what());
    }
    if (!checkpoint.config.is_object())
        throw error("'config' metadata is not a JSON object");
}

void SafetensorsReader::stream(const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor)
{
    const nlohmann::json header = readHeader();
    CheckpointHeader checkpoint;
    checkpoint.source = m_path;
    const auto metadata = header.find("__metadata__");
    if (metadata == header.end())
        throw error("no '__metadata__' (arch and config) in the safetensors header");
    readMetadata(*metadata, checkpoint);

    std::vector<Entry> entries;
    for (auto it = header.begin(); it != header.end(); ++it)
        if (it.key() != "__metadata__")
            entries.push_back(parseEntry(it.key(), it.value()));
    // JSON objects are unordered; the data layout keeps the state-dict order of the writer.
    std::sort(entries.begin(), entries.end(),
        [](const Entry& a, const Entry& b) { return a.begin != b.begin ? a.begin < b.begin : a.end < b.end; });
    for (size_t i = 1; i < entries.size(); ++i)
        if (entries[i].begin < entries[i - 1].end)
            throw error("tensors '" + entries[i - 1].name + "' and '" + entries[i].name + "' overlap");
    for (const Entry& entry : entries)
        checkpoint.tensorShapes.emplace_back(entry.name, entry.shape);
    onHeader(checkpoint);

    for (const Entry& entry : entries) {
        at::Tensor tensor = at::empty(entry.shape, at::TensorOptions().dtype(entry.type));
        const uint64_t bytes = entry.end - entry.begin;
        m_in.seekg(static_cast<std::streamoff>(m_dataStart + entry.begin));
        m_in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(bytes));
        if (!m_in)
            throw error("cannot read the data of tensor '" + entry.name + "'");
        onTensor(entry.name, tensor);
    }
}

} // namespace

void streamSafetensors(
    const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor)
{
    SafetensorsReader(path).stream(onHeader, onTensor);
}

Checkpoint loadSafetensors(const std::filesystem::path& path)
{
    return collectCheckpoint([&](const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor) {
        streamSafetensors(path, onHeader, onTensor);
    });
}

void saveSafetensors(const std::filesystem::path& path, const Checkpoint& checkpoint, bool half)
{
    auto error = [&](const std::string& what) { return CheckpointError(path.string() + ": " + what); };
    std::vector<at::Tensor> tensors;
    nlohmann::ordered_json header;
    header["__metadata__"]
        = { { "arch", checkpoint.arch }, { "config", checkpoint.config.dump() }, { "format", "cellvit-studio" } };
    uint64_t offset = 0;
    for (const auto& [name, original] : checkpoint.stateDict) {
        at::Tensor tensor = original.to(at::kCPU).contiguous();
        if (half && at::isFloatingType(tensor.scalar_type())) {
            // Finite weights must stay finite: float16 tops out at 65504.
            const at::Tensor converted = tensor.to(at::kHalf);
            if (at::isfinite(tensor).all().item<bool>() && !at::isfinite(converted).all().item<bool>())
                throw error("tensor '" + name
                    + "' has values beyond the float16 range (|x| > 65504); "
                      "convert without --half");
            tensor = converted;
        }
        const char* code = dtypeCode(tensor.scalar_type());
        if (!code)
            throw error("tensor '" + name + "' has the unsupported dtype " + dtypeName(tensor.scalar_type()));
        const uint64_t bytes = tensor.nbytes();
        header[name]
            = { { "dtype", code }, { "shape", tensor.sizes().vec() }, { "data_offsets", { offset, offset + bytes } } };
        offset += bytes;
        tensors.push_back(std::move(tensor));
    }
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' '); // keeps the data 8-byte aligned

    const std::filesystem::path partial = path.string() + ".part";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out)
            throw error("cannot create the file");
        uint64_t length = headerText.size();
        std::array<char, 8> lengthBytes {};
        for (auto& byte : lengthBytes) {
            byte = static_cast<char>(length & 0xFF);
            length >>= 8;
        }
        out.write(lengthBytes.data(), 8);
        out.write(headerText.data(), static_cast<std::streamsize>(headerText.size()));
        for (const auto& tensor : tensors)
            out.write(static_cast<const char*>(tensor.data_ptr()), static_cast<std::streamsize>(tensor.nbytes()));
        out.close();
        if (!out) {
            std::filesystem::remove(partial);
            throw error("cannot write the file (disk full?)");
        }
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec)
        throw error("cannot rename the finished file: " + ec.message());
}

} // namespace cellvit
