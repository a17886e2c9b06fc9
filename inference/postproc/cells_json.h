#pragma once
// Cell records <-> the golden cells.json format:
// [{"id", "bbox": [[rmin, cmin], [rmax, cmax]], "centroid": [x, y], "contour": [[x, y], ...], "type", "type_prob",
//   optional "raw_id"}, ...]

#include "model_zoo/cellvit_error.h"
#include "inference/postproc/cell.h"

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <vector>

namespace cellvit {

class CellsJsonError : public Error {
public:
    using Error::Error;
};

// rawIds (optional): the pre-renumbering label of instance id i at index i-1, written as "raw_id".
nlohmann::json cellsToJson(const std::vector<Cell>& cells, const std::vector<int>& rawIds = {});
// Throws CellsJsonError naming the offending entry and key.
std::vector<Cell> cellsFromJson(const nlohmann::json& json);

void writeCellsJson(
    const std::filesystem::path& path, const std::vector<Cell>& cells, const std::vector<int>& rawIds = {});
// Throws CellsJsonError naming the file when it cannot be read or parsed.
std::vector<Cell> readCellsJson(const std::filesystem::path& path);

} // namespace cellvit
