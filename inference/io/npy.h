#pragma once
// NumPy .npy (format 1.0/2.0, little-endian, C order, no pickles): the exchange format of the
// golden vectors and of `cellvit-cli infer-patch`. Hand-written: no Debian package provides it.

#include "model_zoo/cellvit_error.h"
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace cellvit {

class NpyError : public Error {
public:
    using Error::Error;
};

struct NpyArray {
    std::string dtype; // NumPy descr: "<f4", "<f8", "<i4", "<i8", "|u1", "|b1", ...
    std::vector<int64_t> shape;
    std::vector<char> bytes;

    int64_t count() const;
    size_t itemSize() const;

    // Typed view; throws NpyError when the dtype does not match T.
    template <typename T>
    const T* data() const
    {
        checkType(dtypeOf<T>());
        return reinterpret_cast<const T*>(bytes.data());
    }
    template <typename T>
    std::vector<T> toVector() const
    {
        const T* p = data<T>();
        return std::vector<T>(p, p + count());
    }

    template <typename T>
    static const char* dtypeOf();

private:
    void checkType(const char* expected) const;
};

template <> inline const char* NpyArray::dtypeOf<float>() { return "<f4"; }
template <> inline const char* NpyArray::dtypeOf<double>() { return "<f8"; }
template <> inline const char* NpyArray::dtypeOf<int32_t>() { return "<i4"; }
template <> inline const char* NpyArray::dtypeOf<int64_t>() { return "<i8"; }
template <> inline const char* NpyArray::dtypeOf<uint8_t>() { return "|u1"; }

NpyArray readNpy(const std::filesystem::path& path);
void writeNpy(const std::filesystem::path& path, const std::string& dtype, const std::vector<int64_t>& shape,
              const void* data);

template <typename T>
void writeNpy(const std::filesystem::path& path, const std::vector<int64_t>& shape, const T* data)
{
    writeNpy(path, NpyArray::dtypeOf<T>(), shape, data);
}

} // namespace cellvit
