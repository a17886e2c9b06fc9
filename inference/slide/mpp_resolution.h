#pragma once
// Where a slide's resolution (µm per level-0 pixel) comes from; resolveMpp() in slide_source.h uses this.

#include "inference/slide/slide_source.h"

#include <map>
#include <optional>
#include <string>

namespace cellvit {

// Coarsest resolution the models can use (the reference rejects anything above, cellvit-facts §2.6).
constexpr double kMaxUsableMpp = 0.75;

struct DeclaredMpp {
    double mpp = 0.0;
    std::string source; // the property it came from, e.g. "openslide.mpp-x"
};

// The `MPP = 0.499` field of an Aperio `openslide.comment` ("...|MPP = 0.4990|..."), as the
// reference's regex finds it. nullopt when absent or not a positive number.
std::optional<double> parseCommentMpp(const std::string& comment);

// µm/px from tiff.XResolution with tiff.ResolutionUnit (centimeter: 10000/XRes, inch or absent —
// the TIFF default — 25400/XRes). Our addition to the reference's order, for generic TIFFs.
std::optional<double> mppFromTiffResolution(const std::map<std::string, std::string>& properties);

// What the file itself declares, in the reference's order (openslide.mpp-x, then the comment),
// then the TIFF resolution tags. No range check; nullopt when nothing is declared.
std::optional<DeclaredMpp> declaredMpp(const SlideSource& slide);

} // namespace cellvit
