// Peak host memory while loading a checkpoint into the network (issue #15: ≤ 1.3 × the weights), each way in its
// own process so that ru_maxrss belongs to it alone:
//   streamed  — CellVitModel::load: the network is built from the header, each tensor copied in as it is read
//   in-memory — CellVitModel::fromCheckpoint(loadCheckpoint(...)): the whole state dict, then the network (before)
// Usage: bench_checkpoint_load CKPT   (e.g. a full-size SAM-H in the official layout; see bench/RESULTS.md)
#include "bench/common/child_json.h"
#include "inference/model/cellvit_model.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <sys/resource.h>

namespace {

long peakRssKb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

int runChild(const std::string& mode, const std::string& path)
{
    const cellvit::InferenceOptions options { "cpu", cellvit::Precision::Float32, 1 };
    const long before = peakRssKb();
    const auto t0 = std::chrono::steady_clock::now();
    const auto model = mode == "streamed" ? cellvit::CellVitModel::load(path, options)
                                          : cellvit::CellVitModel::fromCheckpoint(cellvit::loadCheckpoint(path), options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << nlohmann::json { { "peak_rss_kb", peakRssKb() }, { "rss_before_kb", before }, { "seconds", seconds },
                     { "embed_dim", model->spec().embedDim } }
                     .dump()
              << std::endl;
    return 0;
}


} // namespace

int main(int argc, char* argv[])
{
    if (argc == 4 && std::string(argv[1]) == "--child")
        return runChild(argv[2], argv[3]);
    if (argc != 2) {
        std::cerr << "usage: bench_checkpoint_load CKPT\n";
        return 2;
    }
    const std::string path = argv[1];
    const double fileGb = double(std::filesystem::file_size(path)) / 1e9;
    std::printf("%s: %.2f GB on disk\n%-10s %10s %14s %10s %10s\n", path.c_str(), fileGb, "mode", "seconds",
                "peak RSS [GB]", "× file", "× in-mem");
    double reference = 0;
    int failures = 0;
    for (const char* mode : { "in-memory", "streamed" }) {
        const auto r = cellvit::bench::runChildForJson(std::string(argv[0]) + " --child " + mode + " '" + path + "'");
        if (r.is_null()) {
            std::printf("%-10s failed\n", mode);
            ++failures;
            continue;
        }
        const double peakGb = r["peak_rss_kb"].get<double>() * 1024 / 1e9;
        if (reference == 0)
            reference = peakGb;
        std::printf("%-10s %10.1f %14.2f %10.2f %10.2f\n", mode, r["seconds"].get<double>(), peakGb, peakGb / fileGb,
                    peakGb / reference);
    }
    std::printf("× file = peak RSS / checkpoint size (goal for streamed ≤ 1.3); × in-mem = against the in-memory load "
                "in this run\n");
    return failures == 0 ? 0 : 1;
}
