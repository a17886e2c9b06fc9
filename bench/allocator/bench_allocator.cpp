// CPU forward passes of one model under three allocators, each in its own process (issue #15):
//   glibc        — glibc's defaults (what the programs used before): tensors above 32 MB are fresh mappings
//   glibc-tuned  — glibc's own knobs: no mmap for big blocks, no trimming (GLIBC_TUNABLES), so the heap keeps them
//   jemalloc     — libjemalloc preloaded with the settings the programs link in (app/common/jemalloc_settings.cpp)
// Per allocator: seconds per pass, user and system CPU, minor page faults per pass, peak RSS and the longest gap
// between two cancellation checks. Ratios are against glibc in the same run. This binary does not link jemalloc
// itself, so the parent can choose per child. Usage: see bench/README.md.
#include "bench/common/bench_arguments.h"
#include "bench/common/child_json.h"
#include "inference/model/cellvit_model.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds(const timeval& t)
{
    return double(t.tv_sec) + double(t.tv_usec) * 1e-6;
}

int runChild(const std::string& modelPath, int side, int passes, int threads)
{
    cellvit::InferenceOptions options;
    options.device = "cpu";
    options.threads = threads;
    const auto model = modelPath == "random-vit256"
        ? cellvit::CellVitModel::randomlyInitialised(cellvit::modelSpecFromConfig("CellViT256", Json::object()), options)
        : cellvit::CellVitModel::load(modelPath, options);
    at::manual_seed(0);
    const at::Tensor rgb = at::randint(0, 256, { 1, side, side, 3 }, at::kByte);

    Clock::time_point lastCheck = Clock::now();
    double longestGap = 0;
    const cellvit::CancellationCheck check = [&] {
        const auto now = Clock::now();
        longestGap = std::max(longestGap, std::chrono::duration<double>(now - lastCheck).count());
        lastCheck = now;
        return false;
    };
    model->segmentationForward(rgb); // warm-up: oneDNN primitives, first touch of the allocator's pools
    rusage before {};
    getrusage(RUSAGE_SELF, &before);
    std::vector<double> wall;
    for (int i = 0; i < passes; ++i) {
        const auto t0 = Clock::now();
        lastCheck = t0;
        model->segmentationForward(rgb, check);
        wall.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
    }
    rusage after {};
    getrusage(RUSAGE_SELF, &after);
    std::cout << Json { { "seconds", wall }, { "user", seconds(after.ru_utime) - seconds(before.ru_utime) },
                        { "system", seconds(after.ru_stime) - seconds(before.ru_stime) },
                        { "minor_faults", after.ru_minflt - before.ru_minflt },
                        { "peak_rss_mb", after.ru_maxrss / 1024.0 }, { "longest_check_gap", longestGap } }
                     .dump()
              << std::endl;
    return 0;
}


double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

struct Candidate {
    const char* name;
    std::string environment;
};

} // namespace

int main(int argc, char* argv[])
{
    std::string model = CELLVIT_BENCH_DEFAULT_MODEL;
    int side = 1024, passes = 3, threads = 0;
    bool child = false;
    cellvit::bench::parseArgumentsOrExit(argc, argv, "bench_allocator",
        "bench_allocator [--model CKPT|random-vit256] [--side 1024] [--passes 3] [--threads 0]",
        [&](const std::string& a, cellvit::bench::Arguments& arguments) {
            if (a == "--model")
                model = arguments.value();
            else if (a == "--side")
                side = arguments.intValue();
            else if (a == "--passes")
                passes = arguments.intValue();
            else if (a == "--threads")
                threads = arguments.intValue();
            else if (a == "--child")
                child = true;
            else
                return false;
            return true;
        });
    if (child)
        return runChild(model, side, passes, threads);

    const std::vector<Candidate> candidates {
        { "glibc", "" },
        // mmap_max=0: big blocks come from the heap; trim_threshold: the heap is never shrunk, so they are reused.
        { "glibc-tuned", "GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736" },
        { "jemalloc", std::string("LD_PRELOAD=") + CELLVIT_BENCH_JEMALLOC + " MALLOC_CONF=" + CELLVIT_BENCH_JEMALLOC_CONF },
    };
    std::printf("%s, %d² patch, %d passes after a warm-up, threads %d (0 = every CPU)\n", model.c_str(), side, passes,
                threads);
    std::printf("%-12s %10s %8s %8s %8s %12s %10s %10s %8s\n", "allocator", "s/pass", "user", "system", "sys/usr",
                "faults/pass", "peak[MB]", "gap[s]", "ratio");
    double reference = 0;
    int failures = 0;
    for (const Candidate& c : candidates) {
        const std::string command = (c.environment.empty() ? "" : "env " + c.environment + " ") + argv[0]
            + " --child --model '" + model + "' --side " + std::to_string(side) + " --passes " + std::to_string(passes)
            + " --threads " + std::to_string(threads);
        const Json r = cellvit::bench::runChildForJson(command);
        if (r.is_null()) {
            std::printf("%-12s run failed\n", c.name);
            ++failures;
            continue;
        }
        const double perPass = median(r["seconds"].get<std::vector<double>>());
        if (reference == 0)
            reference = perPass;
        const double user = r["user"].get<double>(), system = r["system"].get<double>();
        std::printf("%-12s %10.2f %8.1f %8.1f %8.2f %12.0f %10.0f %10.2f %8.2f\n", c.name, perPass, user, system,
                    system / user, r["minor_faults"].get<double>() / passes, r["peak_rss_mb"].get<double>(),
                    r["longest_check_gap"].get<double>(), reference > 0 ? perPass / reference : 0.0);
    }
    std::printf("ratio = seconds per pass / glibc's in this run; gap = longest time between cancellation checks\n");
    return failures == 0 ? 0 : 1;
}
