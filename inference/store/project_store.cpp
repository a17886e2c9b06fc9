#include "inference/store/project_store.h"

#include "inference/store/slide_identity.h"

#include <QFileInfo>
#include <QSysInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>

namespace cellvit {
namespace {

// Blobs hold raw little-endian arrays (host order on every platform we build for: x86-64, arm64). A store written
// by `cellvit-cli segment` on a cluster node is opened by the desktop app on another machine.
static_assert(QSysInfo::ByteOrder == QSysInfo::LittleEndian, "the store's blobs are little-endian");
QByteArray contourBlob(const std::vector<cv::Point>& contour)
{
    std::vector<int32_t> xy;
    xy.reserve(contour.size() * 2);
    for (const auto& p : contour) {
        xy.push_back(p.x);
        xy.push_back(p.y);
    }
    return QByteArray(reinterpret_cast<const char*>(xy.data()), static_cast<int>(xy.size() * sizeof(int32_t)));
}

std::vector<cv::Point> contourFromBlob(const QByteArray& blob)
{
    std::vector<int32_t> xy(static_cast<size_t>(blob.size()) / sizeof(int32_t));
    std::memcpy(xy.data(), blob.constData(), xy.size() * sizeof(int32_t));
    std::vector<cv::Point> contour;
    contour.reserve(xy.size() / 2);
    for (size_t i = 0; i + 1 < xy.size(); i += 2)
        contour.emplace_back(xy[i], xy[i + 1]);
    return contour;
}

nlohmann::json gridJson(const PatchGrid& g)
{
    return { { "patchSize", g.patchSize }, { "overlap", g.overlap }, { "scale", g.scale },
        { "originX", g.levelOrigin.x }, { "originY", g.levelOrigin.y } };
}

PatchGrid gridFromJson(const nlohmann::json& j)
{
    PatchGrid g;
    g.patchSize = j.at("patchSize").get<int>();
    g.overlap = j.at("overlap").get<int>();
    g.scale = j.at("scale").get<double>();
    g.levelOrigin = { j.at("originX").get<double>(), j.at("originY").get<double>() };
    return g;
}

RunStatus statusFromName(const QString& name)
{
    for (RunStatus s : { RunStatus::Running, RunStatus::Finished, RunStatus::Cancelled, RunStatus::Failed })
        if (runStatusName(s) == name)
            return s;
    return RunStatus::Failed;
}

QString nextConnectionName()
{
    static std::atomic<int> counter { 0 };
    return QStringLiteral("cellvit_store_%1").arg(counter.fetch_add(1));
}

const char* const schemaStatements[] = {
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE slide (id INTEGER PRIMARY KEY CHECK (id = 1), path TEXT NOT NULL, size INTEGER, mtime TEXT, "
    "identity TEXT, declared_mpp REAL)",
    "CREATE TABLE regions (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, geometry TEXT NOT NULL)",
    "CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, model_path TEXT, model_arch TEXT, parameters TEXT, "
    "app_version TEXT, grid TEXT NOT NULL, merge_mode TEXT NOT NULL, patches_total INTEGER NOT NULL, "
    "started TEXT NOT NULL, finished TEXT, "
    "status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'cancelled', 'failed')))",
    "CREATE TABLE patches (run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, patch_row INTEGER NOT NULL, "
    "patch_col INTEGER NOT NULL, origin_x INTEGER NOT NULL, origin_y INTEGER NOT NULL, "
    "embedding_dim INTEGER NOT NULL, finished TEXT NOT NULL, PRIMARY KEY (run, patch_row, patch_col))",
    // ordinal keeps the post-processing order of a patch's cells (the merge's sequence follows it).
    "CREATE TABLE cells (run INTEGER NOT NULL, patch_row INTEGER NOT NULL, patch_col INTEGER NOT NULL, "
    "ordinal INTEGER NOT NULL, cell_id INTEGER NOT NULL, centroid_x REAL NOT NULL, centroid_y REAL NOT NULL, "
    "rmin INTEGER NOT NULL, cmin INTEGER NOT NULL, rmax INTEGER NOT NULL, cmax INTEGER NOT NULL, "
    "contour BLOB NOT NULL, type INTEGER NOT NULL, type_prob REAL NOT NULL, embedding BLOB, "
    "PRIMARY KEY (run, patch_row, patch_col, ordinal), "
    "FOREIGN KEY (run, patch_row, patch_col) REFERENCES patches(run, patch_row, patch_col) ON DELETE CASCADE)",
};

} // namespace

QString runStatusName(RunStatus status)
{
    switch (status) {
    case RunStatus::Running:
        return QStringLiteral("running");
    case RunStatus::Finished:
        return QStringLiteral("finished");
    case RunStatus::Cancelled:
        return QStringLiteral("cancelled");
    case RunStatus::Failed:
        return QStringLiteral("failed");
    }
    return QStringLiteral("failed");
}

ProjectStore::ProjectStore(const std::filesystem::path& databaseFile)
    : m_path(databaseFile)
    , m_connection(nextConnectionName())
{
    std::error_code ec;
    if (m_path.has_parent_path())
        std::filesystem::create_directories(m_path.parent_path(), ec);
    if (ec)
        throw StoreError(m_path.string() + ": cannot create the store folder: " + ec.message());
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid()) {
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
        throw StoreError(m_path.string() + ": the Qt SQLite driver (QSQLITE, libqt6sql6-sqlite) is not available");
    }
    m_db.setDatabaseName(QString::fromStdString(m_path.string()));
    try {
        if (!m_db.open())
            fail(QStringLiteral("cannot open"), m_db.lastError().text());
        QSqlQuery q(m_db);
        // WAL + NORMAL: a commit survives a killed process (not necessarily a power cut), at one fsync per checkpoint.
        for (const char* pragma : { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON",
                 "PRAGMA busy_timeout=5000" })
            if (!q.exec(QString::fromLatin1(pragma)))
                fail(QString::fromLatin1(pragma), q.lastError().text());
        if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'")))
            fail(QStringLiteral("cannot read the schema"), q.lastError().text());
        if (!q.next()) {
            createSchema();
        } else {
            if (!q.exec(QStringLiteral("SELECT version FROM schema_version")) || !q.next())
                fail(QStringLiteral("cannot read the schema version"), q.lastError().text());
            const int version = q.value(0).toInt();
            if (version == 1)
                migrateFrom(version);
            else if (version != schemaVersion)
                throw StoreError(m_path.string() + ": store schema version " + std::to_string(version)
                    + " is not the supported version " + std::to_string(schemaVersion));
        }
    } catch (...) {
        m_db.close();
        m_db = QSqlDatabase();
        QSqlDatabase::removeDatabase(m_connection);
        throw;
    }
}

ProjectStore::~ProjectStore()
{
    m_db.close();
    m_db = QSqlDatabase(); // the last handle must be gone before the connection is removed
    QSqlDatabase::removeDatabase(m_connection);
}

std::unique_ptr<ProjectStore> ProjectStore::openForSlide(
    const std::filesystem::path& slide, const std::filesystem::path& storeFolder)
{
    auto store = std::make_unique<ProjectStore>(storePathForSlide(slide, storeFolder));
    if (!store->slidePath())
        store->setSlideInfo(slide);
    return store;
}

void ProjectStore::requireOwnerThread() const
{
    if (std::this_thread::get_id() != m_owner)
        throw StoreError(m_path.string()
            + ": the project store was used from a thread other than the one that opened it (its SQLite connection "
              "belongs to that thread)");
}

void ProjectStore::fail(const QString& what, const QString& sqlError) const
{
    throw StoreError(m_path.string() + ": " + what.toStdString() + ": " + sqlError.toStdString());
}

void ProjectStore::createSchema()
{
    if (!m_db.transaction())
        fail(QStringLiteral("cannot start a transaction"), m_db.lastError().text());
    QSqlQuery q(m_db);
    for (const char* statement : schemaStatements) {
        if (!q.exec(QString::fromLatin1(statement))) {
            const QString error = q.lastError().text();
            m_db.rollback();
            fail(QStringLiteral("cannot create the schema"), error);
        }
    }
    if (!q.exec(QStringLiteral("INSERT INTO schema_version (version) VALUES (%1)").arg(schemaVersion))
        || !m_db.commit()) {
        const QString error = q.lastError().isValid() ? q.lastError().text() : m_db.lastError().text();
        m_db.rollback();
        fail(QStringLiteral("cannot create the schema"), error);
    }
}

void ProjectStore::migrateFrom(int version)
{
    // Version 1 -> 2 adds a column: one transaction, so a failure leaves a version-1 store.
    if (!m_db.transaction())
        fail(QStringLiteral("cannot start a transaction"), m_db.lastError().text());
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("ALTER TABLE slide ADD COLUMN declared_mpp REAL"))
        || !q.exec(QStringLiteral("UPDATE schema_version SET version = %1").arg(schemaVersion)) || !m_db.commit()) {
        const QString error = q.lastError().isValid() ? q.lastError().text() : m_db.lastError().text();
        m_db.rollback();
        fail(QStringLiteral("cannot update the store from schema version %1").arg(version), error);
    }
}

