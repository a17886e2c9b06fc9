#include "model_zoo/pickle_reader.h"

#include <array>
#include <cctype>
#include <cstring>
#include <unordered_map>

namespace cellvit::pickle {

DisallowedGlobalError::DisallowedGlobalError(std::string global)
    : PickleError(
        "the pickle references the global '" + global + "', which is not allowed in a weights-only checkpoint")
    , m_global(std::move(global))
{
}

namespace {

constexpr size_t kMaxDims = 64; // torch itself caps tensors at 64 dimensions
constexpr size_t kMaxGlobalLine = 256;
constexpr size_t kMaxStorageKey = 64;

struct StorageClass {
    const char* name;
    StorageType type;
};
constexpr std::array<StorageClass, 10> kStorageClasses { {
    { "torch.FloatStorage", StorageType::Float },
    { "torch.DoubleStorage", StorageType::Double },
    { "torch.HalfStorage", StorageType::Half },
    { "torch.BFloat16Storage", StorageType::BFloat16 },
    { "torch.LongStorage", StorageType::Long },
    { "torch.IntStorage", StorageType::Int },
    { "torch.ShortStorage", StorageType::Short },
    { "torch.CharStorage", StorageType::Char },
    { "torch.ByteStorage", StorageType::Byte },
    { "torch.BoolStorage", StorageType::Bool },
} };

// Callables interpreted by name. Protocol-2 pickles written by Python 3 spell builtins as __builtin__.
constexpr std::array<const char*, 10> kCallables {
    "collections.OrderedDict",
    "torch.jit._pickle.restore_type_tag", // LibTorch's pickle_save tags typed dicts/lists: (value, "Dict[str, Tensor]")
    "torch._utils._rebuild_tensor_v2",
    "torch._utils._rebuild_parameter",
    "builtins.set",
    "builtins.frozenset",
    "__builtin__.set",
    "__builtin__.frozenset",
    "_codecs.encode", // protocol 2 spells bytes as _codecs.encode(str, 'latin1') (numpy scalars)
    "numpy.dtype",
};
constexpr std::array<const char*, 2> kNumpyScalar { "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar" };

const StorageClass* storageClass(std::string_view name)
{
    for (const auto& entry : kStorageClasses)
        if (name == entry.name)
            return &entry;
    return nullptr;
}

bool isNumpyScalar(std::string_view name)
{
    return name == kNumpyScalar[0] || name == kNumpyScalar[1];
}

bool isSetLike(std::string_view name)
{
    return name == "builtins.set" || name == "builtins.frozenset" || name == "__builtin__.set"
        || name == "__builtin__.frozenset";
}

} // namespace

bool isAllowedGlobal(std::string_view name)
{
    for (const char* allowed : kCallables)
        if (name == allowed)
            return true;
    return storageClass(name) || isNumpyScalar(name);
}

int storageElementSize(StorageType type)
{
    switch (type) {
    case StorageType::Double:
    case StorageType::Long:
        return 8;
    case StorageType::Float:
    case StorageType::Int:
        return 4;
    case StorageType::Half:
    case StorageType::BFloat16:
    case StorageType::Short:
        return 2;
    case StorageType::Char:
    case StorageType::Byte:
    case StorageType::Bool:
        return 1;
    }
    return 1;
}

const char* storageTypeName(StorageType type)
{
    for (const auto& entry : kStorageClasses)
        if (entry.type == type)
            return entry.name + 6; // skip "torch."
    return "?";
}

const char* kindName(Value::Kind kind)
{
    switch (kind) {
    case Value::Kind::None:
        return "None";
    case Value::Kind::Bool:
        return "bool";
    case Value::Kind::Int:
        return "int";
    case Value::Kind::Float:
        return "float";
    case Value::Kind::String:
        return "str";
    case Value::Kind::Bytes:
        return "bytes";
    case Value::Kind::List:
        return "list";
    case Value::Kind::Tuple:
        return "tuple";
    case Value::Kind::Dict:
        return "dict";
    case Value::Kind::Tensor:
        return "tensor";
    case Value::Kind::Global:
        return "global";
    case Value::Kind::Storage:
        return "storage";
    case Value::Kind::NumpyDtype:
        return "numpy.dtype";
    }
    return "?";
}

const Value* Value::find(std::string_view key) const
{
    // Later SETITEMs win, as in Python.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it)
        if (it->first->kind == Kind::String && it->first->text == key)
            return it->second;
    return nullptr;
}

class PickleParser {
public:
    PickleParser(const uint8_t* data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }

