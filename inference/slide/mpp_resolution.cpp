#include "inference/slide/mpp_resolution.h"

#include "inference/slide/slide_properties.h"

#include <cmath>
#include <regex>
#include <sstream>

namespace cellvit {

std::optional<double> parseCommentMpp(const std::string& comment)
{
    // Aperio separates fields with '|'; the reference searches for "MPP = <number>".
    static const std::regex pattern(R"((?:^|[|\s;])MPP\s*=\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?))");
    std::smatch match;
    if (!std::regex_search(comment, match, pattern))
        return std::nullopt;
    const auto value = parseNumber(match[1].str());
    if (!value || *value <= 0.0)
        return std::nullopt;
    return value;
}

std::optional<double> mppFromTiffResolution(const std::map<std::string, std::string>& properties)
{
    const auto xResolution = numberProperty(properties, "tiff.XResolution"); // pixels per unit
    if (!xResolution || *xResolution <= 0.0)
        return std::nullopt;
    const auto unit = properties.find("tiff.ResolutionUnit");
    const std::string unitName = unit == properties.end() ? "inch" : unit->second;
    if (unitName == "centimeter")
        return 1.0e4 / *xResolution;
    if (unitName == "inch")
        return 25.4e3 / *xResolution;
    return std::nullopt; // "none": the numbers are an aspect ratio, not a size
}

std::optional<DeclaredMpp> declaredMpp(const SlideSource& slide)
{
    const auto& properties = slide.properties();
    if (const auto mpp = numberProperty(properties, "openslide.mpp-x"); mpp && *mpp > 0.0)
        return DeclaredMpp { *mpp, "openslide.mpp-x" };
    if (const auto comment = properties.find("openslide.comment"); comment != properties.end()) {
        if (const auto mpp = parseCommentMpp(comment->second))
            return DeclaredMpp { *mpp, "MPP in openslide.comment" };
    }
    if (const auto mpp = mppFromTiffResolution(properties))
        return DeclaredMpp { *mpp, "tiff.XResolution" };
    return std::nullopt;
}

namespace {

// The resolution the slide was opened with (SlideOpenOptions::mppOverride, e.g. the desktop app's Set Image
// Resolution): mppX() reports it while declaredMpp() reads only the file, so it shows as an mppX() that the file
// does not declare. nullopt when the two agree or the source knows no resolution.
std::optional<double> openedWithMpp(const SlideSource& slide, const std::optional<DeclaredMpp>& fromFile)
{
    const std::optional<double> mpp = slide.mppX();
    if (!mpp || (fromFile && fromFile->mpp == *mpp))
        return std::nullopt;
    return mpp;
}

} // namespace

double resolveMpp(const SlideSource& slide, std::optional<double> overrideMpp)
{
    const std::string file = slide.path().string();
    const std::optional<DeclaredMpp> declared = declaredMpp(slide);
    DeclaredMpp resolved;
    if (overrideMpp) {
        resolved = { *overrideMpp, "the --mpp override" };
    } else if (const auto openedWith = openedWithMpp(slide, declared)) {
        resolved = { *openedWith, "the resolution the slide was opened with" };
    } else if (declared) {
        resolved = *declared;
    } else {
        throw SlideError(file + ": the slide has no resolution metadata; pass --mpp");
    }
    std::ostringstream value;
    value << resolved.mpp;
    if (!std::isfinite(resolved.mpp) || resolved.mpp <= 0.0)
        throw SlideError(file + ": invalid resolution " + value.str() + " µm/px (from " + resolved.source + ")");
    if (resolved.mpp > kMaxUsableMpp)
        throw SlideError(file + ": resolution " + value.str() + " µm/px (from " + resolved.source
            + ") is coarser than 0.75 µm/px; the models need about 0.25 (x40) or 0.5 (x20)."
            + (overrideMpp ? "" : " If the metadata is wrong, pass --mpp"));
    return resolved.mpp;
}

} // namespace cellvit
