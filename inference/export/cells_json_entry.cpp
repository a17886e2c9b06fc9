#include "inference/export/cells_json_entry.h"

#include "inference/export/json_text.h"

#include <nlohmann/json.hpp>

namespace cellvit {

namespace {

using json_text::appendInt;
using json_text::appendKey;

// Integral values as integers, like the reference's int arrays; an unknown (NaN) probability as null.
void appendNumber(std::string& out, double v)
{
    json_text::appendNumber(out, v, /*nonFiniteAsNull=*/true);
}

void appendPair(std::string& out, double a, double b)
{
    out += '[';
    appendNumber(out, a);
    out += ',';
    appendNumber(out, b);
    out += ']';
}

void appendPatchIndex(std::string& out, PatchIndex p)
{
    out += '[';
    appendInt(out, p.row);
    out += ',';
    appendInt(out, p.col);
    out += ']';
}

void appendBboxCentroid(std::string& out, const SlideCell& c)
{
    appendKey(out, "bbox");
    out += '[';
    appendPair(out, c.rmin, c.cmin);
    out += ',';
    appendPair(out, c.rmax, c.cmax);
    out += "],";
    appendKey(out, "centroid");
    appendPair(out, c.centroid.x, c.centroid.y);
}

void appendEdgeInformation(std::string& out, const SlideCell& c)
{
    out += "\"edge_information\":{\"position\":[";
    for (size_t i = 0; i < c.border.size(); ++i) {
        if (i)
            out += ',';
        out += c.border[i] ? '1' : '0'; // the reference writes 0/1 integers here
    }
    out += "],\"edge_patches\":";
    if (!c.edgePatches) {
        out += "null";
    } else {
        out += '[';
        for (size_t i = 0; i < c.edgePatches->size(); ++i) {
            if (i)
                out += ',';
            appendPatchIndex(out, (*c.edgePatches)[i]);
        }
        out += ']';
    }
    out += '}';
}

} // namespace

void appendCellsJsonEntry(std::string& out, const SlideCell& c)
{
    out += '{';
    appendBboxCentroid(out, c);
    out += ',';
    appendKey(out, "contour");
    out += '[';
    for (size_t i = 0; i < c.contour.size(); ++i) {
        if (i)
            out += ',';
        appendPair(out, c.contour[i].x, c.contour[i].y);
    }
    out += "],";
    appendKey(out, "type_prob");
    appendNumber(out, c.typeProb);
    out += ',';
    appendKey(out, "type");
    appendInt(out, c.type);
    out += ',';
    appendKey(out, "patch_coordinates");
    appendPatchIndex(out, c.patch);
    out += ',';
    appendKey(out, "cell_status");
    appendInt(out, c.cellStatus);
    out += ',';
    appendKey(out, "offset_global");
    appendPair(out, c.patchOrigin.y, c.patchOrigin.x);
    out += ',';
    appendKey(out, "edge_position");
    const bool edge = c.edgePosition();
    out += edge ? "true" : "false";
    if (edge) {
        out += ',';
        appendEdgeInformation(out, c);
    }
    out += '}';
}

void appendCellDetectionEntry(std::string& out, const SlideCell& c)
{
    out += '{';
    appendBboxCentroid(out, c);
    out += ',';
    appendKey(out, "type");
    appendInt(out, c.type);
    out += '}';
}

nlohmann::json cellsJsonEntry(const SlideCell& cell)
{
    std::string text;
    appendCellsJsonEntry(text, cell);
    return nlohmann::json::parse(text);
}

} // namespace cellvit
