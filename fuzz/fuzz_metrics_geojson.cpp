// Ground-truth GeoJSON of `cellvit-cli evaluate` (QuPath FeatureCollection or CellViT's per-class list).
// Only AnnotationError naming the file may escape.

#include "fuzz/fuzz_input_file.h"
#include "inference/metrics/annotation_error.h"
#include "inference/metrics/geojson_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static cellvit::fuzz::FuzzInputFile file(".geojson");
    try {
        cellvit::metrics::ClassTable classes;
        (void)cellvit::metrics::readGeoJson(file.write(data, size), classes);
    } catch (const cellvit::metrics::AnnotationError& e) {
        file.expectNamed(e.what());
    }
    return 0;
}
