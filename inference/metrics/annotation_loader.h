#pragma once
// Loads ground truth or predictions in any supported format and turns them into evaluation inputs.
// Formats by extension: .xml ImageScope, .npy / .png / .tif(f) instance maps, .txt CPM-15 mask,
// .geojson GeoJSON, .json cells.json (or GeoJSON, recognised by its content), .mat CoNSeP patch labels
// (type_mat/<patch>.mat with its inst/<patch>.npy, see consep_labels.h).

#include "inference/metrics/image_evaluation.h"
#include "inference/metrics/nucleus_classes.h"
#include "inference/metrics/polygon_annotation.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cellvit::metrics {

enum class AnnotationFormat { ImageScopeXml, NpyMap, ImageMap, CpmMask, CellsJson, GeoJson, ConsepMat };

std::string formatName(AnnotationFormat format);

// Throws AnnotationError for unsupported extensions.
AnnotationFormat detectFormat(const std::filesystem::path& file);

struct LoadedAnnotation {
    std::filesystem::path file;
    AnnotationFormat format = AnnotationFormat::NpyMap;
    cv::Mat labels; // CV_32S; empty for polygons until rasterised
    std::optional<PolygonAnnotation> polygons; // polygon sources
    std::map<int, int> typeById; // instance id -> class (polygon sources with classes)
    bool hasTypes = false;
};

LoadedAnnotation loadAnnotation(const std::filesystem::path& file, ClassTable& classes);

// The classes to score against `groundTruth` (a file): CoNSeP labels are in the default model's taxonomy
// (defaultTaxonomyTable(), which also takes PanNuke's and the stage-3 model's names), everything else starts from
// PanNuke's classes.
ClassTable classTableFor(const std::filesystem::path& groundTruth);

// Size of a raster source; nullopt for polygons.
std::optional<cv::Size> rasterSize(const LoadedAnnotation& a);

// Rasterises polygon sources at the given size (no-op for rasters). ImageScope/GeoJSON use the
// skimage pixel-centre convention of the reference's ground truth; cells.json contours are OpenCV
// boundary traces and are filled with their boundary.
void rasteriseAt(LoadedAnnotation& a, cv::Size size);

EvaluationInput asGroundTruth(const LoadedAnnotation& a);
// cells.json is a cell list with its own centroids; other sources are maps (predictionInputFromMap).
EvaluationInput asPrediction(const LoadedAnnotation& a);

// Evaluates one image pair. The rasterisation size is `size` when given, else that of a raster
// side (ground truth first), else the extent of all polygons.
ImageMetrics evaluateFiles(const std::filesystem::path& predFile, const std::filesystem::path& gtFile,
    const EvaluationSettings& settings, ClassTable& classes, std::optional<cv::Size> size = std::nullopt);

// Key that pairs a prediction with its ground truth: the file stem without suffixes such as _mask,
// _gt, _pred, _cells, _instances; for <name>/cells.json (the pipeline's output layout) the folder name.
std::string annotationKey(const std::filesystem::path& file);

struct FilePair {
    std::string key;
    std::filesystem::path pred;
    std::filesystem::path gt;
};

struct FolderPairing {
    std::vector<FilePair> pairs; // sorted by key
    std::vector<std::filesystem::path> unmatchedPred;
    std::vector<std::filesystem::path> unmatchedGt;
};

// Supported files in each folder (and <sub>/cells.json one level down), paired by annotationKey.
// When a .png/.tif shares its key with another format, the image is taken for the tissue image and
// skipped. Throws AnnotationError when two other files of one folder share a key.
FolderPairing pairFolders(const std::filesystem::path& predDir, const std::filesystem::path& gtDir);

} // namespace cellvit::metrics