    PickleDocument run();

private:
    using Kind = Value::Kind;

    [[noreturn]] void fail(const std::string& what) const
    {
        throw PickleError("malformed pickle at byte " + std::to_string(m_opcodePos) + ": " + what);
    }

    // --- input -------------------------------------------------------------------------------------------
    size_t remaining() const { return m_size - m_pos; }
    const uint8_t* take(uint64_t count)
    {
        if (count > remaining())
            fail("needs " + std::to_string(count) + " bytes, only " + std::to_string(remaining()) + " left");
        const uint8_t* p = m_data + m_pos;
        m_pos += static_cast<size_t>(count);
        return p;
    }
    uint64_t readUnsignedLE(int bytes)
    {
        const uint8_t* p = take(static_cast<uint64_t>(bytes));
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }
    std::string readLine()
    {
        for (size_t i = m_pos; i < m_size && i - m_pos <= kMaxGlobalLine; ++i) {
            if (m_data[i] == '\n') {
                std::string line(reinterpret_cast<const char*>(m_data + m_pos), i - m_pos);
                m_pos = i + 1;
                return line;
            }
        }
        fail("unterminated or overlong GLOBAL name");
    }
    std::string readString(uint64_t length)
    {
        const uint8_t* p = take(length);
        return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
    }

    // --- values ------------------------------------------------------------------------------------------
    Value* make(Kind kind)
    {
        m_doc.m_values.push_back(std::make_unique<Value>());
        Value* v = m_doc.m_values.back().get();
        v->kind = kind;
        return v;
    }
    Value* makeInt(int64_t i)
    {
        Value* v = make(Kind::Int);
        v->integer = i;
        return v;
    }
    Value* makeText(Kind kind, std::string text)
    {
        Value* v = make(kind);
        v->text = std::move(text);
        return v;
    }

