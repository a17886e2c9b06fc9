#pragma once
// One reader per supported dataset layout (loadDataset dispatches on DatasetRequest::kind). Each returns the
// folder's samples sorted by file name, resampled to targetMpp, and throws DatasetError (or metrics'
// AnnotationError) naming the file and the problem; a folder without samples is an error. targetMpp <= 0
// keeps every image at its native resolution (loadDataset requires a positive target).

#include "inference/datasets/training_sample.h"

#include <filesystem>
#include <string>
#include <vector>

namespace cellvit {

// MoNuSeg: <folder>/Tissue_Images/<id>.tif (or "Tissue Images") + <folder>/Annotations/<id>.xml (ImageScope).
// Polygons are rasterised by pixel centres (the convention of the reference's MoNuSeg ground truth), later
// regions over earlier ones; instance id = region index + 1. mpp = XML MicronsPerPixel, else 0.25 (x40).
// No classes: NT is unsupervised (typeMask 0), NP/HV fully supervised (segmentationMask 255).
std::vector<TrainingSample> readMonuseg(const std::filesystem::path& folder, double targetMpp);

// CPM-15: <folder>/imageXX.png + imageXX_mask.txt. Images 01-07 are x20 (0.5 µm/px), 08-15 x40 (0.25).
// A mask whose declared size differs from its image is paired with the unused mask of that size instead
// (image04/05 are swapped in the public copy). No classes.
std::vector<TrainingSample> readCpm15(const std::filesystem::path& folder, double targetMpp);

// Weak labels of the CRCHistoPhenotypes point annotations (see readCrcHistoPhenotypes).
struct CrcWeakLabelOptions {
    double diskRadiusPx20 = 4.0; // class disk radius around a classified point, in x20 pixels
    bool labelFarBackground = true; // supervise NT background far from every detection point
    double backgroundDistancePx20 = 12.0; // "far", in x20 pixels
    double nativeMpp = 0.5; // the paper gives ~0.55; treated as x20 = 0.5 (see the .cpp)
};

// CRCHistoPhenotypes: <folder>/imgN/imgN.bmp + imgN_detection.mat + imgN_{epithelial,inflammatory,fibroblast,
// others}.mat. Points only: segmentationMask 0 (no NP/HV supervision), typeMap = disks of class 1..4
// (epithelial, inflammatory, fibroblast -> Connective, others -> Other) around the classified points, typeMask 255 on those disks
// and (labelFarBackground) on pixels farther than backgroundDistance from every detection point (class 0).
std::vector<TrainingSample> readCrcHistoPhenotypes(
    const std::filesystem::path& folder, double targetMpp, const CrcWeakLabelOptions& options = {});

// CoNSeP patches (shared data PROVENANCE §6): <folder>/images/<name>.jpg + inst/<name>.npy (H×W instance map,
// ids of the original image) + type_mat/<name>.mat (inst_type N×1, one row per instance of the patch in
// ascending id order). CoNSeP's 1 other, 2 inflammatory, 3 epithelial, 4 spindle-shaped become Other,
// Inflammatory, Epithelial, Connective. Fully labelled (both masks 255), mpp 0.25 (x40). `image` is the
// original image a patch was cut from ("train_3" for train_3_005), so that holdout takes whole images.
std::vector<TrainingSample> readConsepPatches(const std::filesystem::path& folder, double targetMpp);

// Folder of PanNuke-style patches: <folder>/images/<name>.png + <folder>/instances/<name>.npy (H×W integer
// instance map) + <folder>/types/<name>.npy (H×W integer class map, PanNuke ids 1..5; optional: without it
// NT is unsupervised). PanNuke ids are mapped to defaultNucleusTypeNames(): Neoplastic and Epithelial ->
// Epithelial, Inflammatory -> Inflammatory, Connective -> Connective, Dead -> Other. Optional
// <folder>/tissues.csv with lines "<name>,<tissue index>" (a header line that does not parse as an index is
// skipped; names without a line get tissue 0). Optional <folder>/mpp.txt holding one number (default 0.25).
std::vector<TrainingSample> readPanNukeFolder(const std::filesystem::path& folder, double targetMpp);

// Folder of <name>.(tif|tiff|png|bmp|jpg) + <name>.geojson (QuPath FeatureCollection; one nucleus per
// Feature). Classification names map to defaultNucleusTypeNames() (case-insensitive); unknown names are
// appended in order of appearance (their ids are shared by all files of the folder). Unclassified nuclei keep
// type 0 and are left out of NT supervision; a file without any classification leaves NT unsupervised.
// Optional <folder>/mpp.txt (default 0.25). typeNames (optional) receives the folder's taxonomy: the defaults
// followed by the appended names, index = type id.
std::vector<TrainingSample> readGeoJsonFolder(
    const std::filesystem::path& folder, double targetMpp, std::vector<std::string>* typeNames = nullptr);

} // namespace cellvit
