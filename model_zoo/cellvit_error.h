#pragma once
// The one error model of CellViT Studio's libraries (model_zoo is the lowest layer, so every library sees it).
// Every failure a user can cause or meet (a bad file, a full disk, a region outside the slide) is a cellvit::Error
// or one of its per-area types (CheckpointError, SlideError, StoreError, ...), carrying the file it concerns, if
// any, and the reason. what() is "<path>: <reason>", or the reason alone: the text the programs show.
// Cancellation is not an error and is not one of these: see Cancelled.

#include <exception>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace cellvit {

class Error : public std::runtime_error {
public:
    Error(std::filesystem::path path, const std::string& reason)
        : std::runtime_error(path.empty() ? reason : path.string() + ": " + reason)
        , m_path(std::move(path))
        , m_reason(reason)
    {
    }
    // A message that already says everything (it may name a file in its text).
    explicit Error(const std::string& message)
        : std::runtime_error(message)
        , m_reason(message)
    {
    }
    const std::filesystem::path& path() const noexcept { return m_path; }
    const std::string& reason() const noexcept { return m_reason; }

private:
    std::filesystem::path m_path;
    std::string m_reason;
};

// Work stopped because the user (or a caller's check) asked it to: not a failure, never shown as an error, and
// never caught by a `catch (const Error&)` meant for failures.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

} // namespace cellvit