    // --- stack -------------------------------------------------------------------------------------------
    void push(Value* v) { m_stack.push_back(v); }
    Value* pop()
    {
        if (m_stack.size() <= stackFloor())
            fail("stack underflow");
        Value* v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    Value* top()
    {
        if (m_stack.size() <= stackFloor())
            fail("stack underflow");
        return m_stack.back();
    }
    size_t stackFloor() const { return m_marks.empty() ? 0 : m_marks.back(); }
    // Items pushed since the last MARK, which is removed.
    std::vector<Value*> popToMark()
    {
        if (m_marks.empty())
            fail("no MARK on the stack");
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<Value*> items(m_stack.begin() + static_cast<std::ptrdiff_t>(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }
    Value* makeTuple(const std::vector<Value*>& items)
    {
        Value* t = make(Kind::Tuple);
        t->items.assign(items.begin(), items.end());
        return t;
    }

    // --- memo --------------------------------------------------------------------------------------------
    void memoPut(uint64_t index) { m_memo[index] = top(); }
    void memoGet(uint64_t index)
    {
        const auto it = m_memo.find(index);
        if (it == m_memo.end())
            fail("memo entry " + std::to_string(index) + " was never stored");
        push(it->second);
    }

    // --- objects -----------------------------------------------------------------------------------------
    void pushGlobal(std::string module, const std::string& name)
    {
        const std::string qualified = module + "." + name;
        if (!isAllowedGlobal(qualified))
            throw DisallowedGlobalError(qualified);
        push(makeText(Kind::Global, qualified));
    }
    void setItems(Value* dict, const std::vector<Value*>& keyValues)
    {
        if (dict->kind != Kind::Dict)
            fail(std::string("SETITEM(S) on a ") + kindName(dict->kind));
        if (keyValues.size() % 2 != 0)
            fail("SETITEMS with an odd number of items");
        for (size_t i = 0; i < keyValues.size(); i += 2)
            dict->entries.emplace_back(keyValues[i], keyValues[i + 1]);
    }
    void appendItems(Value* list, const std::vector<Value*>& items)
    {
        if (list->kind != Kind::List)
            fail(std::string("APPEND(S)/ADDITEMS on a ") + kindName(list->kind));
        list->items.insert(list->items.end(), items.begin(), items.end());
    }
    Value* call(const Value* callable, const Value* args);
    Value* rebuildTensor(const Value* args);
    Value* numpyScalar(const Value* args);
    Value* latin1Encode(const Value* args);
    void build(Value* object, const Value* state);
    Value* persistentLoad(const Value* pid);
    std::vector<int64_t> intTuple(const Value* v, const char* what);

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_opcodePos = 0;
    std::vector<Value*> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, Value*> m_memo;
    PickleDocument m_doc;
};

std::vector<int64_t> PickleParser::intTuple(const Value* v, const char* what)
{
    if (v->kind != Kind::Tuple && v->kind != Kind::List)
        fail(std::string("tensor ") + what + " is a " + kindName(v->kind) + ", expected a tuple");
    if (v->items.size() > kMaxDims)
        fail(std::string("tensor ") + what + " has " + std::to_string(v->items.size()) + " dimensions");
    std::vector<int64_t> out;
    for (const Value* item : v->items) {
        if (item->kind != Kind::Int || item->integer < 0)
            fail(std::string("tensor ") + what + " holds a non-integer or negative value");
        out.push_back(item->integer);
    }
    return out;
}

Value* PickleParser::rebuildTensor(const Value* args)
{
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    if (args->items.size() < 4 || args->items.size() > 7)
        fail("_rebuild_tensor_v2 takes 4 to 7 arguments");
    const Value* storage = args->items[0];
    if (storage->kind != Kind::Storage)
        fail(std::string("_rebuild_tensor_v2 expects a storage, got a ") + kindName(storage->kind));
    const Value* offset = args->items[1];
    if (offset->kind != Kind::Int || offset->integer < 0)
        fail("_rebuild_tensor_v2 storage offset is not a non-negative integer");
    Value* t = make(Kind::Tensor);
    t->tensor = storage->tensor;
    t->tensor.storageOffset = offset->integer;
    t->tensor.sizes = intTuple(args->items[2], "size");
    t->tensor.strides = intTuple(args->items[3], "stride");
    if (t->tensor.sizes.size() != t->tensor.strides.size())
        fail("tensor size and stride have different lengths");
    if (args->items.size() > 4 && args->items[4]->kind == Kind::Bool)
        t->tensor.requiresGrad = args->items[4]->boolean;
    return t;
}

Value* PickleParser::numpyScalar(const Value* args)
{
    if (args->items.size() != 2 || args->items[0]->kind != Kind::NumpyDtype || args->items[1]->kind != Kind::Bytes)
        fail("numpy scalar expects (dtype, bytes)");
    const Value* dtype = args->items[0];
    const std::string& raw = args->items[1]->text;
    if (dtype->endian == '>')
        fail("big-endian numpy scalars are not supported");
    const std::string& code = dtype->text;
    auto expectSize = [&](size_t n) {
        if (raw.size() != n)
            fail("numpy scalar of type " + code + " has " + std::to_string(raw.size()) + " bytes");
    };
    Value* v = nullptr;
    if (code == "f8") {
        expectSize(8);
        v = make(Kind::Float);
        std::memcpy(&v->real, raw.data(), 8);
    } else if (code == "f4") {
        expectSize(4);
        float f;
        std::memcpy(&f, raw.data(), 4);
        v = make(Kind::Float);
        v->real = f;
    } else if (code == "i8") {
        expectSize(8);
        v = make(Kind::Int);
        std::memcpy(&v->integer, raw.data(), 8);
    } else if (code == "i4") {
        expectSize(4);
        int32_t i;
        std::memcpy(&i, raw.data(), 4);
        v = makeInt(i);
    } else if (code == "b1") {
        expectSize(1);
        v = make(Kind::Bool);
        v->boolean = raw[0] != 0;
    } else {
        fail("numpy scalar of unsupported type '" + code + "'");
    }
    return v;
}

Value* PickleParser::latin1Encode(const Value* args)
{
    if (args->items.size() != 2 || !args->items[0]->isString() || !args->items[1]->isString()
        || (args->items[1]->text != "latin1" && args->items[1]->text != "latin-1"))
        fail("_codecs.encode is only accepted as encode(str, 'latin1')");
    // Decode the UTF-8 text; every code point must fit into one latin-1 byte.
    const std::string& in = args->items[0]->text;
    std::string out;
    for (size_t i = 0; i < in.size(); ++i) {
        const auto c = static_cast<uint8_t>(in[i]);
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else if ((c & 0xE0) == 0xC0 && i + 1 < in.size()) {
            const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<uint8_t>(in[++i]) & 0x3Fu);
            if (cp > 0xFF)
                fail("_codecs.encode text is not latin-1");
            out.push_back(static_cast<char>(cp));
        } else {
            fail("_codecs.encode text is not latin-1");
        }
    }
    return makeText(Kind::Bytes, std::move(out));
}

Value* PickleParser::call(const Value* callable, const Value* args)
{
    if (callable->kind != Kind::Global)
        fail(std::string("REDUCE on a ") + kindName(callable->kind) + ", not on a global");
    if (args->kind != Kind::Tuple)
        fail("REDUCE arguments are not a tuple");
    const std::string& name = callable->text;
    if (name == "collections.OrderedDict") {
        // Python pickles OrderedDict() and then fills it with SETITEMS; accepting other forms would let a
        // small file copy large lists over and over.
        if (!args->items.empty())
            fail("OrderedDict with constructor arguments is not supported");
        return make(Kind::Dict);
    }
    if (name == "torch._utils._rebuild_tensor_v2")
        return rebuildTensor(args);
    if (name == "torch.jit._pickle.restore_type_tag") {
        // The tag only names the static type; the value itself is already built (a shallow copy: children stay
        // shared, so this costs one node however large the dict).
        if (args->items.size() != 2 || args->items[1]->kind != Kind::String)
            fail("restore_type_tag expects a value and a type string");
        Value* value = make(args->items[0]->kind);
        *value = *args->items[0];
        return value;
    }
    if (name == "torch._utils._rebuild_parameter") {
        if (args->items.empty() || args->items[0]->kind != Kind::Tensor)
            fail("_rebuild_parameter expects a tensor");
        Value* t = make(Kind::Tensor);
        t->tensor = args->items[0]->tensor;
        if (args->items.size() > 1 && args->items[1]->kind == Kind::Bool)
            t->tensor.requiresGrad = args->items[1]->boolean;
        return t;
    }
    if (isSetLike(name)) {
        if (args->items.empty())
            return make(Kind::List);
        const Value* source = args->items[0];
        if (args->items.size() != 1 || (source->kind != Kind::List && source->kind != Kind::Tuple))
            fail(name + " expects one list");
        // Aliased rather than copied: copying would let repeated BINGET+REDUCE grow memory quadratically.
        return const_cast<Value*>(source);
    }
    if (name == "_codecs.encode")
        return latin1Encode(args);
    if (name == "numpy.dtype") {
        if (args->items.empty() || !args->items[0]->isString())
            fail("numpy.dtype expects a type code");
        return makeText(Kind::NumpyDtype, args->items[0]->text);
    }
    if (isNumpyScalar(name))
        return numpyScalar(args);
    fail("the global '" + name + "' cannot be called");
}

void PickleParser::build(Value* object, const Value* state)
{
    if (object->kind == Kind::Dict) {
        // OrderedDict.__reduce__ puts instance attributes (state dicts: `_metadata`) into the BUILD state.
        const Value* attributes = state;
        if (state->kind == Kind::Tuple && state->items.size() == 2)
            attributes = state->items[0];
        if (attributes->kind == Kind::Dict)
            object->attributes = attributes;
        else if (attributes->kind != Kind::None)
            fail(std::string("BUILD of a dict with a ") + kindName(attributes->kind) + " state");
        return;
    }
    if (object->kind == Kind::NumpyDtype) {
        // numpy.dtype.__setstate__((version, endian, subdtype, names, fields, itemsize, alignment, flags))
        if (state->kind == Kind::Tuple && state->items.size() > 1 && state->items[1]->isString()
            && state->items[1]->text.size() == 1)
            object->endian = state->items[1]->text[0];
        return;
    }
    fail(std::string("BUILD on a ") + kindName(object->kind) + " is not supported");
}

Value* PickleParser::persistentLoad(const Value* pid)
{
    // torch.save: ('storage', torch.<X>Storage, key, location, numel)
    if (pid->kind != Kind::Tuple || pid->items.size() != 5 || !pid->items[0]->isString()
        || pid->items[0]->text != "storage")
        fail("persistent id is not a ('storage', type, key, location, numel) tuple");
    const Value* type = pid->items[1];
    const Value* key = pid->items[2];
    const Value* numel = pid->items[4];
    const StorageClass* storage = type->kind == Kind::Global ? storageClass(type->text) : nullptr;
    if (!storage)
        fail("persistent id names no torch storage type");
    if (!key->isString() || key->text.empty() || key->text.size() > kMaxStorageKey)
        fail("persistent id has an invalid storage key");
    for (const char c : key->text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
            fail("storage key '" + key->text + "' has characters outside [A-Za-z0-9_]");
    if (numel->kind != Kind::Int || numel->integer < 0)
        fail("persistent id has an invalid element count");
    Value* v = make(Kind::Storage);
    v->tensor.storageKey = key->text;
    v->tensor.storageType = storage->type;
    v->tensor.storageNumel = numel->integer;
    return v;
}

PickleDocument PickleParser::run()
{
    while (true) {
        m_opcodePos = m_pos;
        const uint8_t op = *take(1);
        switch (op) {
        case 0x80: { // PROTO
            const uint8_t version = *take(1);
            if (version > 5)
                fail("unsupported pickle protocol " + std::to_string(version));
            break;
        }
        case 0x95: // FRAME: framing is only a hint for buffered readers
            if (readUnsignedLE(8) > remaining())
                fail("FRAME longer than the input");
            break;
        case '.': { // STOP
            if (m_stack.empty() || !m_marks.empty())
                fail("STOP with an empty stack or an open MARK");
            m_doc.m_root = m_stack.back();
            return std::move(m_doc);
        }
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case '0': // POP
            if (!m_marks.empty() && m_marks.back() == m_stack.size())
                m_marks.pop_back();
            else
                pop();
            break;
        case '1': // POP_MARK
            popToMark();
            break;
        case '2': // DUP
            push(top());
            break;
        case '}': // EMPTY_DICT
            push(make(Kind::Dict));
            break;
        case ']': // EMPTY_LIST
        case 0x8f: // EMPTY_SET
            push(make(Kind::List));
            break;
        case ')': // EMPTY_TUPLE
            push(make(Kind::Tuple));
            break;
        case 'd': { // DICT
            Value* dict = make(Kind::Dict);
            setItems(dict, popToMark());
            push(dict);
            break;
        }
        case 'l': { // LIST
            Value* list = make(Kind::List);
            appendItems(list, popToMark());
            push(list);
            break;
        }
        case 0x91: { // FROZENSET
            Value* list = make(Kind::List);
            appendItems(list, popToMark());
            push(list);
            break;
        }
        case 't': // TUPLE
            push(makeTuple(popToMark()));
            break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: { // TUPLE3
            const size_t n = static_cast<size_t>(op - 0x84);
            std::vector<Value*> items(n);
            for (size_t i = n; i-- > 0;)
                items[i] = pop();
            push(makeTuple(items));
            break;
        }
        case 'X': // BINUNICODE
            push(makeText(Kind::String, readString(readUnsignedLE(4))));
            break;
        case 0x8c: // SHORT_BINUNICODE
            push(makeText(Kind::String, readString(readUnsignedLE(1))));
            break;
        case 0x8d: // BINUNICODE8
            push(makeText(Kind::String, readString(readUnsignedLE(8))));
            break;
        case 'T': // BINSTRING (Python 2 str)
            push(makeText(Kind::String, readString(readUnsignedLE(4))));
            break;
        case 'U': // SHORT_BINSTRING
            push(makeText(Kind::String, readString(readUnsignedLE(1))));
            break;
        case 'B': // BINBYTES
            push(makeText(Kind::Bytes, readString(readUnsignedLE(4))));
            break;
        case 'C': // SHORT_BINBYTES
            push(makeText(Kind::Bytes, readString(readUnsignedLE(1))));
            break;
        case 0x8e: // BINBYTES8
            push(makeText(Kind::Bytes, readString(readUnsignedLE(8))));
            break;
        case 'J': // BININT
            push(makeInt(static_cast<int32_t>(static_cast<uint32_t>(readUnsignedLE(4)))));
            break;
        case 'K': // BININT1
            push(makeInt(static_cast<int64_t>(readUnsignedLE(1))));
            break;
        case 'M': // BININT2
            push(makeInt(static_cast<int64_t>(readUnsignedLE(2))));
            break;
        case 0x8a: // LONG1
        case 0x8b: { // LONG4
            const uint64_t n = readUnsignedLE(op == 0x8a ? 1 : 4);
            if (n > 8)
                fail("integer wider than 64 bits");
            const uint8_t* p = take(n);
            uint64_t v = 0;
            for (uint64_t i = n; i-- > 0;)
                v = (v << 8) | p[i];
            if (n > 0 && n < 8 && (p[n - 1] & 0x80)) // sign-extend two's complement
                v |= ~uint64_t(0) << (8 * n);
            push(makeInt(static_cast<int64_t>(v)));
            break;
        }
        case 'G': { // BINFLOAT, big-endian
            const uint8_t* p = take(8);
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | p[i];
            Value* v = make(Kind::Float);
            std::memcpy(&v->real, &bits, 8);
            push(v);
            break;
        }
        case 'N': // NONE
            push(make(Kind::None));
            break;
        case 0x88: // NEWTRUE
        case 0x89: { // NEWFALSE
            Value* v = make(Kind::Bool);
            v->boolean = op == 0x88;
            push(v);
            break;
        }
        case 'q': // BINPUT
            memoPut(readUnsignedLE(1));
            break;
        case 'r': // LONG_BINPUT
            memoPut(readUnsignedLE(4));
            break;
        case 0x94: // MEMOIZE
            memoPut(m_memo.size());
            break;
        case 'h': // BINGET
            memoGet(readUnsignedLE(1));
            break;
        case 'j': // LONG_BINGET
            memoGet(readUnsignedLE(4));
            break;
        case 's': { // SETITEM
            Value* value = pop();
            Value* key = pop();
            setItems(top(), { key, value });
            break;
        }
        case 'u': { // SETITEMS
            const auto items = popToMark();
            setItems(top(), items);
            break;
        }
        case 'a': { // APPEND
            Value* item = pop();
            appendItems(top(), { item });
            break;
        }
        case 'e': // APPENDS
        case 0x90: { // ADDITEMS
            const auto items = popToMark();
            appendItems(top(), items);
            break;
        }
        case 'c': { // GLOBAL "module\nname\n"
            std::string module = readLine();
            const std::string name = readLine();
            pushGlobal(std::move(module), name);
            break;
        }
        case 0x93: { // STACK_GLOBAL
            Value* name = pop();
            Value* module = pop();
            if (!module->isString() || !name->isString())
                fail("STACK_GLOBAL operands are not strings");
            pushGlobal(module->text, name->text);
            break;
        }
        case 'R': // REDUCE
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args) is the same for the allowlisted classes
            Value* args = pop();
            Value* callable = pop();
            push(call(callable, args));
            break;
        }
        case 'b': { // BUILD
            Value* state = pop();
            build(top(), state);
            break;
        }
        case 'Q': { // BINPERSID
            Value* pid = pop();
            push(persistentLoad(pid));
            break;
        }
        default: {
            static const char* hex = "0123456789abcdef";
            fail(std::string("unsupported opcode 0x") + hex[op >> 4] + hex[op & 15]
                + " (not used by torch.save state dicts)");
        }
        }
    }
}

PickleDocument parsePickle(const uint8_t* data, size_t size)
{
    return PickleParser(data, size).run();
}

} // namespace cellvit::pickle
