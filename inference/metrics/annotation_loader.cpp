#include "inference/metrics/annotation_loader.h"

#include "inference/metrics/annotation_error.h"
#include "inference/metrics/cells_json_reader.h"
#include "inference/metrics/consep_labels.h"
#include "inference/metrics/cpm_mask_reader.h"
#include "inference/metrics/geojson_reader.h"
#include "inference/metrics/imagescope_xml_reader.h"
#include "inference/metrics/instance_centroids.h"
#include "inference/metrics/instance_map_reader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace cellvit::metrics {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// A .json file is GeoJSON when its start mentions a Feature type (cheap sniff, no full parse).
bool looksLikeGeoJson(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string head(4096, '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<size_t>(in.gcount()));
    head.erase(std::remove_if(head.begin(), head.end(), [](unsigned char c) { return std::isspace(c); }), head.end());
    return head.find("\"type\":\"FeatureCollection\"") != std::string::npos
        || head.find("\"type\":\"Feature\"") != std::string::npos;
}

std::map<int, int> typesOf(const PolygonAnnotation& polygons)
{
    std::map<int, int> types;
    if (!polygons.hasTypes)
        return types;
    for (size_t k = 0; k < polygons.instances.size(); ++k)
        types[static_cast<int>(k) + 1] = polygons.instances[k].type;
    return types;
}

// A CPM-15 mask starts with "width height"; other .txt files in a folder (READMEs) are not masks.
bool looksLikeCpmMask(const fs::path& file)
{
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    std::istringstream header(line);
    long long width = 0, height = 0;
    std::string rest;
    return static_cast<bool>(header >> width >> height) && width > 0 && height > 0 && !(header >> rest);
}

bool supported(const fs::path& file)
{
    try {
        switch (detectFormat(file)) {
        case AnnotationFormat::CpmMask:
            return looksLikeCpmMask(file);
        case AnnotationFormat::ConsepMat: // other .mat files (CRC point labels) have no instance map
            return fs::is_regular_file(consepInstanceMapFor(file));
        default:
            return true;
        }
    } catch (const AnnotationError&) {
        return false;
    }
}

std::map<std::string, fs::path> filesByKey(const fs::path& dir)
{
    if (!fs::is_directory(dir))
        throw AnnotationError(dir, "not a folder");
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.is_regular_file() && supported(entry.path())) {
            files.push_back(entry.path());
        } else if (entry.is_directory()) {
            // The pipeline writes <out>/<slide>/cells.json: prefer it over cells.geojson.
            for (const char* name : { "cells.json", "cells.geojson" }) {
                if (fs::is_regular_file(entry.path() / name)) {
                    files.push_back(entry.path() / name);
                    break;
                }
            }
        }
    }
    std::sort(files.begin(), files.end());
    std::map<std::string, fs::path> byKey;
    for (const fs::path& f : files) {
        const auto [it, inserted] = byKey.emplace(annotationKey(f), f);
        if (inserted)
            continue;
        // Datasets keep the tissue image next to its mask (CPM-15: imageXX.png, imageXX_mask.txt):
        // an image file yields to a dedicated annotation format.
        const bool oldIsImage = detectFormat(it->second) == AnnotationFormat::ImageMap;
        const bool newIsImage = detectFormat(f) == AnnotationFormat::ImageMap;
        if (oldIsImage && !newIsImage)
            it->second = f;
        else if (oldIsImage == newIsImage)
            throw AnnotationError(dir,
                "two files pair as '" + it->first + "': " + it->second.filename().string() + " and "
                    + f.filename().string());
    }
    return byKey;
}

} // namespace

std::string formatName(AnnotationFormat format)
{
    switch (format) {
    case AnnotationFormat::ImageScopeXml:
        return "ImageScope XML";
    case AnnotationFormat::NpyMap:
        return "instance map (.npy)";
    case AnnotationFormat::ImageMap:
        return "instance map (image)";
    case AnnotationFormat::CpmMask:
        return "CPM-15 mask";
    case AnnotationFormat::CellsJson:
        return "cells.json";
    case AnnotationFormat::GeoJson:
        return "GeoJSON";
    case AnnotationFormat::ConsepMat:
        return "CoNSeP labels (.mat + inst/.npy)";
    }
    return "unknown";
}

AnnotationFormat detectFormat(const fs::path& file)
{
    const std::string ext = lower(file.extension().string());
    if (ext == ".xml")
        return AnnotationFormat::ImageScopeXml;
    if (ext == ".npy")
        return AnnotationFormat::NpyMap;
    if (ext == ".png" || ext == ".tif" || ext == ".tiff")
        return AnnotationFormat::ImageMap;
    if (ext == ".txt")
        return AnnotationFormat::CpmMask;
    if (ext == ".geojson")
        return AnnotationFormat::GeoJson;
    if (ext == ".json")
        return looksLikeGeoJson(file) ? AnnotationFormat::GeoJson : AnnotationFormat::CellsJson;
    if (ext == ".mat")
        return AnnotationFormat::ConsepMat;
    throw AnnotationError(file,
        "unsupported annotation format '" + ext + "' (expected .xml, .npy, .png, .tif, .txt, .json, .geojson or .mat)");
}

