#pragma once
// The project stores in a results folder (`cellvit-cli segment SLIDE --out DIR` writes DIR/<slideIdentity>
// .cellvit.sqlite, slide_identity.h) and the slide each one records, so the app can open a command-line run
// where it was written instead of in its own store folder.

#include <QString>
#include <filesystem>
#include <vector>

namespace cellvit {

struct StoredResults {
    std::filesystem::path storeFile;
    std::filesystem::path slide; // as the store recorded it (absolute)
};

// Every *.cellvit.sqlite of `folder` (not its subfolders), sorted by file name, with its slide. Throws
// std::runtime_error naming the folder when it is missing or holds no store, and naming the store file when one
// cannot be read or records no slide. Each store is opened briefly on the calling thread (one small query).
std::vector<StoredResults> findStoredResults(const std::filesystem::path& folder);

// The slide of `results` when it exists; else throws std::runtime_error naming the store file and the slide.
void requireStoredSlide(const StoredResults& results);

} // namespace cellvit
