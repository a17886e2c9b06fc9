#include "viewer/tile_pyramid.h"

#include "inference/slide/slide_source.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

namespace cellvit {

namespace {

// A gap between two slide levels wider than this gets factor-2 synthetic levels in between, so a
// zoom never draws from a level more than ~2.5× finer than the screen (bounded tile count).
constexpr double kMaxLevelGap = 2.5;
// Largest source block read at once for a synthetic tile (pixels a side), bounding memory per read.
constexpr int kMaxSourceBlock = 2048;

DisplayLevel makeLevel(const SlideSource& slide, double downsample, int tileSize)
{
    DisplayLevel level;
    level.downsample = downsample;
    level.sourceLevel = slide.bestLevelForDownsample(downsample);
    const SlideLevel& source = slide.levels()[static_cast<size_t>(level.sourceLevel)];
    level.synthetic = std::abs(source.downsample - downsample) > 1e-9 * downsample;
    if (level.synthetic) {
        const SlideLevel& base = slide.levels().front();
        level.width = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(double(base.width) / downsample)));
        level.height = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(double(base.height) / downsample)));
    } else {
        level.width = source.width;
        level.height = source.height;
    }
    level.columns = static_cast<int>((level.width + tileSize - 1) / tileSize);
    level.rows = static_cast<int>((level.height + tileSize - 1) / tileSize);
    return level;
}

} // namespace

TilePyramid::TilePyramid(const SlideSource& slide, int tileSize, int overviewSide)
    : m_tileSize(std::max(16, tileSize))
{
    const auto& levels = slide.levels();
    if (levels.empty())
        return;
    m_width = levels.front().width;
    m_height = levels.front().height;

    std::vector<double> downsamples { levels.front().downsample };
    for (size_t i = 1; i < levels.size(); ++i) {
        while (levels[i].downsample / downsamples.back() > kMaxLevelGap)
            downsamples.push_back(downsamples.back() * 2.0);
        if (levels[i].downsample > downsamples.back())
            downsamples.push_back(levels[i].downsample);
    }
    const double longSide = double(std::max(m_width, m_height));
    while (longSide / downsamples.back() > std::max(16, overviewSide))
        downsamples.push_back(downsamples.back() * 2.0);

    for (double downsample : downsamples)
        m_levels.push_back(makeLevel(slide, downsample, m_tileSize));
}

std::vector<double> TilePyramid::downsamples() const
{
    std::vector<double> result;
    for (const auto& level : m_levels)
        result.push_back(level.downsample);
    return result;
}

bool TilePyramid::isValid(const TileKey& key) const
{
    if (key.level < 0 || key.level >= levelCount())
        return false;
    const DisplayLevel& l = level(key.level);
    return key.col >= 0 && key.row >= 0 && key.col < l.columns && key.row < l.rows;
}

QSize TilePyramid::tilePixelSize(const TileKey& key) const
{
    if (!isValid(key))
        return {};
    const DisplayLevel& l = level(key.level);
    const int64_t x = int64_t(key.col) * m_tileSize;
    const int64_t y = int64_t(key.row) * m_tileSize;
    return { static_cast<int>(std::min<int64_t>(m_tileSize, l.width - x)),
        static_cast<int>(std::min<int64_t>(m_tileSize, l.height - y)) };
}

QRectF TilePyramid::tileRectLevel0(const TileKey& key) const
{
    const QSize size = tilePixelSize(key);
    if (size.isEmpty())
        return {};
    const double ds = level(key.level).downsample;
    const double x0 = double(key.col) * m_tileSize * ds;
    const double y0 = double(key.row) * m_tileSize * ds;
    const double x1 = std::min(double(m_width), x0 + size.width() * ds);
    const double y1 = std::min(double(m_height), y0 + size.height() * ds);
    return QRectF(QPointF(x0, y0), QPointF(x1, y1));
}

std::vector<TileKey> TilePyramid::tilesIntersecting(int levelIndex, const QRectF& level0Rect) const
{
    std::vector<TileKey> keys;
    if (levelIndex < 0 || levelIndex >= levelCount() || level0Rect.isEmpty())
        return keys;
    const DisplayLevel& l = level(levelIndex);
    const double span = m_tileSize * l.downsample; // level-0 pixels per tile
    const int c0 = std::max(0, static_cast<int>(std::floor(level0Rect.left() / span)));
    const int r0 = std::max(0, static_cast<int>(std::floor(level0Rect.top() / span)));
    const int c1 = std::min(l.columns - 1, static_cast<int>(std::floor(level0Rect.right() / span)));
    const int r1 = std::min(l.rows - 1, static_cast<int>(std::floor(level0Rect.bottom() / span)));
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
            keys.push_back({ levelIndex, c, r });
    return keys;
}

QImage readTile(const SlideSource& slide, const TilePyramid& pyramid, const TileKey& key)
{
    const QSize size = pyramid.tilePixelSize(key);
    if (size.isEmpty())
        throw SlideError(slide.path().string() + ": tile (" + std::to_string(key.level) + ", " + std::to_string(key.col)
            + ", " + std::to_string(key.row) + ") is outside the pyramid");
    const DisplayLevel& level = pyramid.level(key.level);
    const double sourceDownsample = slide.levels()[static_cast<size_t>(level.sourceLevel)].downsample;
    const double relative = level.downsample / sourceDownsample; // source pixels per tile pixel
    const QRectF area = pyramid.tileRectLevel0(key);

    cv::Mat rgb;
    if (!level.synthetic) {
        rgb = slide.readRegion(
            level.sourceLevel, int64_t(area.left()), int64_t(area.top()), size.width(), size.height());
    } else {
        rgb.create(size.height(), size.width(), CV_8UC3);
        const int block = std::max(1, static_cast<int>(kMaxSourceBlock / relative));
        for (int by = 0; by < size.height(); by += block) {
            for (int bx = 0; bx < size.width(); bx += block) {
                const int bw = std::min(block, size.width() - bx);
                const int bh = std::min(block, size.height() - by);
                const auto x0 = static_cast<int64_t>(std::llround(area.left() + bx * level.downsample));
                const auto y0 = static_cast<int64_t>(std::llround(area.top() + by * level.downsample));
                const auto sw = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(bw * relative)));
                const auto sh = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(bh * relative)));
                const cv::Mat source = slide.readRegion(level.sourceLevel, x0, y0, sw, sh);
                cv::Mat target = rgb(cv::Rect(bx, by, bw, bh));
                cv::resize(source, target, target.size(), 0, 0, relative > 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
            }
        }
    }
    if (rgb.type() != CV_8UC3 || rgb.cols != size.width() || rgb.rows != size.height())
        throw SlideError(slide.path().string() + ": tile read returned an unexpected image");
    const QImage view(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step), QImage::Format_RGB888);
    return view.convertToFormat(QImage::Format_RGB32); // deep copy: independent of the cv::Mat
}

} // namespace cellvit
