#pragma once
// Converts unpickled config values to JSON (no torch): the trainer's flattened config dict.

#include "model_zoo/pickle_reader.h"

#include <nlohmann/json.hpp>

namespace cellvit::pickle {

// A dict of plain values -> JSON object. Nested dicts are flattened with "." (v1 `flatten_dict`), so an
// unflattened config gives the same keys. None -> null, tuples/lists/sets -> arrays, numpy scalars -> numbers.
// Throws PickleError for tensors or other non-config values, non-string keys at the top, and for structures
// that are cyclic, nested deeper than 32 levels or larger than a million nodes.
nlohmann::json flattenedConfig(const Value& dict);

} // namespace cellvit::pickle
