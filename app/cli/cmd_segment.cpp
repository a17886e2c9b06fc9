// cellvit-cli segment: a slide (or a region of it) → merged cells, GeoJSON for QuPath, the official
// cells.json / cell_detection.json, and one embedding per cell.
#include "app/cli/command_parser.h"
#include "app/cli/command_registry.h"
#include "app/cli/model_options.h"
#include "app/cli/segment_engine.h"
#include "app/cli/segment_overlay.h"
#include "app/cli/region_options.h"
#include "app/cli/terminal_progress.h"
#include "inference/export/geojson_writer.h"
#include "inference/export/official_json_writer.h"
#include "inference/export/stain_contrast_colors.h"
#include "inference/pipeline/slide_run.h"
#include "inference/slide/mpp_resolution.h"
#include "inference/store/slide_identity.h"
#include "inference/store/store_slide_run.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <atomic>
#include <csignal>
#include <map>
#include <optional>

namespace cellvit::cli {
namespace {

std::atomic<bool> g_interrupted { false };
void onInterrupt(int) { g_interrupted = true; }

nlohmann::json fileIdentity(const std::filesystem::path& path)
{
    const QFileInfo info(QString::fromStdString(path.string()));
    return { { "path", info.absoluteFilePath().toStdString() }, { "size", info.size() },
             { "mtime", info.lastModified().toMSecsSinceEpoch() } };
}

// The output folder's project store (named as the app names a slide's store, recording the slide and the region),
// and the run to continue: the newest one made with the same parameters, finished or not (a finished one is
// replayed whole). A resolution given with --mpp is recorded as the slide's declared one, so the desktop app
// opening the folder measures and runs at it too.
StoreRunOptions segmentStoreOptions(const std::filesystem::path& slidePath, const std::filesystem::path& outDir,
    const SegmentEngine& engine, const nlohmann::json& parameters, std::optional<double> declaredMpp)
{
    const auto store = ProjectStore::openForSlide(slidePath, outDir);
    if (declaredMpp)
        store->setDeclaredMpp(declaredMpp);
    // The region becomes the project's regions (GeoJSON polygons, as the app stores them) when it has none yet, so
    // the app shows what was segmented; a user's later edits in the app are not overwritten by a rerun.
    const nlohmann::json& rings = parameters.at("regions");
    if (!rings.empty() && store->loadRegions().empty()) {
        std::vector<StoredRegion> regions;
        for (const auto& ring : rings) {
            nlohmann::json closed = ring;
            closed.push_back(ring.front());
            regions.push_back({ 0, QStringLiteral("cellvit-cli region %1").arg(regions.size() + 1),
                { { "type", "Polygon" }, { "coordinates", nlohmann::json::array({ closed }) } } });
        }
        store->saveRegions(regions);
    }
    StoreRunOptions options;
    options.storeFile = store->path();
    if (const auto previous = store->latestRunWithParameters(parameters))
        options.resumeRun = previous->id;
    options.meta.modelPath = QString::fromStdString(engine.key.value("path", std::string()));
    options.meta.modelArch = QString::fromStdString(engine.model ? engine.spec.arch : std::string("classic"));
    for (const auto& name : engine.spec.nucleiTypeNames)
        options.meta.classNames << QString::fromStdString(name);
    options.meta.appVersion = QStringLiteral(CELLVIT_VERSION);
    options.meta.parameters = parameters;
    return options;
}

int runSegment(const QStringList& args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Segments and classifies the nuclei of a slide (any OpenSlide format, or a PNG/JPEG/TIFF image with --mpp) "
        "or of a region of it, and writes DIR/cells.geojson (QuPath), DIR/cells.json, DIR/cell_detection.json "
        "(official CellViT structures) and DIR/embeddings.npy (one row per cell, in cells.json order). "
        "Every finished patch is kept in the folder's project store (DIR/<slide id>.cellvit.sqlite, the desktop "
        "app's File > Open Results Folder opens it): an interrupted or killed run resumes when the same command "
        "runs again."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("SLIDE"), QStringLiteral("Slide or image file."));
    addModelOptions(parser);
    addEngineOptions(parser);
    addOverlayOptions(parser);
    addRegionOptions(parser);
    const QCommandLineOption outOption(QStringLiteral("out"), QStringLiteral("Output folder (created)."),
                                       QStringLiteral("DIR"));
    const QCommandLineOption mppOption(QStringLiteral("mpp"),
                                       QStringLiteral("µm per level-0 pixel: declares it where the file has none, "
                                                      "overrides it otherwise."),
                                       QStringLiteral("X"));
    const QCommandLineOption batchOption(QStringLiteral("batch"),
                                         QStringLiteral("Patches per forward pass, or auto: the most whose estimated "
                                                        "memory fits in the free (GPU or host) memory, up to 32."),
                                         QStringLiteral("N"), QStringLiteral("auto"));
    const QCommandLineOption fp16Option(QStringLiteral("fp16"), QStringLiteral("Half precision (CUDA)."));
    const QCommandLineOption workersOption(QStringLiteral("postproc-threads"),
                                           QStringLiteral("Post-processing threads."), QStringLiteral("N"),
                                           QStringLiteral("1"));
    const QCommandLineOption allPatchesOption(QStringLiteral("no-tissue-filter"),
                                              QStringLiteral("Run every patch, also background."));
    const QCommandLineOption mergeOption(QStringLiteral("merge"),
                                         QStringLiteral("Overlap merge: complete (every nucleus once, default) or "
                                                        "reference (the official OverlapCellCleaner)."),
                                         QStringLiteral("MODE"), QStringLiteral("complete"));
    const QCommandLineOption embeddingsFp16Option(QStringLiteral("embeddings-fp16"),
                                                  QStringLiteral("Write embeddings.npy as float16 (half the size)."));
    const QCommandLineOption postprocMagnificationOption(QStringLiteral("postproc-magnification"),
        QStringLiteral("Magnification the HoVer-Net maps are post-processed at: model (default: the model's own, "
                       "as the official code does) or 40 (a x20 model's maps upsampled 2x and post-processed with "
                       "the x40 constants: finds more small, crowded nuclei; splits more when the maps are noisy)."),
        QStringLiteral("M"), QStringLiteral("model"));
    const QCommandLineOption flipAveragingOption(QStringLiteral("tta"),
        QStringLiteral("Test-time flips: the network also sees each patch mirrored three ways and its maps are "
                       "averaged (HoVer-Net decoders; four times the network time)."));
    parser.addOptions({ outOption, mppOption, batchOption, fp16Option, workersOption, allPatchesOption, mergeOption,
                        embeddingsFp16Option, postprocMagnificationOption, flipAveragingOption });
    if (const auto exitCode = parseCommandLine(parser, args))
        return *exitCode;
    if (parser.positionalArguments().size() != 1 || !parser.isSet(outOption))
        return reportUsageError(parser, args, QStringLiteral("SLIDE and --out are required"));

