#pragma once
// Device selection for LibTorch: "auto" prefers CUDA when this LibTorch build and machine have it.

#include <c10/core/Device.h>
#include <string>

namespace cellvit {

// Throws std::invalid_argument for unknown names, or when CUDA is requested but unavailable.
c10::Device resolveDevice(const std::string& name);
bool cudaAvailable();
// LibTorch's version, e.g. "1.13.0" (for About boxes and run metadata).
std::string libtorchVersion();
// Sets LibTorch's intra-op thread count when > 0; 0 = every CPU this process may run on, when LibTorch's own
// default is lower (its OpenMP default can be 1 on virtual machines, which halves the speed on 2 cores).
void applyThreadCount(int threads);
// CPUs this process may run on (its affinity mask), at least 1.
int availableCpuCount();

} // namespace cellvit
