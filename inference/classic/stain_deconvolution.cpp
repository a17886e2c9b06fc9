#include "inference/classic/stain_deconvolution.h"

#include <cmath>
#include <opencv2/core.hpp>
#include <stdexcept>

namespace cellvit::classic {
namespace {

using Vector = std::array<double, 3>;

Vector normalised(const Vector& v)
{
    const double n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    if (!(n > 0))
        throw std::invalid_argument("stain deconvolution: a stain vector is zero");
    return { v[0] / n, v[1] / n, v[2] / n };
}

Vector cross(const Vector& a, const Vector& b)
{
    return { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
}

} // namespace

StainVectors StainVectors::haematoxylinEosin()
{
    StainVectors v;
    v.stains = { { { 0.650, 0.704, 0.286 }, { 0.072, 0.990, 0.105 }, { 0, 0, 0 } } };
    return v;
}

StainVectors StainVectors::haematoxylinDab()
{
    StainVectors v;
    v.stains = { { { 0.650, 0.704, 0.286 }, { 0.268, 0.570, 0.776 }, { 0, 0, 0 } } };
    return v;
}

cv::Mat stainDensity(const cv::Mat& rgb, const StainVectors& vectors, int index)
{
    if (rgb.empty() || rgb.type() != CV_8UC3)
        throw std::invalid_argument("stain deconvolution: expected a non-empty 8-bit RGB image");
    if (index < 0 || index > 2)
        throw std::invalid_argument("stain deconvolution: stain index must be 0, 1 or 2");
    const Vector s0 = normalised(vectors.stains[0]);
    const Vector s1 = normalised(vectors.stains[1]);
    const Vector& r = vectors.stains[2];
    const Vector s2 = (r[0] == 0 && r[1] == 0 && r[2] == 0) ? normalised(cross(s0, s1)) : normalised(r);
    // Rows of M are the stains; OD = c · M, so the concentrations are c = OD · M⁻¹.
    const cv::Matx33d m(s0[0], s0[1], s0[2], s1[0], s1[1], s1[2], s2[0], s2[1], s2[2]);
    const cv::Matx33d inverse = m.inv();
    if (!std::isfinite(inverse(0, 0)))
        throw std::invalid_argument("stain deconvolution: the stain vectors are not independent");
    const float w0 = static_cast<float>(inverse(0, index)), w1 = static_cast<float>(inverse(1, index)),
                w2 = static_cast<float>(inverse(2, index));

    float od[256];
    for (int i = 0; i < 256; ++i)
        od[i] = static_cast<float>(-std::log10((i + 1) / 256.0));
    cv::Mat density(rgb.size(), CV_32F);
    for (int y = 0; y < rgb.rows; ++y) {
        const auto* in = rgb.ptr<cv::Vec3b>(y);
        auto* out = density.ptr<float>(y);
        for (int x = 0; x < rgb.cols; ++x)
            out[x] = od[in[x][0]] * w0 + od[in[x][1]] * w1 + od[in[x][2]] * w2;
    }
    return density;
}

} // namespace cellvit::classic