void ProjectStore::setSlideInfo(const std::filesystem::path& slide)
{
    requireOwnerThread();
    const QFileInfo info(QString::fromStdString(slide.string()));
    QSqlQuery q(m_db);
    // An upsert, not INSERT OR REPLACE: that would delete the row and with it the declared resolution.
    q.prepare(QStringLiteral("INSERT INTO slide (id, path, size, mtime, identity) VALUES (1, ?, ?, ?, ?) "
                             "ON CONFLICT (id) DO UPDATE SET path = excluded.path, size = excluded.size, "
                             "mtime = excluded.mtime, identity = excluded.identity"));
    q.addBindValue(info.absoluteFilePath());
    q.addBindValue(info.size());
    q.addBindValue(info.lastModified().toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(info.exists() ? slideIdentity(slide) : QString());
    if (!q.exec())
        fail(QStringLiteral("cannot record the slide"), q.lastError().text());
}

std::optional<std::filesystem::path> ProjectStore::slidePath() const
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT path FROM slide WHERE id = 1")))
        fail(QStringLiteral("cannot read the slide"), q.lastError().text());
    if (!q.next())
        return std::nullopt;
    return std::filesystem::path(q.value(0).toString().toStdString());
}

void ProjectStore::setDeclaredMpp(std::optional<double> micrometresPerPixel)
{
    requireOwnerThread();
    if (micrometresPerPixel && !(*micrometresPerPixel > 0))
        throw StoreError(m_path.string() + ": a declared resolution must be positive, got "
            + std::to_string(*micrometresPerPixel) + " µm per pixel");
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE slide SET declared_mpp = ? WHERE id = 1"));
    q.addBindValue(micrometresPerPixel ? QVariant(*micrometresPerPixel) : QVariant());
    if (!q.exec())
        fail(QStringLiteral("cannot record the declared resolution"), q.lastError().text());
    if (q.numRowsAffected() != 1)
        throw StoreError(m_path.string() + ": cannot record the declared resolution: no slide is recorded");
}

