// Aperio ImageScope XML (MoNuSeg ground truth). Only AnnotationError naming the file may escape.

#include "fuzz/fuzz_input_file.h"
#include "inference/metrics/annotation_error.h"
#include "inference/metrics/imagescope_xml_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static cellvit::fuzz::FuzzInputFile file(".xml");
    try {
        (void)cellvit::metrics::readImageScopeXml(file.write(data, size));
    } catch (const cellvit::metrics::AnnotationError& e) {
        file.expectNamed(e.what());
    }
    return 0;
}
