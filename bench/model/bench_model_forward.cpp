// Forward time and peak RSS of CellViT-256 (random weights) on the CPU, C++ vs PyTorch eager.
// Each measurement runs in its own process so peak RSS belongs to one model and one input size.
// Usage: see bench/README.md.
#include "bench/common/bench_arguments.h"
#include "bench/common/child_json.h"
#include "inference/model/cellvit_model.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <vector>

namespace {

using Json = nlohmann::json;

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

int runChild(int size, int threads, int repeats)
{
    cellvit::InferenceOptions options;
    options.device = "cpu";
    options.threads = threads;
    const auto spec = cellvit::modelSpecFromConfig("CellViT256", Json::object());
    at::manual_seed(0);
    const auto model = cellvit::CellVitModel::randomlyInitialised(spec, options);
    const auto input = at::randn({ 1, 3, size, size });
    model->forward(input); // warm-up (oneDNN primitive creation)
    std::vector<double> seconds;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        model->forward(input);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    std::cout << Json { { "impl", "cellvit-studio" }, { "size", size }, { "threads", threads },
                        { "seconds", seconds }, { "peak_rss_mb", usage.ru_maxrss / 1024.0 } }
                     .dump()
              << std::endl;
    return 0;
}


std::vector<int> parseSizes(const std::string& text)
{
    std::vector<int> sizes;
    std::stringstream s(text);
    for (std::string item; std::getline(s, item, ',');)
        sizes.push_back(std::stoi(item));
    return sizes;
}

} // namespace

int main(int argc, char* argv[])
{
    std::string sizes = "256,512,1024", python = "/usr/bin/python3", reference = CELLVIT_BENCH_REFERENCE_SCRIPT;
    int threads = 2, repeats = 3, child = 0;
    cellvit::bench::parseArgumentsOrExit(argc, argv, "bench_model_forward",
        "bench_model_forward [--sizes 256,512,1024] [--threads 2] [--repeats 3] "
        "[--python /usr/bin/python3 | --python none]",
        [&](const std::string& a, cellvit::bench::Arguments& arguments) {
            if (a == "--sizes")
                sizes = arguments.value();
            else if (a == "--threads")
                threads = arguments.intValue();
            else if (a == "--repeats")
                repeats = arguments.intValue();
            else if (a == "--python")
                python = arguments.value();
            else if (a == "--child")
                child = arguments.intValue();
            else
                return false;
            return true;
        });
    if (child > 0)
        return runChild(child, threads, repeats);

    std::printf("CellViT-256 forward on the CPU, random weights, %d threads, median of %d after a warm-up\n", threads,
                repeats);
    std::printf("%6s %12s %12s %8s %12s %12s\n", "size", "C++ [s]", "PyTorch [s]", "ratio", "C++ RSS[MB]",
                "Py RSS[MB]");
    int failures = 0;
    for (int size : parseSizes(sizes)) {
        const std::string self = std::string(argv[0]) + " --child " + std::to_string(size) + " --threads "
            + std::to_string(threads) + " --repeats " + std::to_string(repeats);
        const Json ours = cellvit::bench::runChildForJson(self);
        Json theirs = nullptr;
        if (python != "none")
            theirs = cellvit::bench::runChildForJson(python + " " + reference + " --time " + std::to_string(size) + " --threads "
                                 + std::to_string(threads) + " --repeats " + std::to_string(repeats));
        if (ours.is_null()) {
            std::printf("%6d  C++ run failed\n", size);
            ++failures;
            continue;
        }
        const double oursS = median(ours["seconds"].get<std::vector<double>>());
        if (theirs.is_null()) {
            std::printf("%6d %12.3f %12s %8s %12.0f %12s\n", size, oursS, "n/a", "n/a",
                        ours["peak_rss_mb"].get<double>(), "n/a");
            continue;
        }
        const double theirsS = median(theirs["seconds"].get<std::vector<double>>());
        std::printf("%6d %12.3f %12.3f %8.2f %12.0f %12.0f\n", size, oursS, theirsS, oursS / theirsS,
                    ours["peak_rss_mb"].get<double>(), theirs["peak_rss_mb"].get<double>());
    }
    std::printf("ratio = C++ time / PyTorch eager time (goal <= 0.70)\n");
    return failures == 0 ? 0 : 1;
}
