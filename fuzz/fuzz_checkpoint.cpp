// loadCheckpoint on arbitrary bytes: format sniffing, the PyTorch zip container (LibTorch's reader), the
// weights-only unpickler, tensor materialisation and the safetensors reader. Only CheckpointError naming the
// file may escape.

#include "fuzz/fuzz_input_file.h"
#include "model_zoo/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static cellvit::fuzz::FuzzInputFile file(".pth");
    try {
        const cellvit::Checkpoint checkpoint = cellvit::loadCheckpoint(file.write(data, size));
        (void)cellvit::parameterCount(checkpoint);
    } catch (const cellvit::CheckpointError& e) {
        file.expectNamed(e.what());
    }
    return 0;
}