std::optional<double> ProjectStore::declaredMpp() const
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT declared_mpp FROM slide WHERE id = 1")))
        fail(QStringLiteral("cannot read the declared resolution"), q.lastError().text());
    if (!q.next() || q.value(0).isNull())
        return std::nullopt;
    return q.value(0).toDouble();
}

int64_t ProjectStore::beginRun(const RunMeta& meta)
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO runs (model_path, model_arch, parameters, app_version, grid, merge_mode, "
                             "patches_total, started, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running')"));
    q.addBindValue(meta.modelPath);
    q.addBindValue(meta.modelArch);
    nlohmann::json parameters = meta.parameters;
    if (!meta.classNames.isEmpty()) { // kept with the parameters: no schema change
        nlohmann::json names = nlohmann::json::array();
        for (const QString& name : meta.classNames)
            names.push_back(name.toStdString());
        parameters["class_names"] = std::move(names);
    }
    q.addBindValue(QString::fromStdString(parameters.dump()));
    q.addBindValue(meta.appVersion);
    q.addBindValue(QString::fromStdString(gridJson(meta.grid).dump()));
    q.addBindValue(meta.mergeMode == MergeMode::Reference ? QStringLiteral("reference") : QStringLiteral("complete"));
    q.addBindValue(meta.patchesTotal);
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (!q.exec())
        fail(QStringLiteral("cannot begin a run"), q.lastError().text());
    return q.lastInsertId().toLongLong();
}

