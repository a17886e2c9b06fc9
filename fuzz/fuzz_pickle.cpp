// The weights-only unpickler alone (data.pkl of a .pth), plus the config conversion the checkpoint reader
// applies to it. Only PickleError (incl. DisallowedGlobalError) may escape; anything else aborts.

#include "model_zoo/pickle_json.h"
#include "model_zoo/pickle_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace cellvit::pickle;
    try {
        const PickleDocument document = parsePickle(data, size);
        const Value& root = document.root();
        if (root.kind == Value::Kind::Dict) {
            if (const Value* config = root.find("config"))
                (void)flattenedConfig(*config);
            (void)flattenedConfig(root);
        }
    } catch (const PickleError&) {
    }
    return 0;
}
