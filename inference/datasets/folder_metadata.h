#pragma once
// Optional side files of the PanNuke-style and GeoJSON folders.

#include <filesystem>
#include <map>
#include <string>

namespace cellvit {

// <folder>/mpp.txt holding one positive number, else `fallback`. Throws DatasetError for an unreadable value.
double folderMpp(const std::filesystem::path& folder, double fallback);

// <folder>/tissues.csv: "<name>,<tissue index>" per line; a first line that is not of that form is a header.
// Missing file: empty map. Throws DatasetError naming the line otherwise.
std::map<std::string, int> folderTissues(const std::filesystem::path& folder);

} // namespace cellvit