void ProjectStore::addPatch(int64_t run, const PatchResult& patch)
{
    requireOwnerThread();
    const size_t dim = static_cast<size_t>(std::max(0, patch.embeddingDim));
    if (dim > 0 && patch.embeddings.size() != patch.cells.size() * dim)
        throw StoreError(m_path.string() + ": patch (" + std::to_string(patch.patch.row) + ", "
            + std::to_string(patch.patch.col) + ") has " + std::to_string(patch.embeddings.size())
            + " embedding values for " + std::to_string(patch.cells.size()) + " cells of dimension "
            + std::to_string(dim));
    if (!m_db.transaction())
        fail(QStringLiteral("cannot start a transaction"), m_db.lastError().text());
    auto abort = [&](const QString& what, const QString& error) {
        m_db.rollback();
        fail(what, error);
    };
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO patches (run, patch_row, patch_col, origin_x, origin_y, embedding_dim, "
                             "finished) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.addBindValue(QVariant::fromValue<qlonglong>(run));
    q.addBindValue(patch.patch.row);
    q.addBindValue(patch.patch.col);
    q.addBindValue(QVariant::fromValue<qlonglong>(patch.patch.originX));
    q.addBindValue(QVariant::fromValue<qlonglong>(patch.patch.originY));
    q.addBindValue(static_cast<int>(dim));
    q.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (!q.exec())
        abort(QStringLiteral("cannot add patch (%1, %2) to run %3").arg(patch.patch.row).arg(patch.patch.col).arg(run),
            q.lastError().text());

    QSqlQuery c(m_db);
    c.prepare(QStringLiteral("INSERT INTO cells (run, patch_row, patch_col, ordinal, cell_id, centroid_x, centroid_y, "
                             "rmin, cmin, rmax, cmax, contour, type, type_prob, embedding) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (size_t i = 0; i < patch.cells.size(); ++i) {
        const Cell& cell = patch.cells[i];
        c.addBindValue(QVariant::fromValue<qlonglong>(run));
        c.addBindValue(patch.patch.row);
        c.addBindValue(patch.patch.col);
        c.addBindValue(static_cast<int>(i));
        c.addBindValue(cell.id);
        c.addBindValue(cell.centroid.x);
        c.addBindValue(cell.centroid.y);
        c.addBindValue(cell.rmin);
        c.addBindValue(cell.cmin);
        c.addBindValue(cell.rmax);
        c.addBindValue(cell.cmax);
        c.addBindValue(contourBlob(cell.contour));
        c.addBindValue(cell.type);
        c.addBindValue(cell.typeProb);
        if (dim > 0)
            c.addBindValue(QByteArray(reinterpret_cast<const char*>(patch.embeddings.data() + i * dim),
                static_cast<int>(dim * sizeof(float))));
        else
            c.addBindValue(QVariant(QMetaType(QMetaType::QByteArray)));
        if (!c.exec())
            abort(QStringLiteral("cannot add the cells of patch (%1, %2)").arg(patch.patch.row).arg(patch.patch.col),
                c.lastError().text());
    }
    if (!m_db.commit())
        abort(QStringLiteral("cannot commit patch (%1, %2)").arg(patch.patch.row).arg(patch.patch.col),
            m_db.lastError().text());
}

void ProjectStore::finishRun(int64_t run, RunStatus status)
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE runs SET status = ?, finished = ? WHERE id = ?"));
    q.addBindValue(runStatusName(status));
    q.addBindValue(status == RunStatus::Running
            ? QVariant(QMetaType(QMetaType::QString))
            : QVariant(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)));
    q.addBindValue(QVariant::fromValue<qlonglong>(run));
    if (!q.exec())
        fail(QStringLiteral("cannot finish run %1").arg(run), q.lastError().text());
    if (q.numRowsAffected() != 1)
        fail(QStringLiteral("cannot finish run %1").arg(run), QStringLiteral("no such run"));
}

