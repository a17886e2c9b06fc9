// loadSafetensors on arbitrary bytes: header length, JSON header, metadata, dtype/shape/offset checks.
// Only CheckpointError naming the file may escape.

#include "fuzz/fuzz_input_file.h"
#include "model_zoo/safetensors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static cellvit::fuzz::FuzzInputFile file(".safetensors");
    try {
        (void)cellvit::loadSafetensors(file.write(data, size));
    } catch (const cellvit::CheckpointError& e) {
        file.expectNamed(e.what());
    }
    return 0;
}
