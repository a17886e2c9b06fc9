// QuPath GeoJSON import (regions and detections) from memory: streaming SAX parser, feature walker and the
// per-feature rules. Bad features become issues; only ExportError naming the source may escape.

#include "inference/export/export_error.h"
#include "inference/export/geojson_reader.h"

#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static const std::string source = "fuzz-input.geojson";
    try {
        const cellvit::GeoJsonImport result
            = cellvit::parseGeoJsonText(std::string_view(reinterpret_cast<const char*>(data), size), source);
        for (const cellvit::GeoJsonIssue& issue : result.issues)
            (void)cellvit::describeIssue(issue);
    } catch (const cellvit::ExportError& e) {
        if (std::string(e.what()).rfind(source, 0) != 0) {
            std::fprintf(stderr, "error message does not name the source: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