void ProjectStore::discardRun(int64_t run)
{
    requireOwnerThread();
    // Cells and patches go with the run (ON DELETE CASCADE).
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("DELETE FROM runs WHERE id = ?"));
    q.addBindValue(QVariant::fromValue<qlonglong>(run));
    if (!q.exec())
        fail(QStringLiteral("cannot discard run %1").arg(run), q.lastError().text());
}

namespace {

const char* const runColumns = "SELECT id, model_path, model_arch, parameters, app_version, grid, merge_mode, "
                               "patches_total, started, finished, status, "
                               "(SELECT COUNT(*) FROM patches p WHERE p.run = runs.id) FROM runs ";

RunRecord runFromQuery(const QSqlQuery& q)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.meta.modelPath = q.value(1).toString();
    r.meta.modelArch = q.value(2).toString();
    r.meta.parameters = nlohmann::json::parse(q.value(3).toString().toStdString(), nullptr, false);
    if (!r.meta.parameters.is_object())
        r.meta.parameters = nlohmann::json::object(); // unreadable: treated as no parameters
    if (const auto names = r.meta.parameters.find("class_names"); names != r.meta.parameters.end()) {
        if (names->is_array())
            for (const auto& name : *names)
                r.meta.classNames << QString::fromStdString(name.is_string() ? name.get<std::string>() : std::string());
        r.meta.parameters.erase(names);
    }
    r.meta.appVersion = q.value(4).toString();
    r.meta.grid = gridFromJson(nlohmann::json::parse(q.value(5).toString().toStdString()));
    r.meta.mergeMode = q.value(6).toString() == QLatin1String("reference") ? MergeMode::Reference : MergeMode::Complete;
    r.meta.patchesTotal = q.value(7).toInt();
    r.started = QDateTime::fromString(q.value(8).toString(), Qt::ISODateWithMs);
    if (!q.value(9).isNull())
        r.finished = QDateTime::fromString(q.value(9).toString(), Qt::ISODateWithMs);
    r.status = statusFromName(q.value(10).toString());
    r.patchesFinished = q.value(11).toInt();
    return r;
}

} // namespace

std::vector<RunRecord> ProjectStore::runs() const
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    if (!q.exec(QString::fromLatin1(runColumns) + QStringLiteral("ORDER BY id")))
        fail(QStringLiteral("cannot list runs"), q.lastError().text());
    std::vector<RunRecord> out;
    try {
        while (q.next())
            out.push_back(runFromQuery(q));
    } catch (const nlohmann::json::exception& e) {
        fail(QStringLiteral("a run's grid is unreadable"), QString::fromUtf8(e.what()));
    }
    return out;
}

std::optional<RunRecord> ProjectStore::run(int64_t id) const
{
    requireOwnerThread();
    for (auto& r : runs())
        if (r.id == id)
            return r;
    return std::nullopt;
}

std::optional<RunRecord> ProjectStore::lastRun() const
{
    requireOwnerThread();
    auto all = runs();
    if (all.empty())
        return std::nullopt;
    return all.back();
}

