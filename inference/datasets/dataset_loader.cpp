#include "inference/datasets/dataset_loader.h"

#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/metrics/nucleus_classes.h"

namespace cellvit {

const std::vector<std::string>& defaultNucleusTypeNames()
{
    // One taxonomy for both class-labelled sets (CoNSeP, CRCHistoPhenotypes) in QuPath-style names. Connective =
    // spindle-shaped nuclei (fibroblast, smooth muscle, endothelium). The ids keep the reference colour table's
    // red / green / blue / yellow (cell_classes.cpp), which stand out against haematoxylin and eosin.
    // The classes are metrics' defaultTaxonomyClasses(), so that evaluation scores the same ids and names.
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n { "Background" };
        for (const auto& c : metrics::defaultTaxonomyClasses())
            n.push_back(c.name); // ids 1, 2, ... in order
        return n;
    }();
    return names;
}

std::vector<TrainingSample> loadDataset(const DatasetRequest& request)
{
    std::vector<std::string> typeNames;
    return loadDataset(request, typeNames);
}

std::vector<TrainingSample> loadDataset(const DatasetRequest& request, std::vector<std::string>& typeNames)
{
    typeNames = defaultNucleusTypeNames();
    if (request.targetMpp <= 0.0)
        throw DatasetError(
            request.path, "target resolution must be positive, got " + std::to_string(request.targetMpp));
    const std::filesystem::path folder(request.path);
    std::vector<TrainingSample> samples;
    if (request.kind == "monuseg")
        samples = readMonuseg(folder, request.targetMpp);
    else if (request.kind == "cpm15")
        samples = readCpm15(folder, request.targetMpp);
    else if (request.kind == "crchistophenotypes")
        samples = readCrcHistoPhenotypes(folder, request.targetMpp);
    else if (request.kind == "pannuke")
        samples = readPanNukeFolder(folder, request.targetMpp);
    else if (request.kind == "consep")
        samples = readConsepPatches(folder, request.targetMpp);
    else if (request.kind == "geojson")
        samples = readGeoJsonFolder(folder, request.targetMpp, &typeNames);
    else
        throw DatasetError(folder,
            "unknown dataset kind '" + request.kind + "' (monuseg, cpm15, crchistophenotypes, consep, pannuke, geojson)");
    if (samples.empty())
        throw DatasetError(folder, "no samples found for dataset kind " + request.kind);
    return samples;
}

} // namespace cellvit
