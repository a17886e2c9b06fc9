#pragma once
// JSON -> GeoJsonFeature, applying QuPath's import rules (anchors §1.1). A rule QuPath would abort the whole
// import for is thrown here as GeoJsonFeatureError, so the reader can report that one feature and go on.

#include "model_zoo/cellvit_error.h"
#include "inference/export/geojson_feature.h"

#include <nlohmann/json_fwd.hpp>
#include <stdexcept>

namespace cellvit {

class GeoJsonFeatureError : public Error {
public:
    using Error::Error;
};

// Which rules a feature must follow. QuPath's (the default: files imported into the viewer behave as in QuPath), or
// those of annotation files scored by `evaluate`: CellViT's own export has classifications without a colour, and
// ground-truth files carry features without geometry (skipped there, kept with an empty geometry here).
struct GeoJsonRules {
    bool classNeedsColor = true;
    bool featureNeedsGeometry = true;
};
inline constexpr GeoJsonRules kQuPathRules {};
inline constexpr GeoJsonRules kAnnotationRules { false, false };

// A GeoJSON geometry object (type + coordinates, optional isEllipse). Throws GeoJsonFeatureError.
GeoJsonGeometry parseGeoJsonGeometry(const nlohmann::json& geometry);
// A Feature object without its children. Throws GeoJsonFeatureError.
GeoJsonFeature parseGeoJsonFeature(const nlohmann::json& feature, const GeoJsonRules& rules = kQuPathRules);

} // namespace cellvit