std::optional<RunRecord> ProjectStore::latestRunWithParameters(const nlohmann::json& parameters) const
{
    requireOwnerThread();
    auto all = runs();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->meta.parameters == parameters)
            return *it;
    return std::nullopt;
}

std::optional<RunRecord> ProjectStore::unfinishedRun() const
{
    requireOwnerThread();
    auto all = runs();
    for (auto it = all.rbegin(); it != all.rend(); ++it)
        if (it->status == RunStatus::Running)
            return *it;
    return std::nullopt;
}

std::vector<PatchSpec> ProjectStore::finishedPatches(int64_t run) const
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "SELECT patch_row, patch_col, origin_x, origin_y FROM patches WHERE run = ? ORDER BY patch_row, patch_col"));
    q.addBindValue(QVariant::fromValue<qlonglong>(run));
    if (!q.exec())
        fail(QStringLiteral("cannot list the patches of run %1").arg(run), q.lastError().text());
    std::vector<PatchSpec> out;
    while (q.next())
        out.push_back({ q.value(0).toInt(), q.value(1).toInt(), q.value(2).toLongLong(), q.value(3).toLongLong() });
    return out;
}

void ProjectStore::loadPatches(int64_t run, const std::function<void(PatchResult&&)>& sink) const
{
    requireOwnerThread();
    QSqlQuery p(m_db);
    p.prepare(QStringLiteral("SELECT patch_row, patch_col, origin_x, origin_y, embedding_dim FROM patches "
                             "WHERE run = ? ORDER BY patch_row, patch_col"));
    p.addBindValue(QVariant::fromValue<qlonglong>(run));
    if (!p.exec())
        fail(QStringLiteral("cannot list the patches of run %1").arg(run), p.lastError().text());
    std::vector<std::pair<PatchSpec, int>> patches;
    while (p.next())
        patches.push_back(
            { { p.value(0).toInt(), p.value(1).toInt(), p.value(2).toLongLong(), p.value(3).toLongLong() },
                p.value(4).toInt() });

    QSqlQuery c(m_db);
    c.setForwardOnly(true);
    c.prepare(QStringLiteral("SELECT cell_id, centroid_x, centroid_y, rmin, cmin, rmax, cmax, contour, type, "
                             "type_prob, embedding FROM cells WHERE run = ? AND patch_row = ? AND patch_col = ? "
                             "ORDER BY ordinal"));
    for (const auto& [spec, dim] : patches) {
        c.addBindValue(QVariant::fromValue<qlonglong>(run));
        c.addBindValue(spec.row);
        c.addBindValue(spec.col);
        if (!c.exec())
            fail(QStringLiteral("cannot read the cells of patch (%1, %2)").arg(spec.row).arg(spec.col),
                c.lastError().text());
        PatchResult r;
        r.patch = spec;
        r.embeddingDim = dim;
        while (c.next()) {
            Cell cell;
            cell.id = c.value(0).toInt();
            cell.centroid = { c.value(1).toDouble(), c.value(2).toDouble() };
            cell.rmin = c.value(3).toInt();
            cell.cmin = c.value(4).toInt();
            cell.rmax = c.value(5).toInt();
            cell.cmax = c.value(6).toInt();
            cell.contour = contourFromBlob(c.value(7).toByteArray());
            cell.type = c.value(8).toInt();
            cell.typeProb = c.value(9).toDouble();
            if (dim > 0) {
                const QByteArray e = c.value(10).toByteArray();
                if (e.size() != dim * static_cast<int>(sizeof(float)))
                    fail(QStringLiteral("patch (%1, %2) has a damaged embedding").arg(spec.row).arg(spec.col),
                        QStringLiteral("%1 bytes for dimension %2").arg(e.size()).arg(dim));
                const size_t at = r.embeddings.size();
                r.embeddings.resize(at + static_cast<size_t>(dim));
                std::memcpy(r.embeddings.data() + at, e.constData(), static_cast<size_t>(e.size()));
            }
            r.cells.push_back(std::move(cell));
        }
        c.finish();
        sink(std::move(r));
    }
}

