#include "inference/metrics/crc_points_reader.h"

#include "inference/metrics/annotation_error.h"
#include "inference/metrics/mat_matrix_reader.h"

#include <cmath>

namespace cellvit::metrics {

std::vector<cv::Point2d> readMatPoints(const std::filesystem::path& file, const std::string& variable)
{
    const MatMatrix matrix = readMatMatrix(file, variable);
    if (matrix.values.empty())
        return {}; // an image without nuclei of this class: [] in MATLAB (0x0)
    if (matrix.cols != 2)
        throw AnnotationError(file,
            "variable '" + variable + "' is " + std::to_string(matrix.rows) + "x" + std::to_string(matrix.cols)
                + ", expected Nx2 (x, y)");
    std::vector<cv::Point2d> points;
    points.reserve(matrix.rows);
    for (size_t r = 0; r < matrix.rows; ++r) {
        // MATLAB pixels start at 1.
        const double x = matrix.at(r, 0) - 1.0;
        const double y = matrix.at(r, 1) - 1.0;
        if (!std::isfinite(x) || !std::isfinite(y))
            throw AnnotationError(
                file, "variable '" + variable + "': point " + std::to_string(r + 1) + " is not finite");
        points.emplace_back(x, y);
    }
    return points;
}

} // namespace cellvit::metrics
