#pragma once
// Weights-only unpickler for PyTorch checkpoints (`data.pkl` inside a `.pth` zip).
// No torch dependency on purpose: it parses untrusted bytes and is meant to be fuzzed on its own.
// Nothing is ever executed: the few callables a state dict needs (OrderedDict, _rebuild_tensor_v2, ...) are
// interpreted by name, and any other global is refused before anything else happens.

#include "model_zoo/cellvit_error.h"
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cellvit::pickle {

// Malformed or unsupported pickle data.
class PickleError : public Error {
public:
    using Error::Error;
};

// The pickle names a global outside the allowlist (e.g. 'posix.system'): the file is refused.
class DisallowedGlobalError : public PickleError {
public:
    explicit DisallowedGlobalError(std::string global);
    const std::string& global() const { return m_global; }

private:
    std::string m_global;
};

// Element type of a torch storage, from the `torch.<X>Storage` class named in the persistent id.
enum class StorageType { Float, Double, Half, BFloat16, Long, Int, Short, Char, Byte, Bool };

int storageElementSize(StorageType type);
const char* storageTypeName(StorageType type); // "Float", "Long", ...

// A tensor as described by torch._utils._rebuild_tensor_v2: a view into the raw storage record `data/<key>`.
struct TensorRef {
    std::string storageKey;
    StorageType storageType = StorageType::Float;
    int64_t storageNumel = 0; // elements, as declared in the persistent id
    int64_t storageOffset = 0; // elements
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
    bool requiresGrad = false;
};

struct Value;
using ValueList = std::vector<const Value*>;
using ValueEntries = std::vector<std::pair<const Value*, const Value*>>;

// One node of the unpickled tree. Nodes are owned by their PickleDocument; containers point at other nodes
// (memoised objects can be shared, and a hostile pickle can even make cycles).
struct Value {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        List, // also sets and frozensets
        Tuple,
        Dict, // dict and collections.OrderedDict, in insertion order
        Tensor,
        // Intermediate objects that only make sense as arguments of the allowlisted callables.
        Global, // text = "module.name"
        Storage, // tensor.storageKey/storageType/storageNumel
        NumpyDtype, // text = dtype code ("f8"), endian = '<' / '>' / '|'
    };

    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0.0;
    std::string text; // String, Bytes, Global name, NumpyDtype code
    char endian = '<';
    ValueList items; // List, Tuple
    ValueEntries entries; // Dict
    const Value* attributes = nullptr; // Dict set by BUILD (OrderedDict._metadata), or nullptr
    TensorRef tensor;

    bool isString() const { return kind == Kind::String; }
    bool isNumber() const { return kind == Kind::Int || kind == Kind::Float || kind == Kind::Bool; }
    // Dict entry with this string key, or nullptr.
    const Value* find(std::string_view key) const;
};

const char* kindName(Value::Kind kind);

// The parsed pickle: the root object plus the arena that owns every node.
class PickleDocument {
public:
    const Value& root() const { return *m_root; }

private:
    friend class PickleParser;
    std::vector<std::unique_ptr<Value>> m_values;
    const Value* m_root = nullptr;
};

// Parses a complete pickle stream (protocols 0-5 binary opcodes; what torch.save writes).
// Throws DisallowedGlobalError for a global outside the allowlist and PickleError for anything malformed.
// Every length and count is checked against the remaining input, so memory stays O(input size).
PickleDocument parsePickle(const uint8_t* data, size_t size);

// The globals a weights-only checkpoint may name ("module.name").
bool isAllowedGlobal(std::string_view qualifiedName);

} // namespace cellvit::pickle
