#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_loader.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/folder_metadata.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/geojson_reader.h"

namespace cellvit {
namespace {

metrics::ClassTable defaultClassTable()
{
    std::vector<metrics::NucleusClass> classes;
    const auto& names = defaultNucleusTypeNames();
    for (size_t id = 1; id < names.size(); ++id)
        classes.push_back({ static_cast<int>(id), names[id] });
    return metrics::ClassTable(classes);
}

std::filesystem::path imageFor(const std::filesystem::path& geojson)
{
    for (const char* ext : { ".tif", ".tiff", ".png", ".bmp", ".jpg", ".TIF", ".TIFF", ".PNG", ".BMP", ".JPG" }) {
        std::filesystem::path candidate = geojson;
        candidate.replace_extension(ext);
        if (std::filesystem::is_regular_file(candidate))
            return candidate;
    }
    throw DatasetError(geojson, "no image next to it (same name with .tif, .png, .bmp or .jpg)");
}

} // namespace

std::vector<TrainingSample> readGeoJsonFolder(
    const std::filesystem::path& folder, double targetMpp, std::vector<std::string>* typeNames)
{
    const auto files = filesWithExtensions(folder, { ".geojson" });
    if (files.empty())
        throw DatasetError(folder, "no .geojson annotations found");
    const double mpp = folderMpp(folder, 0.25);
    metrics::ClassTable classes = defaultClassTable();

    std::vector<TrainingSample> samples;
    for (const auto& file : files) {
        const std::filesystem::path imageFile = imageFor(file);
        const metrics::PolygonAnnotation annotation = metrics::readGeoJson(file, classes);
        cv::Mat rgb = readRgbImage(imageFile);
        TrainingSample sample = unlabelledSample(imageFile.string(), rgb, mpp, 255, annotation.hasTypes ? 255 : 0);
        sample.instanceMap = metrics::rasterise(annotation, rgb.size(), metrics::PolygonFill::PixelCentres);
        if (annotation.hasTypes) {
            // Instance k+1 has the class of Feature k; unclassified nuclei are left out of NT supervision.
            for (int y = 0; y < rgb.rows; ++y) {
                const int* id = sample.instanceMap.ptr<int>(y);
                int* type = sample.typeMap.ptr<int>(y);
                uchar* valid = sample.typeMask.ptr<uchar>(y);
                for (int x = 0; x < rgb.cols; ++x) {
                    if (id[x] == 0)
                        continue;
                    type[x] = annotation.instances[static_cast<size_t>(id[x] - 1)].type;
                    if (type[x] == 0)
                        valid[x] = 0;
                }
            }
        }
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    if (typeNames) {
        typeNames->assign(1, defaultNucleusTypeNames().front());
        for (const auto& c : classes.classes())
            typeNames->push_back(c.name); // ids are consecutive from 1: defaults, then appended names
    }
    return samples;
}

} // namespace cellvit
