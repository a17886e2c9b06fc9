#include "inference/model/device.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <sched.h>
#include <stdexcept>
#include <thread>
#include <torch/cuda.h>
#include <torch/version.h>

namespace cellvit {

bool cudaAvailable()
{
    return torch::cuda::is_available();
}

c10::Device resolveDevice(const std::string& name)
{
    if (name.empty() || name == "auto")
        return cudaAvailable() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
    if (name == "cpu")
        return c10::Device(c10::kCPU);
    if (name.rfind("cuda", 0) == 0) {
        if (!cudaAvailable())
            throw std::invalid_argument(
                "device '" + name + "' requested, but this LibTorch build or machine has no CUDA");
        try {
            return c10::Device(name);
        } catch (const c10::Error&) {
            throw std::invalid_argument("invalid CUDA device name '" + name + "'");
        }
    }
    throw std::invalid_argument("unknown device '" + name + "' (use auto, cpu, cuda or cuda:N)");
}

std::string libtorchVersion()
{
    return TORCH_VERSION;
}

int availableCpuCount()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

void applyThreadCount(int threads)
{
    if (threads > 0) {
        at::set_num_threads(threads);
        return;
    }
    const int available = availableCpuCount();
    if (at::get_num_threads() < available)
        at::set_num_threads(available);
}

} // namespace cellvit
