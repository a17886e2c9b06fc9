// Patch planning: the reference grid, tissue skipping, regions, and resampling without coordinate shift.
#include "inference/pipeline/tile_plan.h"
#include "inference/slide/image_source.h"
#include "test_support.h"

#include <QTemporaryDir>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

class TestTilePlan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sampleSlideAtItsOwnResolution()
    {
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
        const auto slide = openSlide(test::sampleSlide());
        // 0.499 µm/px read by a x20 (0.5 µm/px) model: native, reference grid of 960-px strides.
        const TilePlan plan = planTiles(*slide, 0.499, 0.5);
        QVERIFY(plan.native);
        QCOMPARE(plan.scale(), 1.0);
        QCOMPARE(plan.gridCols, 3); // ceil(2220 / 960)
        QCOMPARE(plan.gridRows, 4); // ceil(2967 / 960)
        QCOMPARE(static_cast<int>(plan.patches.size()), 12);
        QCOMPARE(plan.patches[0].originX, int64_t { -32 });
        QCOMPARE(plan.patches[0].originY, int64_t { -32 });
        QCOMPARE(plan.patches[4].originX, int64_t { 928 }); // row 1, col 1
        QCOMPARE(plan.patches[4].originY, int64_t { 928 });
        // Adjacent patches share a 64-px band.
        QCOMPARE(plan.level0Rect(plan.patches[0]).br().x - plan.level0Rect(plan.patches[1]).x, 64.0);
    }

    void x40ModelOnX20SlideIsResampled()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePlan plan = planTiles(*slide, 0.499, 0.25);
        QVERIFY(!plan.native);
        QCOMPARE(plan.scale(), 513.0 / 1024.0); // 513 level-0 px read per 1024-px patch (2× upsampling)
        QCOMPARE(plan.gridCols, 5);
        QCOMPARE(plan.gridRows, 7);
        const cv::Mat patch = readPatch(*slide, plan, plan.patches[8]);
        QCOMPARE(patch.rows, 1024);
        QCOMPARE(patch.cols, 1024);
        QCOMPARE(patch.type(), CV_8UC3);
    }

    void regionSelectsIntersectingPatches()
    {
        const auto slide = openSlide(test::sampleSlide());
        const RegionOfInterest rect = RegionOfInterest::rectangle(1000, 1000, 100, 100);
        TilePlanOptions options;
        options.region = &rect;
        options.onePatchForSmallRegion = false; // the slide's grid, as for a region larger than one patch
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, options);
        // (1000..1100) lies in patch col 1 only ([928, 1952)); row 1 only.
        QCOMPARE(static_cast<int>(plan.patches.size()), 1);
        QCOMPARE(plan.patches[0].row, 1);
        QCOMPARE(plan.patches[0].col, 1);
        // A triangle whose bounding box spans four patches but which touches only three of them.
        RegionOfInterest triangle { { { { 100, 100 }, { 1700, 100 }, { 100, 1700 } } } };
        options.region = &triangle;
        const TilePlan tri = planTiles(*slide, 0.499, 0.5, options);
        QCOMPARE(static_cast<int>(tri.patches.size()), 3);
    }

    // Issue #18: a 450² region straddling the grid's corner at (928, 928) would cost four patches; it fits in one
    // patch's inner 896² (1024 − 2 × 64) and gets one patch centred on it, its nuclei ≥ 64 px from the border.
    void smallRegionGetsOnePatchAroundIt()
    {
        const auto slide = openSlide(test::sampleSlide());
        const RegionOfInterest region = RegionOfInterest::rectangle(740, 740, 450, 450);
        TilePlanOptions options;
        options.region = &region;
        options.onePatchForSmallRegion = false;
        QCOMPARE(static_cast<int>(planTiles(*slide, 0.499, 0.5, options).patches.size()), 4);

        options.onePatchForSmallRegion = true; // the default
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, options);
        QCOMPARE(static_cast<int>(plan.patches.size()), 1);
        QCOMPARE(plan.gridRows, 1);
        QCOMPARE(plan.gridCols, 1);
        const PatchSpec& patch = plan.patches.front();
        QCOMPARE(patch.originX, int64_t { 453 }); // centre 965 − 512
        QCOMPARE(patch.originY, int64_t { 453 });
        // The grid maps this patch where it is read: its pixel (0, 0) is level-0 (453, 453).
        QCOMPARE(plan.toLevel0(patch, { 0, 0 }), cv::Point2d(453, 453));
        const cv::Rect2d rect = plan.level0Rect(patch);
        const cv::Rect2d innerBand(rect.x + 64, rect.y + 64, rect.width - 128, rect.height - 128);
        QCOMPARE((innerBand & region.boundingBox()), region.boundingBox());

        // A region wider than the inner area keeps the grid (and its merge), here 2 × 2 patches.
        const RegionOfInterest wide = RegionOfInterest::rectangle(740, 740, 900, 450);
        options.region = &wide;
        const TilePlan grid = planTiles(*slide, 0.499, 0.5, options);
        QCOMPARE(static_cast<int>(grid.patches.size()), 4);
        QCOMPARE(grid.grid.levelOrigin, cv::Point2d(0, 0));

        // Resampled (a 40× model on this 20× slide, 513 level-0 px per patch): the inner area is ~449 px.
        const RegionOfInterest small = RegionOfInterest::rectangle(1000, 1000, 300, 300);
        options.region = &small;
        const TilePlan x40 = planTiles(*slide, 0.499, 0.25, options);
        QCOMPARE(static_cast<int>(x40.patches.size()), 1);
        const cv::Point2d centre = x40.toLevel0(x40.patches.front(), { 511.5, 511.5 });
        QVERIFY2(std::abs(centre.x - 1150) <= 1 && std::abs(centre.y - 1150) <= 1,
            qPrintable(QStringLiteral("%1, %2").arg(centre.x).arg(centre.y)));

        // Outside the slide: nothing to run (the run reports it).
        const RegionOfInterest outside = RegionOfInterest::rectangle(900000, 900000, 100, 100);
        options.region = &outside;
        QVERIFY(planTiles(*slide, 0.499, 0.5, options).patches.empty());
    }

    void backgroundPatchesAreSkipped()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TissueMask mask = computeTissueMask(*slide);
        QVERIFY(mask.downsample > 1.0);
        const double fraction = cv::countNonZero(mask.mask) / static_cast<double>(mask.mask.total());
        // The CMU sample is mostly tissue with glass at the borders.
        QVERIFY2(fraction > 0.3 && fraction < 0.99, qPrintable(QString::number(fraction)));
        // A white image has no tissue; every patch is skipped.
        QTemporaryDir dir;
        const std::string white = dir.filePath(QStringLiteral("white.png")).toStdString();
        cv::imwrite(white, cv::Mat(1500, 1500, CV_8UC3, cv::Scalar::all(255)));
        const auto glass = openSlide(white, { 0.5 });
        const TissueMask none = computeTissueMask(*glass);
        TilePlanOptions options;
        options.tissue = &none;
        QCOMPARE(static_cast<int>(planTiles(*glass, 0.5, 0.5, options).patches.size()), 0);
        options.tissue = &mask;
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, options);
        QVERIFY(!plan.patches.empty() && plan.patches.size() <= 12);
    }

    // A tile or field of view no larger than a patch plus its overlap bands runs as one patch of its own size from
    // its top-left corner: the network sees the image's pixels, not a 1024² patch that is mostly white.
    void smallSlideRunsAsOnePatchOfItsOwnSize()
    {
        const auto jpg = test::dataDir() / "consep_train_patches" / "images" / "train_3_000.jpg";
        const auto tif = test::dataDir() / "monuseg_train_subset" / "Tissue_Images" / "TCGA-B0-5710-01Z-00-DX1.tif";
        CELLVIT_REQUIRE_PATH(jpg);
        CELLVIT_REQUIRE_PATH(tif);
        const auto tile = openSlide(jpg, { 0.25 });
        const TilePlan tilePlan = planTiles(*tile, 0.25, 0.25);
        QCOMPARE(tilePlan.grid.patchSize, 256);
        QCOMPARE(static_cast<int>(tilePlan.patches.size()), 1);
        QCOMPARE(tilePlan.patches[0].originX, int64_t { 0 });
        QCOMPARE(tilePlan.patches[0].originY, int64_t { 0 });
        QCOMPARE(tilePlan.toLevel0(tilePlan.patches[0], { 10, 20 }), cv::Point2d(10, 20));
        const cv::Mat image = cv::imread(jpg.string(), cv::IMREAD_COLOR);
        cv::Mat rgb;
        cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
        QCOMPARE(cv::norm(readPatch(*tile, tilePlan, tilePlan.patches[0]), rgb, cv::NORM_INF), 0.0);
        // For a 20× model the tile is 128 model px: padded to the 256² the models are trained on, not squeezed.
        const TilePlan tileX20 = planTiles(*tile, 0.25, 0.5);
        QCOMPARE(tileX20.grid.patchSize, 256);
        QCOMPARE(tileX20.scale(), 2.0);
        QCOMPARE(static_cast<int>(tileX20.patches.size()), 1);

        // 1000² at 40×: one 1008² patch (whole tokens), the 8 px beyond the image white.
        const auto field = openSlide(tif, { 0.25 });
        const TilePlan fieldPlan = planTiles(*field, 0.25, 0.25);
        QCOMPARE(fieldPlan.grid.patchSize, 1008);
        QCOMPARE(static_cast<int>(fieldPlan.patches.size()), 1);
        fieldPlan.grid.validate(); // a grid the merge accepts (throws otherwise)
        const cv::Mat patch = readPatch(*field, fieldPlan, fieldPlan.patches[0]);
        QCOMPARE(patch.rows, 1008);
        QCOMPARE(cv::countNonZero(patch(cv::Rect(1000, 0, 8, 1008)).reshape(1) != 255), 0);
        // Run by a 20× model: 500 model px, one 512² patch read from 1024 level-0 px.
        const TilePlan x20 = planTiles(*field, 0.25, 0.5);
        QCOMPARE(x20.grid.patchSize, 512);
        QCOMPARE(x20.scale(), 2.0);
        QCOMPARE(static_cast<int>(x20.patches.size()), 1);
        // Switched off: the reference grid's four 1024² patches from (−32, −32).
        TilePlanOptions gridOnly;
        gridOnly.onePatchForSmallSlide = false;
        const TilePlan grid = planTiles(*field, 0.25, 0.25, gridOnly);
        QCOMPARE(grid.grid.patchSize, 1024);
        QCOMPARE(static_cast<int>(grid.patches.size()), 4);
        QCOMPARE(grid.patches[0].originX, int64_t { -32 });

        // The bound: a patch plus both overlap bands (1152 model px) is one patch; one pixel more is the grid.
        QTemporaryDir dir;
        const std::string fits = dir.filePath(QStringLiteral("fits.png")).toStdString();
        const std::string wider = dir.filePath(QStringLiteral("wider.png")).toStdString();
        cv::imwrite(fits, cv::Mat(100, 1152, CV_8UC3, cv::Scalar(120, 60, 160)));
        cv::imwrite(wider, cv::Mat(100, 1153, CV_8UC3, cv::Scalar(120, 60, 160)));
        const TilePlan fitsPlan = planTiles(*openSlide(fits, { 0.25 }), 0.25, 0.25);
        QCOMPARE(fitsPlan.grid.patchSize, 1152);
        QCOMPARE(static_cast<int>(fitsPlan.patches.size()), 1);
        const TilePlan widerPlan = planTiles(*openSlide(wider, { 0.25 }), 0.25, 0.25);
        QCOMPARE(widerPlan.grid.patchSize, 1024);
        QCOMPARE(widerPlan.gridCols, 2);

        // Still subject to the tissue test: a blank tile has nothing to run.
        const std::string white = dir.filePath(QStringLiteral("white.png")).toStdString();
        cv::imwrite(white, cv::Mat(300, 300, CV_8UC3, cv::Scalar::all(255)));
        const auto glass = openSlide(white, { 0.25 });
        const TissueMask none = computeTissueMask(*glass);
        TilePlanOptions withTissue;
        withTissue.tissue = &none;
        QVERIFY(planTiles(*glass, 0.25, 0.25, withTissue).patches.empty());
    }

    // A 0.25 µm/px image run by a 0.5 µm/px model must see the same pixels, and map them to the same
    // places, as its 2× downscaled copy read natively (the official x20 shift, CellViT#55, must not exist).
    void resampledReadMatchesDownscaledCopy()
    {
        const auto tif = test::dataDir() / "monuseg_train_subset" / "Tissue_Images" / "TCGA-B0-5710-01Z-00-DX1.tif";
        CELLVIT_REQUIRE_PATH(tif);
        QTemporaryDir dir;
        cv::Mat full = cv::imread(tif.string(), cv::IMREAD_COLOR);
        cv::Mat half;
        cv::resize(full, half, cv::Size(full.cols / 2, full.rows / 2), 0, 0, cv::INTER_AREA);
        const std::string halfPath = dir.filePath(QStringLiteral("half.png")).toStdString();
        cv::imwrite(halfPath, half);

        const auto x40 = openSlide(tif, { 0.25 });
        const auto x20 = openSlide(halfPath, { 0.5 });
        const TilePlan planX40 = planTiles(*x40, 0.25, 0.5);
        const TilePlan planX20 = planTiles(*x20, 0.5, 0.5);
        QVERIFY(!planX40.native && planX20.native);
        QCOMPARE(planX40.scale(), 2.0);
        QCOMPARE(planX40.patches.size(), planX20.patches.size());
        const cv::Mat a = readPatch(*x40, planX40, planX40.patches[0]);
        const cv::Mat b = readPatch(*x20, planX20, planX20.patches[0]);
        QCOMPARE(cv::norm(a, b, cv::NORM_INF), 0.0);
        // Patch pixel (p) lands on the same physical spot in both slides (x20 pixel j ↔ x40 2j + ½).
        for (const cv::Point2d p : { cv::Point2d(0, 0), cv::Point2d(100, 37), cv::Point2d(511.5, 700) }) {
            const cv::Point2d inX40 = planX40.toLevel0(planX40.patches[0], p);
            const cv::Point2d inX20 = planX20.toLevel0(planX20.patches[0], p);
            QCOMPARE(inX40.x, inX20.x * 2 + 0.5);
            QCOMPARE(inX40.y, inX20.y * 2 + 0.5);
        }
    }
};

QTEST_GUILESS_MAIN(TestTilePlan)
#include "tst_tile_plan.moc"
