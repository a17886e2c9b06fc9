#include "model_zoo/model_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <system_error>

namespace cellvit {
namespace fs = std::filesystem;
namespace {

std::string cardSummary(const fs::path& card)
{
    std::ifstream in(card);
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find_first_not_of("# \t\r");
        if (first == std::string::npos)
            continue;
        line = line.substr(first);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        return line;
    }
    return {};
}

} // namespace

std::optional<fs::path> executableModelFolder()
{
    // Relative to the running program, so a package unpacked anywhere (dpkg -x, a relocated prefix) finds the
    // models it ships; /proc/self/exe already has the symbolic links resolved.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty() || !exe.has_parent_path())
        return std::nullopt;
    return (exe.parent_path() / ".." / "share" / "cellvit-studio" / "models").lexically_normal();
}

std::vector<fs::path> modelSearchFolders()
{
    std::vector<fs::path> folders;
    if (const char* env = std::getenv("CELLVIT_MODEL_DIR"); env && *env)
        folders.emplace_back(env);
    if (const auto exe = executableModelFolder())
        folders.push_back(*exe);
#ifdef CELLVIT_INSTALL_MODEL_DIR
    folders.emplace_back(CELLVIT_INSTALL_MODEL_DIR);
#endif
    std::vector<fs::path> unique;
    for (const auto& f : folders) {
        const fs::path normal = f.lexically_normal();
        if (std::find(unique.begin(), unique.end(), normal) == unique.end())
            unique.push_back(normal);
    }
    return unique;
}

std::vector<BundledModel> findBundledModels(const std::vector<fs::path>& folders)
{
    std::map<std::string, BundledModel> byName;
    for (const auto& folder : folders) {
        std::error_code ec;
        if (!fs::is_directory(folder, ec))
            continue;
        std::vector<fs::path> files;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
            const fs::path& p = it->path();
            if ((p.extension() == ".safetensors" || p.extension() == ".pth") && fs::is_regular_file(p, ec))
                files.push_back(p);
        }
        std::sort(files.begin(), files.end()); // .pth before .safetensors of one name: deterministic
        for (const auto& p : files) {
            const std::string name = p.stem().string();
            if (byName.count(name) > 0)
                continue;
            BundledModel m;
            m.name = name;
            m.file = p;
            const fs::path card = fs::path(p).replace_extension(".md");
            if (fs::is_regular_file(card, ec)) {
                m.card = card;
                m.summary = cardSummary(card);
            }
            m.isDefault = name == kDefaultModelName;
            byName.emplace(name, std::move(m));
        }
    }
    std::vector<BundledModel> models;
    for (auto& [name, m] : byName)
        models.push_back(std::move(m));
    return models;
}

std::vector<BundledModel> findBundledModels()
{
    return findBundledModels(modelSearchFolders());
}

std::optional<BundledModel> defaultBundledModel()
{
    for (auto& m : findBundledModels()) {
        if (m.isDefault)
            return m;
    }
    return std::nullopt;
}

} // namespace cellvit
