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
    // Grown by the pixels of `other` (a box of the same id from a disjoint part of the image).
    void merge(const InstanceBox& other)
    {
        if (other.area == 0)
            return;
        rmin = rmin < other.rmin ? rmin : other.rmin;
        rmax = rmax > other.rmax ? rmax : other.rmax;
        cmin = cmin < other.cmin ? cmin : other.cmin;
        cmax = cmax > other.cmax ? cmax : other.cmax;
        area += other.area;
    }
    bool operator==(const InstanceBox& o) const
    {
        return rmin == o.rmin && cmin == o.cmin && rmax == o.rmax && cmax == o.cmax && area == o.area;
    }
};

} // namespace cellvit
