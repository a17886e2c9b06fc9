#pragma once
// The golden post-processing cases of /work/shared/golden/postproc (README.md there): inputs + expected outputs.

#include "test_support.h"

#include <filesystem>
#include <string>
#include <vector>

namespace cellvit::test {

struct PostprocGoldenCase {
    std::string name; // folder under golden/postproc
    int magnification;

    std::filesystem::path dir() const { return goldenDir() / "postproc" / name; }
    std::filesystem::path expectedDir() const { return dir() / ("x" + std::to_string(magnification)); }
    // The 256 cases store probabilities, the 1024 case argmax maps only.
    std::filesystem::path npPath() const
    {
        const auto argmax = dir() / "inputs" / "nuclei_binary_argmax.npy";
        return std::filesystem::exists(argmax) ? argmax : dir() / "inputs" / "nuclei_binary_map_prob.npy";
    }
    std::filesystem::path ntPath() const
    {
        const auto argmax = dir() / "inputs" / "nuclei_type_argmax.npy";
        return std::filesystem::exists(argmax) ? argmax : dir() / "inputs" / "nuclei_type_map_prob.npy";
    }
    std::filesystem::path hvPath() const { return dir() / "inputs" / "hv_map.npy"; }
};

inline std::vector<PostprocGoldenCase> postprocGoldenCases()
{
    return { { "cpm_image12_256", 40 }, { "cpm_image03_256", 20 }, { "monuseg_CH5767_1024", 40 },
        { "monuseg_CH5767_1024", 20 } };
}

} // namespace cellvit::test
