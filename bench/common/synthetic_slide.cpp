#include "bench/common/synthetic_slide.h"

#include "inference/targets/hv_target.h"

#include <opencv2/imgproc.hpp>

namespace cellvit::bench {

namespace {

uint32_t hash(int64_t a, int64_t b)
{
    uint64_t h = static_cast<uint64_t>(a) * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(b) + 0x632BE59BD9B4E019ull);
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return static_cast<uint32_t>(h);
}

} // namespace

SyntheticSlide::SyntheticSlide(int64_t side)
    : m_levels { { side, side, 1.0 } }
{
}

cv::Mat SyntheticSlide::readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const
{
    checkRegionRequest(level, w, h);
    // Eosin-pink tissue with a faint texture; the lattice predictor does not look at it.
    cv::Mat rgb(static_cast<int>(h), static_cast<int>(w), CV_8UC3, cv::Scalar(226, 160, 190));
    for (int y = 0; y < rgb.rows; y += 7)
        rgb.row(y).setTo(cv::Scalar(200, 130, 170 + int((y0 + x0) % 20)));
    return rgb;
}

LatticePredictor::LatticePredictor(int tokenDim, int64_t slideSide)
    : m_dim(tokenDim)
    , m_slideSide(slideSide)
{
}

std::vector<PatchPrediction> LatticePredictor::predict(
    const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const
{
    constexpr int kSpacing = kLatticeSpacing;
    std::vector<PatchPrediction> out;
    for (size_t i = 0; i < rgb.size(); ++i) {
        const int side = rgb[i].rows;
        const int64_t ox = patches[i].originX, oy = patches[i].originY;
        cv::Mat labels(side, side, CV_32S, cv::Scalar(0));
        cv::Mat types(side, side, CV_8U, cv::Scalar(0));
        int id = 0;
        const int64_t gx0 = (ox - kSpacing) / kSpacing - 1, gy0 = (oy - kSpacing) / kSpacing - 1;
        for (int64_t gy = gy0; gy * kSpacing < oy + side + kSpacing; ++gy) {
            for (int64_t gx = gx0; gx * kSpacing < ox + side + kSpacing; ++gx) {
                if (gx < 0 || gy < 0 || (gx + 1) * kSpacing > m_slideSide || (gy + 1) * kSpacing > m_slideSide)
                    continue;
                const uint32_t r = hash(gx, gy);
                // Nucleus in slide coordinates: jittered centre, radii 6–11 px, any orientation.
                const double cx = double(gx * kSpacing + kSpacing / 2 + int(r % 9) - 4 - ox);
                const double cy = double(gy * kSpacing + kSpacing / 2 + int((r >> 4) % 9) - 4 - oy);
                const cv::Size axes(6 + int((r >> 8) % 6), 6 + int((r >> 12) % 4));
                if (cx + 12 < 0 || cy + 12 < 0 || cx - 12 >= side || cy - 12 >= side)
                    continue;
                ++id;
                const double angle = double((r >> 16) % 180);
                cv::ellipse(labels, cv::Point(int(cx), int(cy)), axes, angle, 0, 360, cv::Scalar(id), cv::FILLED);
                cv::ellipse(types, cv::Point(int(cx), int(cy)), axes, angle, 0, 360, cv::Scalar(1 + int((r >> 24) % 5)),
                    cv::FILLED);
            }
        }
        PatchPrediction p;
        p.npArgmax = labels > 0;
        p.npArgmax /= 255;
        p.typeArgmax = types;
        const HvTarget hv = instanceHvTarget(labels);
        p.hx = hv.x;
        p.hy = hv.y;
        p.tokenDim = m_dim;
        p.tokenRows = p.tokenCols = side / 16;
        p.tokens.resize(size_t(m_dim) * size_t(p.tokenRows * p.tokenCols));
        const float base = float(patches[i].row * 1000 + patches[i].col);
        for (size_t k = 0; k < p.tokens.size(); ++k)
            p.tokens[k] = base + float(k % 977) * 1e-3f;
        out.push_back(std::move(p));
    }
    return out;
}

SlideRunRequest syntheticRunRequest(const SyntheticSlide& slide, const CellVitModel& model,
    const PatchPredictor& predictor, int batchSize, int postprocThreads)
{
    SlideRunRequest request;
    request.slide = &slide;
    request.slideMpp = *slide.mppX();
    request.model = &model;
    request.predictor = &predictor;
    request.skipBackground = false;
    request.onePatchForSmallSlide = false; // 1024² patches of the reference grid, also for a one-patch slide
    request.segmenter.batchSize = batchSize;
    request.segmenter.postprocThreads = postprocThreads;
    return request;
}

} // namespace cellvit::bench
