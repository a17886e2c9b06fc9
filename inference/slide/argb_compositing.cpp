#include "inference/slide/argb_compositing.h"

#include <algorithm>
#include <charconv>

namespace cellvit {

std::optional<cv::Vec3b> parseHexColor(std::string_view text)
{
    if (!text.empty() && text.front() == '#')
        text.remove_prefix(1);
    if (text.size() != 6)
        return std::nullopt;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 16);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return cv::Vec3b(static_cast<uchar>(value >> 16), static_cast<uchar>(value >> 8), static_cast<uchar>(value));
}

namespace {

// openslide-python's argb2rgba: integer division, no rounding (clamped: a damaged pixel may
// carry a channel above its alpha).
inline unsigned unpremultiply(unsigned channel, unsigned alpha)
{
    return std::min(255u, 255u * channel / alpha);
}

// PIL's BLEND/DIV255 used by Image.paste(im, mask): rounds (a*mask + b*(255-mask)) / 255.
inline uchar blend(unsigned foreground, unsigned background, unsigned alpha)
{
    const unsigned tmp = foreground * alpha + background * (255u - alpha) + 128u;
    return static_cast<uchar>(((tmp >> 8) + tmp) >> 8);
}

} // namespace

cv::Mat compositeArgbToRgb(const uint32_t* argb, int width, int height, cv::Vec3b background)
{
    cv::Mat rgb(height, width, CV_8UC3);
    for (int y = 0; y < height; ++y) {
        const uint32_t* in = argb + static_cast<size_t>(y) * width;
        auto* out = rgb.ptr<cv::Vec3b>(y);
        for (int x = 0; x < width; ++x) {
            const uint32_t p = in[x];
            const unsigned a = p >> 24;
            if (a == 255) { // the common case: opaque tissue
                out[x] = cv::Vec3b(static_cast<uchar>(p >> 16), static_cast<uchar>(p >> 8), static_cast<uchar>(p));
            } else if (a == 0) {
                out[x] = background;
            } else {
                const unsigned r = unpremultiply((p >> 16) & 0xff, a);
                const unsigned g = unpremultiply((p >> 8) & 0xff, a);
                const unsigned b = unpremultiply(p & 0xff, a);
                out[x] = cv::Vec3b(blend(r, background[0], a), blend(g, background[1], a), blend(b, background[2], a));
            }
        }
    }
    return rgb;
}

} // namespace cellvit
