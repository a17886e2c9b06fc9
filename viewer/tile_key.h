#pragma once
// Identifies one tile of the display pyramid: a level and a column/row in that level's tile grid.

#include <QMetaType>
#include <cstddef>
#include <functional>

namespace cellvit {

struct TileKey {
    int level = 0;
    int col = 0;
    int row = 0;

    friend bool operator==(const TileKey& a, const TileKey& b)
    {
        return a.level == b.level && a.col == b.col && a.row == b.row;
    }
    friend bool operator!=(const TileKey& a, const TileKey& b) { return !(a == b); }
};

struct TileKeyHash {
    std::size_t operator()(const TileKey& k) const noexcept
    {
        // Levels < 256 and grids < 2^24 tiles a side: a collision-free packing for any real slide.
        const auto packed = (static_cast<unsigned long long>(k.level) << 56)
            ^ (static_cast<unsigned long long>(static_cast<unsigned>(k.col)) << 28)
            ^ static_cast<unsigned long long>(static_cast<unsigned>(k.row));
        return std::hash<unsigned long long> {}(packed);
    }
};

} // namespace cellvit

Q_DECLARE_METATYPE(cellvit::TileKey)
