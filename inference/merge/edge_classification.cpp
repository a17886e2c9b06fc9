#include "inference/merge/edge_classification.h"

#include <algorithm>

namespace cellvit {

int cellStatus(const Cell& c, int patchSize, int margin)
{
    const int high = patchSize - margin;
    const int lo = std::min({ c.rmin, c.cmin, c.rmax, c.cmax });
    const int hi = std::max({ c.rmin, c.cmin, c.rmax, c.cmax });
    if (hi <= high && lo >= margin)
        return 0;
    // The reference's check order matters for cells spanning several sides.
    if (c.rmin < margin)
        return c.cmin < margin ? 1 : (c.cmax > high ? 3 : 2);
    if (c.cmax > high)
        return c.rmax > high ? 5 : 4;
    if (c.rmax > high)
        return c.cmin < margin ? 7 : 6;
    // Remaining case: only cmin < margin can be out of range.
    return 8;
}

BorderTouch borderTouch(const Cell& c, int patchSize)
{
    return { c.rmin == 0, c.cmax == patchSize, c.rmax == patchSize, c.cmin == 0 };
}

bool touchesBorder(const BorderTouch& t)
{
    return t[0] || t[1] || t[2] || t[3];
}

std::optional<std::vector<PatchIndex>> edgePatches(const BorderTouch& t, PatchIndex p)
{
    const int r = p.row, c = p.col;
    const auto is = [&t](bool top, bool right, bool down, bool left) {
        return t == BorderTouch { top, right, down, left };
    };
    if (is(true, false, false, false))
        return std::vector<PatchIndex> { { r - 1, c } };
    if (is(true, true, false, false))
        return std::vector<PatchIndex> { { r - 1, c }, { r - 1, c + 1 }, { r, c + 1 } };
    if (is(false, true, false, false))
        return std::vector<PatchIndex> { { r, c + 1 } };
    if (is(false, true, true, false))
        return std::vector<PatchIndex> { { r, c + 1 }, { r + 1, c + 1 }, { r + 1, c } };
    if (is(false, false, true, false))
        return std::vector<PatchIndex> { { r + 1, c } };
    if (is(false, false, true, true))
        return std::vector<PatchIndex> { { r + 1, c }, { r + 1, c - 1 }, { r, c - 1 } };
    if (is(false, false, false, true))
        return std::vector<PatchIndex> { { r, c - 1 } };
    if (is(true, false, false, true))
        return std::vector<PatchIndex> { { r, c - 1 }, { r - 1, c - 1 }, { r - 1, c } };
    return std::nullopt;
}

} // namespace cellvit