LoadedAnnotation loadAnnotation(const fs::path& file, ClassTable& classes)
{
    if (!fs::is_regular_file(file))
        throw AnnotationError(file, "file not found");
    LoadedAnnotation a;
    a.file = file;
    a.format = detectFormat(file);
    switch (a.format) {
    case AnnotationFormat::ImageScopeXml:
        a.polygons = readImageScopeXml(file).polygons;
        break;
    case AnnotationFormat::NpyMap:
        a.labels = readInstanceMapNpy(file);
        break;
    case AnnotationFormat::ImageMap:
        a.labels = readInstanceMapImage(file);
        break;
    case AnnotationFormat::CpmMask:
        a.labels = readCpmMask(file);
        break;
    case AnnotationFormat::CellsJson:
        a.polygons = readCellsJson(file, classes);
        break;
    case AnnotationFormat::GeoJson:
        a.polygons = readGeoJson(file, classes);
        break;
    case AnnotationFormat::ConsepMat: {
        const fs::path instances = consepInstanceMapFor(file);
        a.labels = readInstanceMapNpy(instances);
        a.typeById = consepClassById(a.labels, instances, file);
        a.hasTypes = true;
        break;
    }
    }
    if (a.polygons) {
        a.typeById = typesOf(*a.polygons);
        a.hasTypes = a.polygons->hasTypes;
    }
    return a;
}

ClassTable classTableFor(const fs::path& groundTruth)
{
    return detectFormat(groundTruth) == AnnotationFormat::ConsepMat ? defaultTaxonomyTable() : ClassTable();
}

std::optional<cv::Size> rasterSize(const LoadedAnnotation& a)
{
    if (a.polygons)
        return std::nullopt;
    return a.labels.size();
}

void rasteriseAt(LoadedAnnotation& a, cv::Size size)
{
    if (!a.polygons)
        return;
    const PolygonFill fill
        = a.format == AnnotationFormat::CellsJson ? PolygonFill::WithBoundary : PolygonFill::PixelCentres;
    a.labels = rasterise(*a.polygons, size, fill);
}

EvaluationInput asGroundTruth(const LoadedAnnotation& a)
{
    return groundTruthInput(a.labels, a.typeById);
}

EvaluationInput asPrediction(const LoadedAnnotation& a)
{
    const bool cellList = a.format == AnnotationFormat::CellsJson && !a.polygons->instances.empty()
        && std::all_of(a.polygons->instances.begin(), a.polygons->instances.end(),
            [](const PolygonInstance& i) { return i.centroid.has_value(); });
    if (!cellList)
        return predictionInputFromMap(a.labels, a.typeById);
    std::vector<EvaluatedCell> cells;
    for (size_t k = 0; k < a.polygons->instances.size(); ++k) {
        const PolygonInstance& inst = a.polygons->instances[k];
        cells.push_back({ static_cast<int>(k) + 1, *inst.centroid, inst.type });
    }
    return predictionInput(a.labels, std::move(cells), a.hasTypes);
}

ImageMetrics evaluateFiles(const fs::path& predFile, const fs::path& gtFile, const EvaluationSettings& settings,
    ClassTable& classes, std::optional<cv::Size> size)
{
    LoadedAnnotation gt = loadAnnotation(gtFile, classes);
    LoadedAnnotation pred = loadAnnotation(predFile, classes);
    if (!size)
        size = rasterSize(gt);
    if (!size)
        size = rasterSize(pred);
    if (!size) {
        const cv::Size g = polygonExtent(*gt.polygons);
        const cv::Size p = polygonExtent(*pred.polygons);
        size = cv::Size(std::max(g.width, p.width), std::max(g.height, p.height));
    }
    rasteriseAt(gt, *size);
    rasteriseAt(pred, *size);
    if (gt.labels.size() != pred.labels.size())
        throw AnnotationError(predFile,
            "is " + std::to_string(pred.labels.cols) + "x" + std::to_string(pred.labels.rows)
                + " px but its ground truth " + gtFile.string() + " is " + std::to_string(gt.labels.cols) + "x"
                + std::to_string(gt.labels.rows));

    EvaluationSettings s = settings;
    // Class ids beyond PanNuke's (other taxonomies, GeoJSON names) need more channels.
    for (const auto* side : { &gt, &pred }) {
        for (const auto& [id, type] : side->typeById)
            s.numClasses = std::max(s.numClasses, type + 1);
    }
    for (const NucleusClass& c : classes.classes())
        s.numClasses = std::max(s.numClasses, c.id + 1);
    const EvaluationInput predInput = asPrediction(pred);
    for (const EvaluatedCell& c : predInput.cells)
        s.numClasses = std::max(s.numClasses, c.type + 1);

    ImageMetrics m = evaluateImage(asGroundTruth(gt), predInput, s);
    m.name = annotationKey(gtFile);
    return m;
}

std::string annotationKey(const fs::path& file)
{
    const std::string name = lower(file.filename().string());
    if (name == "cells.json" || name == "cells.geojson")
        return file.parent_path().filename().string();
    std::string stem = file.stem().string();
    static const char* const suffixes[] = { "_instance_map", "_instances", "_inst", "_masks", "_mask", "_labels",
        "_label", "_nuclei", "_cells", "_gt", "_pred" };
    bool stripped = true;
    while (stripped) {
        stripped = false;
        for (const char* suffix : suffixes) {
            const std::string s(suffix);
            if (stem.size() > s.size() && lower(stem.substr(stem.size() - s.size())) == s) {
                stem.erase(stem.size() - s.size());
                stripped = true;
            }
        }
    }
    return stem;
}

FolderPairing pairFolders(const fs::path& predDir, const fs::path& gtDir)
{
    const auto preds = filesByKey(predDir);
    const auto gts = filesByKey(gtDir);
    FolderPairing out;
    for (const auto& [key, pred] : preds) {
        const auto it = gts.find(key);
        if (it == gts.end())
            out.unmatchedPred.push_back(pred);
        else
            out.pairs.push_back({ key, pred, it->second });
    }
    for (const auto& [key, gt] : gts) {
        if (!preds.count(key))
            out.unmatchedGt.push_back(gt);
    }
    return out;
}

} // namespace cellvit::metrics