    std::optional<double> mppOverride;
    if (parser.isSet(mppOption)) {
        bool ok = false;
        mppOverride = parser.value(mppOption).toDouble(&ok);
        if (!ok || !(*mppOverride > 0))
            return reportUsageError(parser, args, QStringLiteral("--mpp must be a positive number"));
    }
    SlideRunRequest request;
    bool ok = false;
    if (parser.value(batchOption) == QLatin1String("auto")) {
        request.segmenter.batchSize = 0; // chosen once the model is loaded and the patches are known
    } else {
        request.segmenter.batchSize = parser.value(batchOption).toInt(&ok);
        if (!ok || request.segmenter.batchSize < 1)
            return reportUsageError(parser, args, QStringLiteral("--batch must be a positive integer or auto"));
    }
    request.segmenter.postprocThreads = parser.value(workersOption).toInt(&ok);
    if (!ok || request.segmenter.postprocThreads < 1)
        return reportUsageError(parser, args, QStringLiteral("--postproc-threads must be a positive integer"));
    const QString merge = parser.value(mergeOption);
    if (merge != QLatin1String("complete") && merge != QLatin1String("reference"))
        return reportUsageError(parser, args, QStringLiteral("--merge must be complete or reference"));
    request.mergeMode = merge == QLatin1String("reference") ? MergeMode::Reference : MergeMode::Complete;
    request.skipBackground = !parser.isSet(allPatchesOption);
    request.flipAveraging = parser.isSet(flipAveragingOption);
    const QString postprocMagnification = parser.value(postprocMagnificationOption);
    if (postprocMagnification != QLatin1String("model")) {
        request.postprocMagnification = postprocMagnification.toInt(&ok);
        if (!ok || (request.postprocMagnification != 20 && request.postprocMagnification != 40))
            return reportUsageError(parser, args, QStringLiteral("--postproc-magnification must be model, 20 or 40"));
    }

    const std::filesystem::path slidePath = parser.positionalArguments().front().toStdString();
    const auto slide = openSlide(slidePath, { mppOverride });
    request.slide = slide.get();
    request.slideMpp = resolveMpp(*slide, mppOverride);
    request.region = regionFromOptions(parser);
    // The network (--model or the default bundled one) or the classic detector (--engine classic).
    const SegmentEngine engine = makeSegmentEngine(parser, request.slideMpp, parser.isSet(fp16Option));
    request.model = engine.model.get();
    request.predictor = engine.predictor.get();
    request.spec = &engine.spec;

