// End-to-end merge on real annotations: four MoNuSeg ground-truth maps form a 2000x2000 mosaic, cut into the
// reference's 3x3 grid of overlapping 1024 patches. Each patch "predicts" the ground truth clipped to it. The
// complete merge must give back exactly the cells of the unclipped mosaic; the reference-compatible merge may
// only lose a few (its documented behaviour) and must never duplicate.

#include "inference/merge/slide_cell_merger.h"
#include "inference/metrics/imagescope_xml_reader.h"
#include "inference/metrics/polygon_annotation.h"
#include "inference/postproc/cell_extraction.h"
#include "inference/postproc/remap_labels.h"
#include "test_support.h"

#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <tuple>

using namespace cellvit;

namespace {

constexpr int kTile = 1000; // MoNuSeg images are 1000x1000

struct Mosaic {
    cv::Mat labels; // CV_32S, unique id per nucleus
    cv::Mat types; // CV_8U, class 1..5 per nucleus
};

std::filesystem::path annotationDir()
{
    return test::dataDir() / "monuseg_train_subset" / "Annotations";
}

// Same 2x2 layout as golden/merge (patches.json -> mosaic), row-major.
Mosaic buildMosaic()
{
    const char* names[] = { "TCGA-B0-5710-01Z-00-DX1", "TCGA-CH-5767-01Z-00-DX1", "TCGA-AR-A1AK-01Z-00-DX1",
        "TCGA-21-5786-01Z-00-DX1" };
    Mosaic m { cv::Mat(2 * kTile, 2 * kTile, CV_32S, cv::Scalar(0)),
        cv::Mat(2 * kTile, 2 * kTile, CV_8U, cv::Scalar(0)) };
    int offset = 0;
    for (int k = 0; k < 4; ++k) {
        const auto annotation = metrics::readImageScopeXml(annotationDir() / (std::string(names[k]) + ".xml"));
        cv::Mat tile = metrics::rasterise(annotation.polygons, { kTile, kTile }, metrics::PolygonFill::PixelCentres);
        double maxLabel = 0;
        cv::minMaxLoc(tile, nullptr, &maxLabel);
        tile.setTo(0, tile < 0);
        cv::Mat shifted = tile + offset;
        shifted.setTo(0, tile == 0);
        shifted.copyTo(m.labels(cv::Rect((k % 2) * kTile, (k / 2) * kTile, kTile, kTile)));
        offset += static_cast<int>(maxLabel);
    }
    m.labels.forEach<int>([&m](int& v, const int* pos) {
        if (v > 0)
            m.types.at<uchar>(pos[0], pos[1]) = static_cast<uchar>(1 + v % 5);
    });
    return m;
}

// Nuclei larger than the 64-px overlap, laid across patch borders and a four-patch corner: every patch sees
// them cut, so the reference drops all pieces (cellvit-facts §4.3 step 2).
Mosaic withBigNuclei(Mosaic m, int& added)
{
    double maxLabel = 0;
    cv::minMaxLoc(m.labels, nullptr, &maxLabel);
    const cv::Point centres[] = { { 960, 500 }, { 500, 960 }, { 960, 960 }, { 1920, 1400 }, { 1400, 1920 } };
    int id = static_cast<int>(maxLabel);
    for (const cv::Point& c : centres) {
        ++id;
        cv::ellipse(m.labels, c, { 58, 44 }, 30.0, 0.0, 360.0, cv::Scalar(id), cv::FILLED);
        cv::ellipse(m.types, c, { 58, 44 }, 30.0, 0.0, 360.0, cv::Scalar(1 + id % 5), cv::FILLED);
    }
    added = static_cast<int>(std::size(centres));
    return m;
}

std::vector<Cell> cellsOf(cv::Mat labels, const cv::Mat& types)
{
    remapLabels(labels);
    return extractCells(labels, types);
}

// What each patch of the reference grid sees: the mosaic clipped to the patch, padded with background.
std::vector<PatchCells> patchPredictions(const Mosaic& m, const PatchGrid& grid, int rows, int cols)
{
    cv::Mat labels, types;
    const int pad = grid.patchSize;
    cv::copyMakeBorder(m.labels, labels, pad, pad, pad, pad, cv::BORDER_CONSTANT, 0);
    cv::copyMakeBorder(m.types, types, pad, pad, pad, pad, cv::BORDER_CONSTANT, 0);
    std::vector<PatchCells> out;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
            const cv::Point o = grid.patchOriginInLevel({ r, c });
            const cv::Rect roi(o.x + pad, o.y + pad, grid.patchSize, grid.patchSize);
            out.push_back({ { r, c }, cellsOf(labels(roi).clone(), types(roi).clone()) });
        }
    return out;
}

using Key = std::tuple<int, int, int, int>; // bbox rmin, cmin, rmax, cmax
Key keyOf(const Cell& c)
{
    return { c.rmin, c.cmin, c.rmax, c.cmax };
}
Key keyOf(const SlideCell& c)
{
    return { int(std::lround(c.rmin)), int(std::lround(c.cmin)), int(std::lround(c.rmax)), int(std::lround(c.cmax)) };
}

