#include "inference/datasets/folder_metadata.h"

#include "inference/datasets/dataset_error.h"

#include <fstream>
#include <sstream>

namespace cellvit {

double folderMpp(const std::filesystem::path& folder, double fallback)
{
    const std::filesystem::path file = folder / "mpp.txt";
    if (!std::filesystem::exists(file))
        return fallback;
    std::ifstream in(file);
    double mpp = 0.0;
    if (!(in >> mpp) || !(mpp > 0.0))
        throw DatasetError(file, "must hold one positive number (µm per pixel)");
    return mpp;
}

std::map<std::string, int> folderTissues(const std::filesystem::path& folder)
{
    const std::filesystem::path file = folder / "tissues.csv";
    std::map<std::string, int> tissues;
    if (!std::filesystem::exists(file))
        return tissues;
    std::ifstream in(file);
    if (!in)
        throw DatasetError(file, "cannot open for reading");
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        const size_t comma = line.find(',');
        std::string name = comma == std::string::npos ? line : line.substr(0, comma);
        const std::string value = comma == std::string::npos ? std::string() : line.substr(comma + 1);
        std::istringstream parse(value);
        int tissue = -1;
        const bool ok = static_cast<bool>(parse >> tissue) && tissue >= 0 && (parse >> std::ws).eof();
        if (!ok) {
            if (number == 1)
                continue; // header
            throw DatasetError(file, "line " + std::to_string(number) + ": expected '<name>,<tissue index>'");
        }
        // Accept "name.png" as well as "name".
        tissues[std::filesystem::path(name).stem().string()] = tissue;
    }
    return tissues;
}

} // namespace cellvit
