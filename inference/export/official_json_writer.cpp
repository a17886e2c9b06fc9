#include "inference/export/official_json_writer.h"

#include "inference/export/cells_json_entry.h"
#include "inference/export/json_text.h"
#include "inference/export/text_output.h"

namespace cellvit {

namespace {

using json_text::appendInt;
using json_text::appendKey;
using json_text::appendString;

void appendNumber(std::string& out, double v)
{
    json_text::appendNumber(out, v, /*nonFiniteAsNull=*/true);
}

std::string headerText(const OfficialJsonOptions& options)
{
    const WsiMetadata& m = options.metadata;
    std::string out = "{\"wsi_metadata\":{";
    appendKey(out, "orig_n_tiles_cols");
    appendInt(out, m.origNTilesCols);
    out += ',';
    appendKey(out, "orig_n_tiles_rows");
    appendInt(out, m.origNTilesRows);
    out += ',';
    appendKey(out, "base_magnification");
    appendNumber(out, m.baseMagnification);
    out += ',';
    appendKey(out, "downsampling");
    appendNumber(out, m.downsampling);
    out += ',';
    appendKey(out, "label_map");
    out += '{';
    bool first = true;
    for (const auto& [name, label] : m.labelMap) {
        if (!first)
            out += ',';
        first = false;
        appendString(out, name);
        out += ':';
        appendInt(out, label);
    }
    out += "},";
    appendKey(out, "patch_overlap");
    appendInt(out, m.patchOverlap);
    out += ',';
    appendKey(out, "patch_size");
    appendInt(out, m.patchSize);
    out += ',';
    appendKey(out, "base_mpp");
    appendNumber(out, m.baseMpp);
    out += ',';
    appendKey(out, "target_patch_mpp");
    appendNumber(out, m.targetPatchMpp);
    out += ',';
    appendKey(out, "stain_normalization");
    out += m.stainNormalization ? "true" : "false";
    out += ',';
    appendKey(out, "magnification");
    appendNumber(out, m.magnification);
    out += ',';
    appendKey(out, "level");
    appendInt(out, m.level);
    out += "},\"type_map\":{";
    first = true;
    for (const auto& [id, name] : options.taxonomy.typeNames()) {
        if (!first)
            out += ',';
        first = false;
        appendString(out, std::to_string(id));
        out += ':';
        appendString(out, name);
    }
    out += "},\"cells\":[";
    return out;
}

template <typename AppendCell>
ExportSummary writeOfficial(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const OfficialJsonOptions& options, const ExportControl& control, AppendCell appendCell)
{
    TextOutput output(path);
    output.write(headerText(options));
    ExportSummary summary;
    const std::size_t every = control.reportEvery ? control.reportEvery : 1;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i % every == 0) {
            if (control.cancelRequested && control.cancelRequested()) {
                summary = {};
                summary.cancelled = true;
                return summary; // TextOutput removes the partial file
            }
            if (control.progress && i > 0)
                control.progress(i, cells.size());
        }
        std::string& out = output.buffer();
        if (i)
            out += ',';
        appendCell(out, cells[i]);
        output.flushIfFull();
        ++summary.written;
    }
    output.write("]}\n");
    output.commit();
    if (control.progress)
        control.progress(cells.size(), cells.size());
    return summary;
}

} // namespace

ExportSummary writeOfficialCellsJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const OfficialJsonOptions& options, const ExportControl& control)
{
    return writeOfficial(path, cells, options, control, appendCellsJsonEntry);
}

ExportSummary writeOfficialCellDetectionJson(const std::filesystem::path& path, const std::vector<SlideCell>& cells,
    const OfficialJsonOptions& options, const ExportControl& control)
{
    return writeOfficial(path, cells, options, control, appendCellDetectionEntry);
}

} // namespace cellvit
