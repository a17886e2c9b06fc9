#include "model_zoo/pth_reader.h"

#include "model_zoo/pickle_json.h"
#include "model_zoo/pickle_reader.h"

#include <ATen/Functions.h>
#include <algorithm>
#include <c10/util/Exception.h>
#include <caffe2/serialize/inline_container.h>
#include <map>
#include <set>

namespace cellvit {
namespace {

using pickle::StorageType;
using pickle::TensorRef;
using pickle::Value;

at::ScalarType scalarType(StorageType type)
{
    switch (type) {
    case StorageType::Float:
        return at::kFloat;
    case StorageType::Double:
        return at::kDouble;
    case StorageType::Half:
        return at::kHalf;
    case StorageType::BFloat16:
        return at::kBFloat16;
    case StorageType::Long:
        return at::kLong;
    case StorageType::Int:
        return at::kInt;
    case StorageType::Short:
        return at::kShort;
    case StorageType::Char:
        return at::kChar;
    case StorageType::Byte:
        return at::kByte;
    case StorageType::Bool:
        return at::kBool;
    }
    return at::kFloat;
}

std::string firstLine(const char* text)
{
    std::string s(text);
    return s.substr(0, s.find('\n'));
}

class PthReader {
public:
    explicit PthReader(std::filesystem::path path)
        : m_path(std::move(path))
    {
        try {
            m_zip = std::make_unique<caffe2::serialize::PyTorchStreamReader>(m_path.string());
        } catch (const c10::Error& e) {
            throw error("not a readable PyTorch zip archive (" + firstLine(e.what_without_backtrace()) + ")");
        }
    }

    void stream(const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor);

private:
    CheckpointError error(const std::string& what) const { return CheckpointError(m_path.string() + ": " + what); }

    std::pair<at::DataPtr, size_t> record(const std::string& name)
    {
        try {
            if (!m_zip->hasRecord(name))
                throw error("the archive has no record '" + name + "'");
            auto [data, size] = m_zip->getRecord(name);
            return { std::move(data), size };
        } catch (const c10::Error& e) {
            throw error("cannot read record '" + name + "' (" + firstLine(e.what_without_backtrace()) + ")");
        }
    }

    void checkByteOrder();
    void materialise(
        const std::vector<std::pair<std::string, const TensorRef*>>& refs, const CheckpointTensorVisitor& onTensor);
    at::Tensor tensorFromStorage(
        const std::string& name, const TensorRef& ref, const at::DataPtr& data, size_t bytes) const;

