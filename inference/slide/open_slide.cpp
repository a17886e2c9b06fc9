// openSlide(): picks the reader for a path and turns every way of failing into a SlideError.
#include "inference/slide/image_source.h"
#include "inference/slide/openslide_source.h"

#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <openslide.h>
#include <system_error>

namespace cellvit {

namespace {

void checkIsReadableFile(const std::filesystem::path& path)
{
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        throw SlideError(path.string() + ": no such file");
    if (std::filesystem::is_directory(status))
        throw SlideError(path.string() + ": is a directory, not a slide file");
    if (!std::filesystem::is_regular_file(status))
        throw SlideError(path.string() + ": not a regular file");
    if (std::filesystem::file_size(path, ec) == 0 && !ec)
        throw SlideError(path.string() + ": the file is empty (0 bytes)");
    if (!std::ifstream(path, std::ios::binary))
        throw SlideError(path.string() + ": cannot be opened for reading (permissions?)");
}

// By content, not by extension: a PNG renamed .svs still opens as the PNG it is.
bool openCvRecognises(const std::filesystem::path& path)
{
    try {
        return cv::haveImageReader(path.string());
    } catch (const cv::Exception&) {
        return false;
    }
}

} // namespace

std::unique_ptr<SlideSource> openSlide(const std::filesystem::path& path, const SlideOpenOptions& options)
{
    checkIsReadableFile(path);
    // A stripped (untiled) TIFF is refused by OpenSlide's generic-tiff and falls through to OpenCV.
    if (openslide_detect_vendor(path.c_str()))
        return std::make_unique<OpenSlideSource>(path, options.mppOverride);
    if (openCvRecognises(path)) {
        try {
            return std::make_unique<ImageSource>(path, options.mppOverride);
        } catch (const SlideError& e) {
            throw SlideError(std::string(e.what()) + "; OpenSlide does not recognise it as a slide either");
        }
    }
    throw SlideError(path.string() + ": not a slide or image OpenSlide/OpenCV can read");
}

} // namespace cellvit
