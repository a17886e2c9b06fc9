#pragma once
// A slide's project: its regions and its runs, in one SQLite file (WAL, synchronous=NORMAL). A run is written
// patch by patch, one transaction per finished patch, so killing the process keeps every committed patch and
// reopening the slide offers to resume. Saving is never a separate step.
//
// Cells are kept as their patch produced them (patch-local cells + embeddings): loading
// replays the patches through the slide merge, so a restored or resumed run resolves the overlap bands exactly
// as an uninterrupted run does.
//
// One instance owns one named QSqlDatabase connection (unique per instance) and must be used from the thread
// that created it: its methods throw StoreError when called from another (ProjectStoreThread serves callers
// on other threads).

#include "model_zoo/cellvit_error.h"
#include "inference/merge/patch_grid.h"
#include "inference/merge/slide_cell.h"
#include "inference/merge/slide_cell_merger.h"
#include "inference/pipeline/patch_result.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace cellvit {

// Names the database file and the SQL error.
class StoreError : public Error {
public:
    using Error::Error;
};

enum class RunStatus { Running, Finished, Cancelled, Failed };
QString runStatusName(RunStatus status);

struct RunMeta {
    QString modelPath;
    QString modelArch;
    nlohmann::json parameters = nlohmann::json::object(); // settings that decide the result (mpp, region, ...)
    QString appVersion;
    // The model's nucleus class names, index = type id ([0] background): a restored run is shown with the
    // classes it was made with, whatever model is loaded then. Empty for runs stored before they were kept.
    QStringList classNames;
    PatchGrid grid; // the plan's grid: needed to merge the stored patches
    MergeMode mergeMode = MergeMode::Complete;
    int patchesTotal = 0; // patches the plan holds (for "N of M")
};

struct RunRecord {
    int64_t id = 0;
    RunMeta meta;
    RunStatus status = RunStatus::Running;
    QDateTime started, finished; // finished is null while running
    int patchesFinished = 0;
};

struct StoredRegion {
    int64_t id = 0; // 0 when not yet stored: saveRegions assigns one
    QString name;
    nlohmann::json geometry; // GeoJSON geometry object
};

class ProjectStore {
public:
    // 2: the slide's declared resolution (slide.declared_mpp). Version-1 stores are migrated when opened.
    static constexpr int schemaVersion = 2;

    // Opens or creates the store file (and its folder). Throws StoreError.
    explicit ProjectStore(const std::filesystem::path& databaseFile);
    // The store of `slide` in `storeFolder` (slide_identity.h); records the slide's path on creation.
    static std::unique_ptr<ProjectStore> openForSlide(
        const std::filesystem::path& slide, const std::filesystem::path& storeFolder);
    ~ProjectStore();
    ProjectStore(const ProjectStore&) = delete;
    ProjectStore& operator=(const ProjectStore&) = delete;

    const std::filesystem::path& path() const { return m_path; }

    int64_t beginRun(const RunMeta& meta);
    // One transaction: the patch row, its cells and their embeddings. Adding a patch twice is an error.
    void addPatch(int64_t run, const PatchResult& patch);
    void finishRun(int64_t run, RunStatus status);
    void discardRun(int64_t run);

    std::optional<RunRecord> run(int64_t run) const;
    std::vector<RunRecord> runs() const; // oldest first
    std::optional<RunRecord> lastRun() const;
    // The newest run still marked running (its process was killed or is still at work).
    std::optional<RunRecord> unfinishedRun() const;
    // The newest run made with exactly these parameters (class names aside), whatever its status: rerunning the
    // same `cellvit-cli segment` command continues it instead of starting over.
    std::optional<RunRecord> latestRunWithParameters(const nlohmann::json& parameters) const;
    std::vector<PatchSpec> finishedPatches(int64_t run) const; // row-major

    // Each stored patch as it was added, row-major; one at a time, so memory stays at one patch.
    void loadPatches(int64_t run, const std::function<void(PatchResult&&)>& sink) const;
    // The run's slide cells: stored patches merged with the run's grid and merge mode, in sequence order,
    // embeddings attached.
    std::vector<SlideCell> loadCells(int64_t run) const;

    // Replaces all regions (one transaction); returns them with their ids.
    std::vector<StoredRegion> saveRegions(const std::vector<StoredRegion>& regions);
    std::vector<StoredRegion> loadRegions() const;

    // Records the slide's path, size and identity (a declared resolution stays).
    void setSlideInfo(const std::filesystem::path& slide);
    std::optional<std::filesystem::path> slidePath() const;

    // The resolution (µm per level-0 pixel) the user declared for the slide (the desktop app's Set Image
    // Resolution, `cellvit-cli segment --mpp`): a plain image has none of its own, and the declaration is part of
    // the project, applied whenever the slide is opened with this store. nullopt clears it. Throws StoreError when
    // no slide is recorded yet or the value is not positive.
    void setDeclaredMpp(std::optional<double> micrometresPerPixel);
    std::optional<double> declaredMpp() const;

private:
    void createSchema();
    void migrateFrom(int version);
    [[noreturn]] void fail(const QString& what, const QString& sqlError) const;
    // Qt does not check that a connection is used on its thread; SQLite calls from two threads at once would
    // corrupt the connection's state. Called by every public method that touches the database.
    void requireOwnerThread() const;

    std::filesystem::path m_path;
    QString m_connection;
    QSqlDatabase m_db;
    std::thread::id m_owner = std::this_thread::get_id();
};

} // namespace cellvit
