#include "inference/model/tensor_npy.h"

#include "inference/io/npy.h"

#include <ATen/ATen.h>

namespace cellvit {
namespace {

std::string dtypeFor(at::ScalarType t)
{
    switch (t) {
    case at::kFloat:
        return "<f4";
    case at::kDouble:
        return "<f8";
    case at::kInt:
        return "<i4";
    case at::kLong:
        return "<i8";
    case at::kByte:
        return "|u1";
    default:
        throw NpyError(std::string("cannot write tensors of type ") + c10::toString(t) + " as .npy");
    }
}

at::ScalarType scalarTypeFor(const std::string& dtype)
{
    if (dtype == "<f4")
        return at::kFloat;
    if (dtype == "<f8")
        return at::kDouble;
    if (dtype == "<i4")
        return at::kInt;
    if (dtype == "<i8")
        return at::kLong;
    if (dtype == "|u1")
        return at::kByte;
    throw NpyError("unsupported .npy dtype " + dtype);
}

} // namespace

void writeTensorNpy(const std::filesystem::path& path, const at::Tensor& tensor)
{
    const at::Tensor t = tensor.to(at::kCPU).contiguous();
    std::vector<int64_t> shape(t.sizes().begin(), t.sizes().end());
    writeNpy(path, dtypeFor(t.scalar_type()), shape, t.data_ptr());
}

at::Tensor readTensorNpy(const std::filesystem::path& path)
{
    const NpyArray a = readNpy(path);
    auto t = at::empty(a.shape, at::TensorOptions().dtype(scalarTypeFor(a.dtype)));
    std::memcpy(t.data_ptr(), a.bytes.data(), a.bytes.size());
    return t;
}

} // namespace cellvit
