#include "inference/slide/openslide_source.h"

#include "inference/slide/argb_compositing.h"
#include "inference/slide/slide_properties.h"

#include <algorithm>
#include <openslide.h>
#include <vector>

namespace cellvit {

void OpenSlideSource::HandleCloser::operator()(_openslide* handle) const
{
    openslide_close(handle);
}

OpenSlideSource::OpenSlideSource(std::filesystem::path path, std::optional<double> mppOverride)
    : m_path(std::move(path))
    , m_mppOverride(mppOverride)
{
    m_handle.reset(openslide_open(m_path.c_str()));
    if (!m_handle)
        throw SlideError(m_path.string() + ": OpenSlide does not recognise this file as a slide");
    throwIfFailed("cannot open the slide");

    const int32_t levelCount = openslide_get_level_count(m_handle.get());
    throwIfFailed("cannot read the level count");
    if (levelCount < 1)
        throw SlideError(m_path.string() + ": the slide has no pyramid levels");
    for (int32_t i = 0; i < levelCount; ++i) {
        SlideLevel level;
        openslide_get_level_dimensions(m_handle.get(), i, &level.width, &level.height);
        level.downsample = openslide_get_level_downsample(m_handle.get(), i);
        throwIfFailed("cannot read the level dimensions");
        m_levels.push_back(level);
    }

    const char* const* names = openslide_get_property_names(m_handle.get());
    throwIfFailed("cannot read the property names");
    for (; names && *names; ++names) {
        const char* value = openslide_get_property_value(m_handle.get(), *names);
        throwIfFailed("cannot read a property");
        m_properties.emplace(*names, value ? value : "");
    }

    const char* const* associated = openslide_get_associated_image_names(m_handle.get());
    throwIfFailed("cannot read the associated image names");
    for (; associated && *associated; ++associated)
        m_associatedImageNames.emplace_back(*associated);

    if (const auto it = m_properties.find(OPENSLIDE_PROPERTY_NAME_VENDOR); it != m_properties.end())
        m_vendor = it->second;
    if (m_vendor.empty()) {
        const char* detected = openslide_detect_vendor(m_path.c_str());
        m_vendor = detected ? detected : "unknown";
    }
    if (const auto it = m_properties.find(OPENSLIDE_PROPERTY_NAME_BACKGROUND_COLOR); it != m_properties.end()) {
        if (const auto colour = parseHexColor(it->second))
            m_background = *colour;
    }
}

OpenSlideSource::~OpenSlideSource() = default;

void OpenSlideSource::throwIfFailed(const char* operation) const
{
    if (const char* error = openslide_get_error(m_handle.get()))
        throw SlideError(m_path.string() + ": " + operation + ": " + error);
}

std::optional<double> OpenSlideSource::mppX() const
{
    return m_mppOverride ? m_mppOverride : numberProperty(m_properties, OPENSLIDE_PROPERTY_NAME_MPP_X);
}

std::optional<double> OpenSlideSource::mppY() const
{
    return m_mppOverride ? m_mppOverride : numberProperty(m_properties, OPENSLIDE_PROPERTY_NAME_MPP_Y);
}

std::optional<double> OpenSlideSource::objectivePower() const
{
    return numberProperty(m_properties, OPENSLIDE_PROPERTY_NAME_OBJECTIVE_POWER);
}

cv::Mat OpenSlideSource::readAssociatedImage(const std::string& name) const
{
    if (std::find(m_associatedImageNames.begin(), m_associatedImageNames.end(), name) == m_associatedImageNames.end())
        throw SlideError(m_path.string() + ": no associated image named '" + name + "'");
    int64_t w = -1, h = -1;
    openslide_get_associated_image_dimensions(m_handle.get(), name.c_str(), &w, &h);
    throwIfFailed("cannot read the associated image size");
    if (w <= 0 || h <= 0 || w * h > kMaxRegionPixels)
        throw SlideError(m_path.string() + ": associated image '" + name + "' has an unusable size");
    std::vector<uint32_t> argb(static_cast<size_t>(w * h));
    openslide_read_associated_image(m_handle.get(), name.c_str(), argb.data());
    throwIfFailed(("cannot read associated image '" + name + "'").c_str());
    return compositeArgbToRgb(argb.data(), static_cast<int>(w), static_cast<int>(h), m_background);
}

cv::Mat OpenSlideSource::readRegion(int level, int64_t x0, int64_t y0, int64_t w, int64_t h) const
{
    checkRegionRequest(level, w, h);
    std::vector<uint32_t> argb(static_cast<size_t>(w * h));
    // OpenSlide handles are thread-safe, so concurrent reads need no lock here.
    openslide_read_region(m_handle.get(), argb.data(), x0, y0, level, w, h);
    throwIfFailed("cannot read a region");
    return compositeArgbToRgb(argb.data(), static_cast<int>(w), static_cast<int>(h), m_background);
}

} // namespace cellvit
