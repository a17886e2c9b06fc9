#include "inference/datasets/dataset_error.h"
#include "inference/datasets/dataset_readers.h"
#include "inference/datasets/folder_metadata.h"
#include "inference/datasets/label_arrays.h"
#include "inference/datasets/sample_io.h"

namespace cellvit {
namespace {

// PanNuke ids (1 Neoplastic, 2 Inflammatory, 3 Connective, 4 Dead, 5 Epithelial) in defaultNucleusTypeNames()
// (1 Epithelial, 2 Inflammatory, 3 Connective, 4 Other): neoplastic cells of these carcinomas are epithelial,
// dead cells fall under other.
constexpr int kPanNukeToDefault[] = { 0, 1, 2, 3, 4, 1 };

} // namespace

std::vector<TrainingSample> readPanNukeFolder(const std::filesystem::path& folder, double targetMpp)
{
    if (!std::filesystem::is_directory(folder))
        throw DatasetError(folder, "PanNuke folder does not exist");
    const auto images = filesWithExtensions(folder / "images", { ".png", ".tif", ".tiff", ".jpg", ".bmp" });
    if (images.empty())
        throw DatasetError(folder / "images", "no PanNuke images found");
    const double mpp = folderMpp(folder, 0.25);
    const auto tissues = folderTissues(folder);

    std::vector<TrainingSample> samples;
    for (const auto& imageFile : images) {
        const std::string name = imageFile.stem().string();
        cv::Mat rgb = readRgbImage(imageFile);
        const std::filesystem::path typesFile = folder / "types" / (name + ".npy");
        const bool typed = std::filesystem::exists(typesFile);
        TrainingSample sample = unlabelledSample(imageFile.string(), rgb, mpp, 255, typed ? 255 : 0);
        sample.instanceMap = readLabelNpy(folder / "instances" / (name + ".npy"), rgb.size());
        if (typed) {
            cv::Mat types = readLabelNpy(typesFile, rgb.size());
            for (int y = 0; y < types.rows; ++y) {
                int* row = types.ptr<int>(y);
                for (int x = 0; x < types.cols; ++x) {
                    if (row[x] > 5)
                        throw DatasetError(
                            typesFile, "type " + std::to_string(row[x]) + " is not a PanNuke class (0..5)");
                    row[x] = kPanNukeToDefault[row[x]];
                }
            }
            sample.typeMap = types;
        }
        if (const auto tissue = tissues.find(name); tissue != tissues.end())
            sample.tissueClass = tissue->second;
        samples.push_back(rescaledToMpp(std::move(sample), targetMpp));
    }
    return samples;
}

} // namespace cellvit
