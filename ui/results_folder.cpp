#include "ui/results_folder.h"

#include "inference/store/project_store.h"

#include <algorithm>
#include <stdexcept>
#include <system_error>

namespace cellvit {
namespace {

constexpr std::string_view kStoreSuffix = ".cellvit.sqlite";

bool isStoreFile(const std::filesystem::directory_entry& entry)
{
    const std::string name = entry.path().filename().string();
    return entry.is_regular_file() && name.size() > kStoreSuffix.size()
        && name.compare(name.size() - kStoreSuffix.size(), kStoreSuffix.size(), kStoreSuffix) == 0;
}

} // namespace

std::vector<StoredResults> findStoredResults(const std::filesystem::path& folder)
{
    std::error_code error;
    std::filesystem::directory_iterator it(folder, error);
    if (error)
        throw std::runtime_error(folder.string() + ": cannot read the results folder (" + error.message() + ")");
    std::vector<std::filesystem::path> stores;
    for (const auto& entry : it)
        if (isStoreFile(entry))
            stores.push_back(entry.path());
    if (stores.empty())
        throw std::runtime_error(folder.string()
            + ": no CellViT results here (no *.cellvit.sqlite file; cellvit-cli segment --out writes one)");
    std::sort(stores.begin(), stores.end());

    std::vector<StoredResults> found;
    for (const auto& file : stores) {
        std::optional<std::filesystem::path> slide;
        try {
            slide = ProjectStore(file).slidePath(); // a short-lived connection on this thread
        } catch (const StoreError& e) { // names the file and the SQL error
            throw std::runtime_error(e.what());
        }
        if (!slide)
            throw std::runtime_error(file.string() + ": the project store records no slide");
        found.push_back({ file, *slide });
    }
    return found;
}

void requireStoredSlide(const StoredResults& results)
{
    std::error_code error;
    if (!std::filesystem::is_regular_file(results.slide, error))
        throw std::runtime_error(results.storeFile.string() + ": its slide " + results.slide.string()
            + " is missing (moved or deleted?); put the slide back there to open these results");
}

} // namespace cellvit