struct Comparison {
    int matched = 0, missing = 0, extra = 0, centroidOff = 0;
};

Comparison compare(const std::vector<Cell>& truth, const std::vector<SlideCell>& merged)
{
    std::map<Key, std::vector<const Cell*>> byKey;
    for (const Cell& c : truth)
        byKey[keyOf(c)].push_back(&c);
    Comparison r;
    for (const SlideCell& s : merged) {
        auto it = byKey.find(keyOf(s));
        if (it == byKey.end() || it->second.empty()) {
            ++r.extra;
            continue;
        }
        const Cell* t = it->second.back();
        it->second.pop_back();
        ++r.matched;
        if (std::abs(std::nearbyint(t->centroid.x) - s.centroid.x) > 1.0
            || std::abs(std::nearbyint(t->centroid.y) - s.centroid.y) > 1.0 || t->type != s.type)
            ++r.centroidOff;
    }
    for (const auto& [key, left] : byKey)
        r.missing += static_cast<int>(left.size());
    return r;
}

} // namespace

class TestMergeMosaic : public QObject {
    Q_OBJECT
private:
    Mosaic m_mosaic;
    std::vector<Cell> m_truth;
    std::vector<PatchCells> m_patches;

private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(annotationDir());
        m_mosaic = buildMosaic();
        m_truth = cellsOf(m_mosaic.labels.clone(), m_mosaic.types);
        m_patches = patchPredictions(m_mosaic, PatchGrid {}, 3, 3);
        size_t pieces = 0;
        for (const auto& p : m_patches)
            pieces += p.cells.size();
        qInfo("mosaic: %zu nuclei, %zu cells over 9 patches", m_truth.size(), pieces);
        QVERIFY(m_truth.size() > 1000);
        QVERIFY(pieces > m_truth.size() + 100); // the overlap bands really duplicate nuclei
    }

    void completeMergeGivesBackEveryNucleusOnce()
    {
        MergeStats stats;
        const auto merged = mergeSlideCells(m_patches, PatchGrid {}, MergeMode::Complete, &stats);
        const Comparison r = compare(m_truth, merged);
        qInfo("complete: %zu cells out, %d matched, %d missing, %d extra, %d off; %zu links, %zu truncated, %zu unions",
            merged.size(), r.matched, r.missing, r.extra, r.centroidOff, stats.complete.links, stats.complete.truncated,
            stats.complete.unions);
        QCOMPARE(merged.size(), m_truth.size());
        QCOMPARE(r.missing, 0);
        QCOMPARE(r.extra, 0);
        QCOMPARE(r.centroidOff, 0);
    }

    void referenceMergeOnlyLosesAFew()
    {
        MergeStats stats;
        const auto merged = mergeSlideCells(m_patches, PatchGrid {}, MergeMode::Reference, &stats);
        const Comparison r = compare(m_truth, merged);
        qInfo(
            "reference: %zu cells out, %d matched, %d missing, %d extra", merged.size(), r.matched, r.missing, r.extra);
        QCOMPARE(r.extra, 0); // no duplicates, no fragments
        QVERIFY(r.missing <= static_cast<int>(m_truth.size() / 100)); // losses, if any, stay rare
    }

    void nucleiLargerThanTheOverlap()
    {
        int added = 0;
        const Mosaic big = withBigNuclei(m_mosaic, added);
        const std::vector<Cell> truth = cellsOf(big.labels.clone(), big.types);
        const auto patches = patchPredictions(big, PatchGrid {}, 3, 3);

        MergeStats stats;
        const auto complete = mergeSlideCells(patches, PatchGrid {}, MergeMode::Complete, &stats);
        const Comparison c = compare(truth, complete);
        qInfo("big nuclei, complete: %d matched, %d missing, %d extra, %d off, %zu unions", c.matched, c.missing,
            c.extra, c.centroidOff, stats.complete.unions);
        QCOMPARE(complete.size(), truth.size());
        QCOMPARE(c.missing, 0);
        QCOMPARE(c.extra, 0);
        QCOMPARE(c.centroidOff, 0);
        QVERIFY(stats.complete.unions >= size_t(added));

        const auto reference = mergeSlideCells(patches, PatchGrid {}, MergeMode::Reference);
        const Comparison r = compare(truth, reference);
        qInfo("big nuclei, reference: %d matched, %d missing, %d extra", r.matched, r.missing, r.extra);
        QCOMPARE(r.extra, 0);
        QVERIFY(r.missing >= added); // the reference's documented loss: all pieces are cut, all are dropped
    }

    void missingNeighbourKeepsBorderCells()
    {
        // A lone patch: nothing continues its border cells, so both rules must keep all of them.
        const std::vector<PatchCells> lone { m_patches[4] };
        const auto complete = mergeSlideCells(lone, PatchGrid {}, MergeMode::Complete);
        const auto reference = mergeSlideCells(lone, PatchGrid {}, MergeMode::Reference);
        QCOMPARE(complete.size(), lone[0].cells.size());
        QCOMPARE(reference.size(), lone[0].cells.size());
    }
};

QTEST_GUILESS_MAIN(TestMergeMosaic)
#include "tst_merge_mosaic.moc"
