#pragma once
// Where a slide's project store lives. Slides often sit on read-only shares, so stores are kept in a folder of
// their own, named by the slide's identity: a hash of its absolute path, size and modification time (a slide
// that is replaced by another file with the same name gets a fresh store).

#include <QString>
#include <filesystem>

namespace cellvit {

// Hex digest identifying the slide file; throws std::runtime_error naming the file when it cannot be read.
QString slideIdentity(const std::filesystem::path& slide);
// QStandardPaths::AppDataLocation/projects.
std::filesystem::path defaultStoreFolder();
// <storeFolder>/<slideIdentity>.cellvit.sqlite
std::filesystem::path storePathForSlide(
    const std::filesystem::path& slide, const std::filesystem::path& storeFolder = defaultStoreFolder());

} // namespace cellvit
