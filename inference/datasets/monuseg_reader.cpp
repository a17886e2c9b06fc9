#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/sample_io.h"
#include "inference/metrics/imagescope_xml_reader.h"

namespace cellvit {

std::vector<TrainingSample> readMonuseg(const std::filesystem::path& folder, double targetMpp)
{
    if (!std::filesystem::is_directory(folder))
        throw DatasetError(folder, "MoNuSeg folder does not exist");
    std::filesystem::path imageDir = folder / "Tissue_Images";
    if (!std::filesystem::is_directory(imageDir) && std::filesystem::is_directory(folder / "Tissue Images"))
        imageDir = folder / "Tissue Images"; // the name in the challenge's own zip
    const std::filesystem::path annotationDir = folder / "Annotations";
    if (!std::filesystem::is_directory(imageDir))
        throw DatasetError(imageDir, "MoNuSeg image folder does not exist");
    if (!std::filesystem::is_directory(annotationDir))
        throw DatasetError(annotationDir, "MoNuSeg annotation folder does not exist");

    const auto images = filesWithExtensions(imageDir, { ".tif", ".tiff", ".png" });
    if (images.empty())
        throw DatasetError(imageDir, "no MoNuSeg images (*.tif) found");

    std::vector<TrainingSample> samples;
    for (const auto& imageFile : images) {
        const std::filesystem::path xmlFile = annotationDir / (imageFile.stem().string() + ".xml");
        if (!std::filesystem::is_regular_file(xmlFile))
            throw DatasetError(xmlFile, "annotation missing for image " + imageFile.filename().string());
        const metrics::ImageScopeAnnotation annotation = metrics::readImageScopeXml(xmlFile);
        cv::Mat rgb = readRgbImage(imageFile);
        // MoNuSeg is x40; one training XML lacks the attribute.
        const double mpp = annotation.micronsPerPixel.value_or(0.25);
        TrainingSample sample = unlabelledSample(imageFile.string(), rgb, mpp, 255, 0);
        sample.instanceMap = metrics::rasterise(annotation.polygons, rgb.size(), metrics::PolygonFill::PixelCentres);
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    return samples;
}

} // namespace cellvit
