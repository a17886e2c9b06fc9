#pragma once
// Writes pickle byte streams opcode by opcode, so tests can craft checkpoints (hostile ones included)
// without Python.

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace cellvit::test {

class PickleBuilder {
public:
    explicit PickleBuilder(int protocol = 2)
    {
        op(0x80);
        m_bytes.push_back(static_cast<char>(protocol));
    }

    PickleBuilder& op(uint8_t code)
    {
        m_bytes.push_back(static_cast<char>(code));
        return *this;
    }
    PickleBuilder& raw(const std::string& bytes)
    {
        m_bytes += bytes;
        return *this;
    }
    PickleBuilder& le(uint64_t value, int bytes)
    {
        for (int i = 0; i < bytes; ++i)
            m_bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
        return *this;
    }

    PickleBuilder& mark() { return op('('); }
    PickleBuilder& tuple() { return op('t'); }
    PickleBuilder& emptyDict() { return op('}'); }
    PickleBuilder& emptyList() { return op(']'); }
    PickleBuilder& emptyTuple() { return op(')'); }
    PickleBuilder& setItem() { return op('s'); }
    PickleBuilder& setItems() { return op('u'); }
    PickleBuilder& reduce() { return op('R'); }
    PickleBuilder& none() { return op('N'); }
    PickleBuilder& boolean(bool v) { return op(v ? 0x88 : 0x89); }
    PickleBuilder& put(uint8_t index) { return op('q').le(index, 1); }
    PickleBuilder& get(uint8_t index) { return op('h').le(index, 1); }

    PickleBuilder& str(const std::string& s) { return op('X').le(s.size(), 4).raw(s); }
    PickleBuilder& integer(int64_t v)
    {
        if (v >= 0 && v < 256)
            return op('K').le(static_cast<uint64_t>(v), 1);
        if (v >= 0 && v < 65536)
            return op('M').le(static_cast<uint64_t>(v), 2);
        if (v >= INT32_MIN && v <= INT32_MAX)
            return op('J').le(static_cast<uint32_t>(static_cast<int32_t>(v)), 4);
        return op(0x8a).le(8, 1).le(static_cast<uint64_t>(v), 8); // LONG1
    }
    PickleBuilder& real(double v)
    {
        uint64_t bits;
        static_assert(sizeof bits == sizeof v);
        std::memcpy(&bits, &v, 8);
        op('G');
        for (int i = 7; i >= 0; --i)
            m_bytes.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
        return *this;
    }
    PickleBuilder& global(const std::string& module, const std::string& name)
    {
        return op('c').raw(module + "\n" + name + "\n");
    }
    PickleBuilder& ints(const std::vector<int64_t>& values)
    {
        mark();
        for (int64_t v : values)
            integer(v);
        return tuple();
    }

    // torch._utils._rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel), offset, sizes, strides,
    // False, OrderedDict())
    PickleBuilder& tensor(const std::string& key, const std::string& storageType, int64_t numel, int64_t offset,
        const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides)
    {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        mark().str("storage").global("torch", storageType).str(key).str("cpu").integer(numel).tuple().op('Q');
        integer(offset).ints(sizes).ints(strides).boolean(false);
        global("collections", "OrderedDict").emptyTuple().reduce();
        return tuple().reduce();
    }

    std::string bytes() const { return m_bytes + "."; }
    const std::string& unterminated() const { return m_bytes; }

private:
    std::string m_bytes;
};

} // namespace cellvit::test
