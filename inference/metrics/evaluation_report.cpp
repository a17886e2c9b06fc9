#include "inference/metrics/evaluation_report.h"

#include "inference/metrics/numpy_reductions.h"

#include <cmath>
#include <cstdio>

namespace cellvit::metrics {
namespace {

using nlohmann::json;

json score(double v)
{
    return std::isnan(v) ? json(nullptr) : json(v);
}

std::string fixed(double v)
{
    if (std::isnan(v))
        return "   n/a";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%6.4f", v);
    return buffer;
}

std::string padded(std::string s, size_t width)
{
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
}

PqScores imageMultiClass(const ImageMetrics& m)
{
    std::vector<double> dq, sq, pq;
    for (const PqScores& s : m.classPq) {
        dq.push_back(s.dq);
        sq.push_back(s.sq);
        pq.push_back(s.pq);
    }
    return { nanMean(dq), nanMean(sq), nanMean(pq) };
}

} // namespace

json reportJson(const EvaluationReport& report)
{
    const DatasetMetrics& d = report.dataset;
    json dataset = {
        { "images", d.imageCount },
        { "bPQ", score(d.binary.pq) },
        { "bDQ", score(d.binary.dq) },
        { "bSQ", score(d.binary.sq) },
        { "mPQ", score(d.multiClass.pq) },
        { "mDQ", score(d.multiClass.dq) },
        { "mSQ", score(d.multiClass.sq) },
        { "f1_detection", score(d.detection.f1) },
        { "precision_detection", score(d.detection.precision) },
        { "recall_detection", score(d.detection.recall) },
        { "f1_class_mean", score(d.meanClassF1) },
        { "pooled_counts",
            { { "paired", d.paired }, { "unpaired_gt", d.unpairedTrue }, { "unpaired_pred", d.unpairedPred } } },
    };
    json perClass = json::object();
    for (const ClassMetrics& c : d.perClass) {
        perClass[c.nucleusClass.name] = {
            { "type", c.nucleusClass.id },
            { "pq", score(c.pq.pq) },
            { "dq", score(c.pq.dq) },
            { "sq", score(c.pq.sq) },
            { "f1_cell", score(c.detection.f1) },
            { "prec_cell", score(c.detection.precision) },
            { "rec_cell", score(c.detection.recall) },
        };
    }
    dataset["per_class"] = perClass;

    json images = json::array();
    for (const ImageMetrics& m : report.images) {
        json image = {
            { "name", m.name },
            { "bPQ", score(m.binary.scores.pq) },
            { "bDQ", score(m.binary.scores.dq) },
            { "bSQ", score(m.binary.scores.sq) },
            { "gt_cells", m.trueTypes.size() },
            { "pred_cells", m.predTypes.size() },
            { "paired", m.pairing.paired.size() },
        };
        if (m.typed) {
            const PqScores mc = imageMultiClass(m);
            image["mPQ"] = score(mc.pq);
            image["mDQ"] = score(mc.dq);
            image["mSQ"] = score(mc.sq);
        }
        images.push_back(image);
    }
    return { { "magnification", report.magnification }, { "pairing_radius", report.pairingRadius },
        { "dataset", dataset }, { "images", images } };
}

std::string reportText(const EvaluationReport& report)
{
    const DatasetMetrics& d = report.dataset;
    std::string out;
    char header[128];
    std::snprintf(header, sizeof header, "Images: %zu (x%d, centroid pairing radius %g px)\n", d.imageCount,
        report.magnification, report.pairingRadius);
    out += header;
    out += "Segmentation   bPQ " + fixed(d.binary.pq) + "   bDQ " + fixed(d.binary.dq) + "   bSQ " + fixed(d.binary.sq)
        + "\n";
    if (d.typed)
        out += "               mPQ " + fixed(d.multiClass.pq) + "   mDQ " + fixed(d.multiClass.dq) + "   mSQ "
            + fixed(d.multiClass.sq) + "\n";
    else
        out += "               mPQ n/a (ground truth or prediction has no classes)\n";
    out += "Detection      precision " + fixed(d.detection.precision) + "   recall " + fixed(d.detection.recall)
        + "   F1 " + fixed(d.detection.f1) + "   (paired " + std::to_string(d.paired) + ", unpaired GT "
        + std::to_string(d.unpairedTrue) + ", unpaired pred " + std::to_string(d.unpairedPred) + ")\n";
    if (!d.perClass.empty()) {
        out += "\n" + padded("Class", 18) + "    PQ      DQ      SQ      F1    prec.  recall\n";
        for (const ClassMetrics& c : d.perClass) {
            out += padded(c.nucleusClass.name, 18) + fixed(c.pq.pq) + "  " + fixed(c.pq.dq) + "  " + fixed(c.pq.sq)
                + "  " + fixed(c.detection.f1) + "  " + fixed(c.detection.precision) + "  " + fixed(c.detection.recall)
                + "\n";
        }
        out += padded("mean class F1", 18) + std::string(30, ' ') + fixed(d.meanClassF1) + "\n";
    }
    if (report.images.size() > 1) {
        out += "\n" + padded("Image", 32) + "   bPQ     mPQ    GT  pred  paired\n";
        for (const ImageMetrics& m : report.images) {
            char counts[64];
            std::snprintf(counts, sizeof counts, "  %4zu  %4zu  %6zu", m.trueTypes.size(), m.predTypes.size(),
                m.pairing.paired.size());
            out += padded(m.name, 32) + fixed(m.binary.scores.pq) + "  "
                + (m.typed ? fixed(imageMultiClass(m).pq) : "   n/a") + counts + "\n";
        }
    }
    return out;
}

} // namespace cellvit::metrics
