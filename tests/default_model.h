#pragma once
// The bundled default model, for the tests that mean "whatever model runs when none is given".

#include "model_zoo/model_catalog.h"
#include "test_support.h"

#include <QString>
#include <filesystem>
#include <string>

namespace cellvit::test {

// resources/models/<kDefaultModelName>.safetensors in the source tree.
inline std::filesystem::path bundledDefaultModel()
{
    return sourceDir() / "resources" / "models" / (std::string(cellvit::kDefaultModelName) + ".safetensors");
}

inline QString defaultModelName()
{
    return QString::fromLatin1(cellvit::kDefaultModelName);
}

} // namespace cellvit::test
