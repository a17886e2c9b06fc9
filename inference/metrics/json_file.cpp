#include "inference/metrics/json_file.h"

#include "inference/metrics/annotation_error.h"

#include <fstream>

namespace cellvit::metrics {

nlohmann::json readJsonFile(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw AnnotationError(file, "cannot open for reading");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw AnnotationError(file, std::string("invalid JSON: ") + e.what());
    }
}

cv::Point2d jsonPoint(const nlohmann::json& value, const std::filesystem::path& file, const std::string& what)
{
    if (!value.is_array() || value.size() < 2 || !value[0].is_number() || !value[1].is_number())
        throw AnnotationError(file, what + " is not an [x, y] pair");
    return { value[0].get<double>(), value[1].get<double>() };
}

} // namespace cellvit::metrics