    const std::filesystem::path outDir = parser.value(outOption).toStdString();
    std::filesystem::create_directories(outDir);
    // Embeddings wait on disk, not in RAM, until embeddings.npy is written in the final cell order.
    request.embeddingSpill = outDir / ".cellvit-embeddings.tmp";
    request.embeddingPrecision = parser.isSet(embeddingsFp16Option) ? EmbeddingPrecision::Float16 : EmbeddingPrecision::Float32;
    // What decides the result: a run in the store with exactly these parameters is continued, not redone.
    // "regions" has the app's layout (rings of [x, y]), so the app shows the outlines the run was made for.
    nlohmann::json parameters = { { "format", 2 },
                                        { "slide", fileIdentity(slidePath) },
                                        { "model", engine.key },
                                        { "mpp", request.slideMpp },
                                        { "regions", regionKey(request.region) },
                                        { "tissue_filter", request.skipBackground },
                                        { "merge", merge.toStdString() },
                                        { "precision", parser.value(QStringLiteral("precision")).toStdString() + (parser.isSet(fp16Option) ? "+fp16" : "") } };
    if (request.postprocMagnification != 0) // only when set, so runs stored before the option still resume
        parameters["postproc_magnification"] = request.postprocMagnification;
    if (request.flipAveraging)
        parameters["tta"] = "flips";
    const StoreRunOptions storeOptions = segmentStoreOptions(slidePath, outDir, engine, parameters, mppOverride);

    QTextStream out(stdout);
    out << "slide " << QString::fromStdString(slidePath.filename().string()) << ": "
        << QString::number(request.slideMpp, 'f', 4) << " µm/px; " << QString::fromStdString(engine.description) << Qt::endl;

    g_interrupted = false;
    const auto previous = std::signal(SIGINT, onInterrupt);
    TerminalProgress bar;
    SlideRunResult result = runSlideSegmentationIntoStore(request, storeOptions,
        [&](const SegmentProgress& p) { bar.update(p); }, &g_interrupted).run;
    std::signal(SIGINT, previous);
    bar.finish();

    const ModelSpec& spec = engine.spec;
    std::map<int, std::string> names;
    for (size_t i = 0; i < spec.nucleiTypeNames.size(); ++i)
        names[static_cast<int>(i)] = spec.nucleiTypeNames[i];
    GeoJsonExportOptions geo;
    geo.taxonomy = withExportColors(CellTaxonomy(names));
    geo.micronsPerPixel = request.slideMpp;
    OfficialJsonOptions official;
    official.taxonomy = geo.taxonomy;
    official.metadata.origNTilesCols = result.plan.gridCols;
    official.metadata.origNTilesRows = result.plan.gridRows;
    official.metadata.baseMpp = request.slideMpp;
    official.metadata.targetPatchMpp = request.slideMpp * result.plan.scale();
    official.metadata.magnification = spec.magnification;
    official.metadata.baseMagnification = slide->objectivePower().value_or(spec.magnification);
    official.metadata.downsampling = result.plan.scale();
    official.metadata.level = result.plan.readLevel;

    const auto geoSummary = writeCellsGeoJson(outDir / "cells.geojson", result.cells, geo);
    writeOfficialCellsJson(outDir / "cells.json", result.cells, official);
    writeOfficialCellDetectionJson(outDir / "cell_detection.json", result.cells, official);
    if (const auto overlay = overlayPathFromOptions(parser, outDir))
        writeSegmentOverlay(*overlay, *slide, request.region, result.cells, geo.taxonomy);
    if (result.spilledEmbeddings && result.spilledEmbeddings->dim() > 0)
        result.spilledEmbeddings->writeNpy(outDir / "embeddings.npy", result.cells);

    std::map<int, size_t> perClass;
    for (const auto& c : result.cells)
        ++perClass[c.type];
    const size_t patches = result.patchesRun + result.patchesResumed;
    out << result.cells.size() << " cells from " << patches << (patches == 1 ? " patch" : " patches");
    if (result.patchesResumed > 0)
        out << " (" << result.patchesResumed << " resumed from an earlier run)";
    out << " in " << QString::number(result.seconds, 'f', 1) << " s ("
        << QString::number(result.patchesRun / std::max(1e-9, result.seconds), 'f', 2) << " patches/s)\n";
    out << "  batch " << result.batchSize;
    if (result.autoBatch) {
        const BatchChoice& b = *result.autoBatch;
        out << " (auto: ~" << QString::number(b.bytesPerPatch / 1e9, 'f', 2) << " GB per patch, "
            << (b.freeBytes > 0 ? QString::number(b.freeBytes / 1e9, 'f', 1) + QStringLiteral(" GB free ") : QString())
            << QString::fromStdString(b.memorySource) << ")";
    }
    out << "\n";
    for (const auto& [type, count] : perClass) {
        out << "  " << QString::fromStdString(geo.taxonomy.classOf(type).name).leftJustified(16) << count << " ("
            << QString::number(100.0 * count / std::max<size_t>(1, result.cells.size()), 'f', 1) << " %)\n";
    }
    if (geoSummary.skippedDegenerate > 0)
        out << "  " << geoSummary.skippedDegenerate << " degenerate contours left out of cells.geojson\n";
    out << "outputs in " << QString::fromStdString(outDir.string()) << Qt::endl;
    if (!result.complete) {
        QTextStream(stderr) << "cellvit-cli: interrupted; the outputs hold the finished patches. Run the same command "
                               "again to resume."
                            << Qt::endl;
        return 130;
    }
    return kExitOk;
}

const CommandRegistrar registrar(QStringLiteral("segment"),
                                 { QStringLiteral("Segment a slide or region: GeoJSON, cells.json, embeddings"), runSegment });

} // namespace
} // namespace cellvit::cli
