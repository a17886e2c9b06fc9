#pragma once
// Bridges between ATen tensors and .npy files (float32 / int32 / uint8 / int64 / float64).

#include <ATen/core/Tensor.h>

#include <filesystem>

namespace cellvit {

void writeTensorNpy(const std::filesystem::path& path, const at::Tensor& tensor);
at::Tensor readTensorNpy(const std::filesystem::path& path);

} // namespace cellvit