    std::filesystem::path m_path;
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> m_zip;
};

void PthReader::checkByteOrder()
{
    // torch >= 2.1 records the storage byte order; older files are little-endian.
    bool present = false;
    try {
        present = m_zip->hasRecord("byteorder");
    } catch (const c10::Error&) {
    }
    if (!present)
        return;
    auto [data, size] = record("byteorder");
    const std::string order(static_cast<const char*>(data.get()), size);
    if (order != "little")
        throw error("storages are stored as '" + order + "' endian; only little-endian checkpoints are supported");
}

at::Tensor PthReader::tensorFromStorage(
    const std::string& name, const TensorRef& ref, const at::DataPtr& data, size_t bytes) const
{
    const int64_t elementSize = pickle::storageElementSize(ref.storageType);
    const int64_t available = std::min<int64_t>(ref.storageNumel, static_cast<int64_t>(bytes) / elementSize);
    const auto options = at::TensorOptions().dtype(scalarType(ref.storageType));
    // Highest element index the view touches, with overflow checks (sizes/strides come from the file).
    int64_t extent = ref.storageOffset;
    bool empty = false;
    for (size_t d = 0; d < ref.sizes.size(); ++d) {
        if (ref.sizes[d] == 0)
            empty = true;
        int64_t span = 0;
        if (ref.sizes[d] > 0
            && (__builtin_mul_overflow(ref.sizes[d] - 1, ref.strides[d], &span)
                || __builtin_add_overflow(extent, span, &extent)))
            throw error("tensor '" + name + "' has a size/stride that overflows");
    }
    if (empty)
        return at::empty(ref.sizes, options);
    // The copy is contiguous: an expanded view (stride 0) of a tiny storage must not become a huge tensor.
    int64_t numel = 1;
    for (const int64_t size : ref.sizes)
        if (__builtin_mul_overflow(numel, size, &numel) || numel > available)
            throw error("tensor '" + name + "' has more elements than its storage '" + ref.storageKey + "' ("
                + std::to_string(available) + ")");
    if (extent >= available)
        throw error("tensor '" + name + "' needs " + std::to_string(extent + 1) + " elements of storage '"
            + ref.storageKey + "', which holds only " + std::to_string(available));
    auto* base = static_cast<uint8_t*>(data.get()) + ref.storageOffset * elementSize;
    return at::from_blob(base, ref.sizes, ref.strides, options).clone(at::MemoryFormat::Contiguous);
}

void PthReader::materialise(
    const std::vector<std::pair<std::string, const TensorRef*>>& refs, const CheckpointTensorVisitor& onTensor)
{
    // Each storage record is read once and dropped after its last tensor, to keep the peak memory low.
    std::map<std::string, size_t> lastUse;
    for (size_t i = 0; i < refs.size(); ++i)
        lastUse[refs[i].second->storageKey] = i;
    std::map<std::string, std::pair<at::DataPtr, size_t>> storages;
    for (size_t i = 0; i < refs.size(); ++i) {
        const auto& [name, ref] = refs[i];
        auto it = storages.find(ref->storageKey);
        if (it == storages.end())
            it = storages.emplace(ref->storageKey, record("data/" + ref->storageKey)).first;
        const at::Tensor tensor = tensorFromStorage(name, *ref, it->second.first, it->second.second);
        if (lastUse[ref->storageKey] == i)
            storages.erase(it);
        onTensor(name, tensor);
    }
}

void PthReader::stream(const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor)
{
    checkByteOrder();
    auto [pickleData, pickleSize] = record("data.pkl");
    pickle::PickleDocument document;
    try {
        document = pickle::parsePickle(static_cast<const uint8_t*>(pickleData.get()), pickleSize);
    } catch (const pickle::DisallowedGlobalError& e) {
        throw CheckpointError("refusing to load " + m_path.string() + ": " + e.what());
    } catch (const pickle::PickleError& e) {
        throw error(std::string("data.pkl: ") + e.what());
    }

    const Value& root = document.root();
    if (root.kind != Value::Kind::Dict)
        throw error(std::string("the pickle holds a ") + pickle::kindName(root.kind)
            + ", expected the trainer's dict with 'arch', 'config' and 'model_state_dict'");
    const Value* stateDict = root.find("model_state_dict");
    if (!stateDict) {
        const bool bareStateDict = !root.entries.empty()
            && std::all_of(root.entries.begin(), root.entries.end(),
                [](const auto& entry) { return entry.second->kind == Value::Kind::Tensor; });
        if (bareStateDict)
            throw error("this is a bare state dict (" + std::to_string(root.entries.size())
                + " tensors) without 'arch' and 'config'; a CellViT checkpoint needs the trainer layout");
        throw error("no 'model_state_dict' entry at the top level");
    }
    const Value* arch = root.find("arch");
    if (!arch || !arch->isString())
        throw error(arch ? std::string("'arch' is a ") + pickle::kindName(arch->kind) + ", expected a string"
                         : std::string("no 'arch' entry at the top level"));
    const Value* config = root.find("config");
    if (!config)
        throw error("no 'config' entry at the top level");
    if (stateDict->kind != Value::Kind::Dict)
        throw error(std::string("'model_state_dict' is a ") + pickle::kindName(stateDict->kind) + ", expected a dict");

    CheckpointHeader header;
    header.source = m_path;
    header.arch = arch->text;
    try {
        header.config = pickle::flattenedConfig(*config);
    } catch (const pickle::PickleError& e) {
        throw error(e.what());
    }

    std::vector<std::pair<std::string, const TensorRef*>> refs;
    std::set<std::string> seen;
    for (const auto& [key, value] : stateDict->entries) {
        if (!key->isString())
            throw error(std::string("model_state_dict has a ") + pickle::kindName(key->kind) + " key");
        if (value->kind != Value::Kind::Tensor)
            throw error("model_state_dict entry '" + key->text + "' is a " + pickle::kindName(value->kind)
                + ", expected a tensor");
        if (!seen.insert(key->text).second)
            throw error("model_state_dict has the key '" + key->text + "' twice");
        refs.emplace_back(key->text, &value->tensor);
        header.tensorShapes.emplace_back(key->text, value->tensor.sizes);
    }
    onHeader(header);
    materialise(refs, onTensor);
}

} // namespace

Checkpoint loadPth(const std::filesystem::path& path)
{
    return collectCheckpoint([&](const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor) {
        streamPth(path, onHeader, onTensor);
    });
}

void streamPth(
    const std::filesystem::path& path, const CheckpointHeaderVisitor& onHeader, const CheckpointTensorVisitor& onTensor)
{
    try {
        PthReader(path).stream(onHeader, onTensor);
    } catch (const c10::Error& e) {
        throw CheckpointError(path.string() + ": " + firstLine(e.what_without_backtrace()));
    } catch (const std::bad_alloc&) {
        throw CheckpointError(path.string() + ": out of memory while reading the checkpoint");
    }
}

} // namespace cellvit
