#pragma once
// Bounding box and pixel count of one instance of an instance map.

namespace cellvit {

struct InstanceBox {
    int rmin, cmin, rmax, cmax; // max exclusive; rmax == 0 when the id is absent
    int area;

    // The box of no pixel, for an image of rows x cols: grown by add().
    static InstanceBox none(int rows, int cols) { return { rows, cols, 0, 0, 0 }; }
    // Pixels [begin, end) of row r.
    void add(int r, int begin, int end)
    {
        rmin = rmin < r ? rmin : r;
        rmax = rmax > r + 1 ? rmax : r + 1;
        cmin = cmin < begin ? cmin : begin;
        cmax = cmax > end ? cmax : end;
        area += end - begin;
    }
    bool operator==(const InstanceBox& o) const
    {
        return rmin == o.rmin && cmin == o.cmin && rmax == o.rmax && cmax == o.cmax && area == o.area;
    }
};

} // namespace cellvit