std::vector<SlideCell> ProjectStore::loadCells(int64_t runId) const
{
    requireOwnerThread();
    const auto record = run(runId);
    if (!record)
        fail(QStringLiteral("cannot load cells"), QStringLiteral("no run %1").arg(runId));
    std::vector<SlideCell> cells;
    SlideCellMerger merger(
        record->meta.grid, record->meta.mergeMode, [&](SlideCell&& c) { cells.push_back(std::move(c)); });
    // Embeddings wait with their patch until the merge has chosen the survivors (as in slide_run.cpp).
    std::map<PatchIndex, std::map<int, std::vector<float>>> embeddings;
    loadPatches(runId, [&](PatchResult&& r) {
        merger.addPatch(r.patch.index(), r.cells);
        if (r.embeddingDim <= 0)
            return;
        auto& byId = embeddings[r.patch.index()];
        const auto dim = static_cast<size_t>(r.embeddingDim);
        for (size_t i = 0; i < r.cells.size(); ++i)
            byId[r.cells[i].id].assign(r.embeddings.begin() + static_cast<std::ptrdiff_t>(i * dim),
                r.embeddings.begin() + static_cast<std::ptrdiff_t>((i + 1) * dim));
    });
    merger.finish();
    std::sort(
        cells.begin(), cells.end(), [](const SlideCell& a, const SlideCell& b) { return a.sequence < b.sequence; });
    for (auto& c : cells) {
        const auto patch = embeddings.find(c.patch);
        if (patch == embeddings.end())
            continue;
        const auto e = patch->second.find(c.patchCellId);
        if (e != patch->second.end())
            c.embedding = std::move(e->second);
    }
    return cells;
}

std::vector<StoredRegion> ProjectStore::saveRegions(const std::vector<StoredRegion>& regions)
{
    requireOwnerThread();
    if (!m_db.transaction())
        fail(QStringLiteral("cannot start a transaction"), m_db.lastError().text());
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("DELETE FROM regions"))) {
        const QString error = q.lastError().text();
        m_db.rollback();
        fail(QStringLiteral("cannot replace the regions"), error);
    }
    std::vector<StoredRegion> saved;
    for (const auto& region : regions) {
        q.prepare(region.id > 0 ? QStringLiteral("INSERT INTO regions (id, name, geometry) VALUES (?, ?, ?)")
                                : QStringLiteral("INSERT INTO regions (name, geometry) VALUES (?, ?)"));
        if (region.id > 0)
            q.addBindValue(QVariant::fromValue<qlonglong>(region.id));
        q.addBindValue(region.name);
        q.addBindValue(QString::fromStdString(region.geometry.dump()));
        if (!q.exec()) {
            const QString error = q.lastError().text();
            m_db.rollback();
            fail(QStringLiteral("cannot save region \"%1\"").arg(region.name), error);
        }
        StoredRegion s = region;
        s.id = q.lastInsertId().toLongLong();
        saved.push_back(std::move(s));
    }
    if (!m_db.commit()) {
        const QString error = m_db.lastError().text();
        m_db.rollback();
        fail(QStringLiteral("cannot commit the regions"), error);
    }
    return saved;
}

std::vector<StoredRegion> ProjectStore::loadRegions() const
{
    requireOwnerThread();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT id, name, geometry FROM regions ORDER BY id")))
        fail(QStringLiteral("cannot read the regions"), q.lastError().text());
    std::vector<StoredRegion> out;
    while (q.next()) {
        StoredRegion r;
        r.id = q.value(0).toLongLong();
        r.name = q.value(1).toString();
        r.geometry = nlohmann::json::parse(q.value(2).toString().toStdString(), nullptr, false);
        if (r.geometry.is_discarded())
            fail(
                QStringLiteral("region \"%1\" has an unreadable geometry").arg(r.name), QStringLiteral("invalid JSON"));
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace cellvit
