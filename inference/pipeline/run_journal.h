#pragma once
// Append-only journal of finished patches, so a run that is killed keeps every finished patch and a rerun
// with the same slide, model and settings resumes where it stopped. Each record is length-prefixed,
// checksummed MessagePack; a torn last record (crash mid-write) is detected and dropped.

#include "model_zoo/cellvit_error.h"
#include "inference/pipeline/patch_result.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <vector>

namespace cellvit {

class JournalError : public Error {
public:
    using Error::Error;
};

class RunJournal {
public:
    // Opens `path`. If it exists and was written for the same `runKey` (slide, model, settings), its
    // finished patches are loaded into finished(); otherwise it is started afresh.
    RunJournal(std::filesystem::path path, nlohmann::json runKey);
    // As above, but each finished patch goes to `onFinished` as it is read instead of into finished(), so a
    // resumed run does not hold every record (and its embeddings) at once.
    using FinishedSink = std::function<void(PatchResult&&)>;
    RunJournal(std::filesystem::path path, nlohmann::json runKey, const FinishedSink& onFinished);

    const std::vector<PatchResult>& finished() const { return m_finished; }
    bool resumed() const { return m_resumedRecords > 0; }
    void append(const PatchResult& result); // written and flushed before returning

private:
    std::filesystem::path m_path;
    std::ofstream m_out;
    std::vector<PatchResult> m_finished;
    size_t m_resumedRecords = 0;
};

} // namespace cellvit
