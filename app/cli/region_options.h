#pragma once
// --region x,y,w,h and --roi ROI.geojson: the part of the slide to segment (level-0 pixels).

#include "inference/pipeline/region.h"

#include <QCommandLineParser>
#include <nlohmann/json.hpp>

namespace cellvit::cli {

void addRegionOptions(QCommandLineParser& parser);
// Empty region = whole slide. Throws std::invalid_argument on malformed values or a GeoJSON without polygons.
RegionOfInterest regionFromOptions(const QCommandLineParser& parser);
// The region as rings of [x, y] (level-0 pixels): the key of a run in the project store, in the layout the app stores its regions in.
nlohmann::json regionKey(const RegionOfInterest& region);

} // namespace cellvit::cli
