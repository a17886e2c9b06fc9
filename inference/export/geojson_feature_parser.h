#pragma once
// JSON -> GeoJsonFeature, applying QuPath's import rules (anchors §1.1). A rule QuPath would abort the whole
// import for is thrown here as GeoJsonFeatureError, so the reader can report that one feature and go on.

#include "inference/export/geojson_feature.h"

#include <nlohmann/json_fwd.hpp>
#include <stdexcept>

namespace cellvit {

class GeoJsonFeatureError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A GeoJSON geometry object (type + coordinates, optional isEllipse). Throws GeoJsonFeatureError.
GeoJsonGeometry parseGeoJsonGeometry(const nlohmann::json& geometry);
// A Feature object without its children. Throws GeoJsonFeatureError.
GeoJsonFeature parseGeoJsonFeature(const nlohmann::json& feature);

} // namespace cellvit
