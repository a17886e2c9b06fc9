// The threaded tile pipeline on the bundled slide with a golden checkpoint: every planned patch comes back
// once, cells lie inside their patch, embeddings have the token width, and cancel stops early.
#include "inference/model/cellvit_model.h"
#include "inference/pipeline/patch_segmenter.h"
#include "inference/postproc/postprocess.h"
#include "inference/targets/hv_target.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <opencv2/imgproc.hpp>
#include <set>
#include <utility>

using namespace cellvit;

namespace {

const CellVitModel& goldenModel()
{
    static const auto model = CellVitModel::load(
        test::goldenCheckpoint("sam_small"), InferenceOptions { "cpu", Precision::Float32, 2, true });
    return *model;
}

// A cheap stand-in for the network: one disc-shaped class-2 nucleus in the middle of every patch, with a
// 8×64×64 token grid whose values encode the patch, so the mechanics can be tested without a forward pass.
class DiscPredictor : public PatchPredictor {
public:
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        ++calls;
        std::vector<PatchPrediction> out;
        for (size_t i = 0; i < rgb.size(); ++i) {
            PatchPrediction p;
            cv::Mat instances(rgb[i].size(), CV_32S, cv::Scalar(0));
            cv::circle(instances, { 512, 512 }, 12, cv::Scalar(1), cv::FILLED);
            p.npArgmax = instances > 0;
            p.npArgmax /= 255;
            p.typeArgmax = p.npArgmax * 2;
            const HvTarget hv = instanceHvTarget(instances);
            p.hx = hv.x;
            p.hy = hv.y;
            p.tokenDim = 8;
            p.tokenRows = p.tokenCols = 64;
            p.tokens.assign(8 * 64 * 64, static_cast<float>(patches[i].row * 100 + patches[i].col));
            out.push_back(std::move(p));
        }
        return out;
    }
    mutable std::atomic<int> calls { 0 };
};

// The same disc as a STARDIST / CPP-Net network would describe it: object probability peaking at the centre and, at
// every pixel inside, the exact distances to the circle along the 32 rays (what star_dist gives for a disc).
class StarDistDiscPredictor : public PatchPredictor {
public:
    std::vector<PatchPrediction> predict(
        const std::vector<cv::Mat>& rgb, const std::vector<PatchSpec>& patches) const override
    {
        constexpr int kRays = 32;
        constexpr double kRadius = 12.5, kCentre = 512;
        std::vector<PatchPrediction> out;
        for (size_t i = 0; i < rgb.size(); ++i) {
            PatchPrediction p;
            const int rows = rgb[i].rows, cols = rgb[i].cols;
            const size_t plane = static_cast<size_t>(rows) * cols;
            p.objectProbability = cv::Mat(rows, cols, CV_32F, cv::Scalar(0.05f));
            p.typeArgmax = cv::Mat(rows, cols, CV_8U, cv::Scalar(0));
            p.nrays = kRays;
            p.rays.assign(plane * kRays, 0.0f);
            for (int r = 490; r < 535; ++r) {
                for (int c = 490; c < 535; ++c) {
                    const double dy = r - kCentre, dx = c - kCentre, d2 = dx * dx + dy * dy;
                    if (d2 >= kRadius * kRadius)
                        continue;
                    p.objectProbability.at<float>(r, c) = static_cast<float>(0.95 - 0.4 * std::sqrt(d2) / kRadius);
                    p.typeArgmax.at<uint8_t>(r, c) = 2;
                    for (int k = 0; k < kRays; ++k) {
                        const double phi = 2 * M_PI * k / kRays, uy = std::sin(phi), ux = std::cos(phi);
                        const double b = ux * dx + uy * dy;
                        p.rays[k * plane + static_cast<size_t>(r) * cols + c]
                            = static_cast<float>(-b + std::sqrt(b * b - (d2 - kRadius * kRadius)));
                    }
                }
            }
            p.tokenDim = 8;
            p.tokenRows = p.tokenCols = 64;
            p.tokens.assign(8 * 64 * 64, static_cast<float>(patches[i].row * 100 + patches[i].col));
            out.push_back(std::move(p));
        }
        return out;
    }
};

} // namespace

class TestPatchSegmenter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("sam_small"));
        CELLVIT_REQUIRE_PATH(test::sampleSlide());
    }

    void runsEveryPatchOnce()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePlan plan = planTiles(*slide, 0.499, 0.5); // 3 × 4 patches
        QCOMPARE(static_cast<int>(plan.patches.size()), 12);
        std::vector<PatchResult> results;
        std::vector<SegmentProgress> reports;
        SegmenterOptions options;
        options.batchSize = 5; // the last batch is partial
        options.postprocThreads = 2;
        const DiscPredictor predictor;
        const bool complete = segmentPatches(
            *slide, plan, plan.patches, predictor, PostprocParams::forMagnification(20), options,
            [&](PatchResult&& r) { results.push_back(std::move(r)); },
            [&](const SegmentProgress& p) { reports.push_back(p); });
        QVERIFY(complete);
        QCOMPARE(predictor.calls.load(), 3);
        QCOMPARE(results.size(), size_t { 12 });
        std::set<std::pair<int, int>> seen;
        for (const auto& r : results) {
            seen.insert({ r.patch.row, r.patch.col });
            QCOMPARE(r.cells.size(), size_t { 1 });
            const Cell& c = r.cells.front();
            QCOMPARE(c.type, 2);
            QVERIFY(std::abs(c.centroid.x - 512) < 0.5 && std::abs(c.centroid.y - 512) < 0.5);
            // The embedding is the mean of this patch's tokens.
            QCOMPARE(r.embeddingDim, 8);
            QCOMPARE(r.embeddings.size(), size_t { 8 });
            QCOMPARE(r.embeddings.front(), static_cast<float>(r.patch.row * 100 + r.patch.col));
        }
        QCOMPARE(seen.size(), size_t { 12 });
        QCOMPARE(reports.size(), size_t { 12 });
        QCOMPARE(reports.back().patchesDone, size_t { 12 });
        QCOMPARE(reports.back().cells, size_t { 12 });
    }

    // A STARDIST-family prediction takes the NMS path: one nucleus per patch, with its type and embedding.
    void starDistPredictionsTakeTheNmsPath()
    {
        const auto slide = openSlide(test::sampleSlide());
        const RegionOfInterest region = RegionOfInterest::rectangle(1000, 1000, 400, 400);
        TilePlanOptions planOptions;
        planOptions.region = &region;
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, planOptions);
        QVERIFY(!plan.patches.empty());
        std::vector<PatchResult> results;
        const StarDistDiscPredictor predictor;
        QVERIFY(segmentPatches(*slide, plan, plan.patches, predictor, PostprocParams::forMagnification(40), {},
                               [&](PatchResult&& r) { results.push_back(std::move(r)); }));
        QCOMPARE(results.size(), plan.patches.size());
        for (const auto& r : results) {
            QCOMPARE(r.cells.size(), size_t { 1 });
            const Cell& c = r.cells.front();
            QCOMPARE(c.type, 2);
            QVERIFY2(std::abs(c.centroid.x - 512) < 0.5 && std::abs(c.centroid.y - 512) < 0.5,
                     qPrintable(QStringLiteral("%1, %2").arg(c.centroid.x).arg(c.centroid.y)));
            QVERIFY(std::abs((c.rmax - c.rmin) - 25) <= 2 && std::abs((c.cmax - c.cmin) - 25) <= 2);
            QCOMPARE(r.embeddingDim, 8);
            QCOMPARE(r.embeddings.front(), static_cast<float>(r.patch.row * 100 + r.patch.col));
        }
    }

    // The network path: one patch through ModelPredictor equals the model + post-processing run by hand.
    void modelPathMatchesDirectForward()
    {
        const auto slide = openSlide(test::sampleSlide());
        const RegionOfInterest region = RegionOfInterest::rectangle(1000, 1000, 400, 400);
        TilePlanOptions planOptions;
        planOptions.region = &region;
        const TilePlan plan = planTiles(*slide, 0.499, 0.5, planOptions);
        QCOMPARE(static_cast<int>(plan.patches.size()), 1);
        std::vector<PatchResult> results;
        QVERIFY(segmentPatches(*slide, plan, plan.patches, ModelPredictor(goldenModel()),
            PostprocParams::forMagnification(20), {}, [&](PatchResult&& r) { results.push_back(std::move(r)); }));
        QCOMPARE(results.size(), size_t { 1 });
        const auto& first = results.front();
        QCOMPARE(first.embeddingDim, 64); // sam_small token width
        QCOMPARE(first.embeddings.size(), first.cells.size() * 64);

        const cv::Mat rgb = readPatch(*slide, plan, first.patch);
        const ModelOutputs out = goldenModel().forward(
            goldenModel().normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step)));
        const cv::Mat np = argmaxOverChannels(out.nucleiBinaryMap.data_ptr<float>(), 2, 1024, 1024);
        const cv::Mat nt = argmaxOverChannels(out.nucleiTypeMap.data_ptr<float>(), 6, 1024, 1024);
        const cv::Mat hx(1024, 1024, CV_32F, out.hvMap[0][0].data_ptr<float>());
        const cv::Mat hy(1024, 1024, CV_32F, out.hvMap[0][1].data_ptr<float>());
        const PostprocResult direct = postprocess(np, hx, hy, nt, PostprocParams::forMagnification(20));
        std::vector<Cell> expected;
        for (const auto& c : direct.cells)
            if (c.type != 0)
                expected.push_back(c);
        QCOMPARE(first.cells.size(), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(first.cells[i].contour, expected[i].contour);
            QCOMPARE(first.cells[i].type, expected[i].type);
        }
    }

    // The batch normalised and reduced where the network runs (segmentationForward) against forward() of the same
    // batch normalised on the host, with the class maps reduced by argmaxOverChannels: bit for bit.
    void deviceReductionEqualsHostArgmax()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat first = slide->readRegion(0, 1200, 900, 256, 256);
        const cv::Mat second = slide->readRegion(0, 1900, 1300, 256, 256);
        const CellVitModel& model = goldenModel();
        at::Tensor batch = model.hostBatch(2, 256, 256);
        std::memcpy(batch[0].data_ptr(), first.clone().data, 256 * 256 * 3);
        std::memcpy(batch[1].data_ptr(), second.clone().data, 256 * 256 * 3);
        const SegmentationMaps reduced = model.segmentationForward(batch);

        std::vector<at::Tensor> normalised;
        for (const cv::Mat* rgb : { &first, &second })
            normalised.push_back(
                model.normaliseImage(rgb->data, rgb->rows, rgb->cols, static_cast<int64_t>(rgb->step)));
        const ModelOutputs full = model.forward(at::cat(normalised, 0));
        QVERIFY(reduced.hvMap.equal(full.hvMap));
        QVERIFY(reduced.tokens.equal(full.tokens));
        for (int64_t b = 0; b < 2; ++b) {
            const cv::Mat np = argmaxOverChannels(full.nucleiBinaryMap[b].contiguous().data_ptr<float>(), 2, 256, 256);
            const cv::Mat nt = argmaxOverChannels(full.nucleiTypeMap[b].contiguous().data_ptr<float>(), 6, 256, 256);
            QCOMPARE(std::memcmp(reduced.nucleiBinaryArgmax[b].data_ptr(), np.data, np.total()), 0);
            QCOMPARE(std::memcmp(reduced.nucleiTypeArgmax[b].data_ptr(), nt.data, nt.total()), 0);
            QVERIFY(cv::countNonZero(np) > 0 && cv::countNonZero(np) < 256 * 256); // both labels occur
        }
    }

    // segmentationForward(…, 2): the HV maps and the argmax of the NP / type probabilities upsampled as OpenCV's
    // INTER_LINEAR does (pixel centres aligned). Bilinear weights are exact in float32 for a 2x scale, so the HV maps
    // agree to rounding; a label may differ only where two upsampled probabilities tie to rounding.
    void upsampledReductionIsBilinearOfTheProbabilities()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat rgb = slide->readRegion(0, 1200, 900, 256, 256);
        const CellVitModel& model = goldenModel();
        at::Tensor batch = model.hostBatch(1, 256, 256);
        std::memcpy(batch[0].data_ptr(), rgb.clone().data, 256 * 256 * 3);
        const SegmentationMaps up = model.segmentationForward(batch, {}, MapOptions { 2 });
        QCOMPARE(up.nucleiBinaryArgmax.sizes(), (at::IntArrayRef { 1, 512, 512 }));
        QCOMPARE(up.hvMap.sizes(), (at::IntArrayRef { 1, 2, 512, 512 }));
        QCOMPARE(up.tokens.size(2), int64_t(16)); // tokens stay on the network's grid

        const ModelOutputs full = model.forward(model.normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step)));
        const auto resized = [](const at::Tensor& plane) {
            const at::Tensor p = plane.contiguous();
            cv::Mat out;
            cv::resize(cv::Mat(256, 256, CV_32F, p.data_ptr<float>()), out, cv::Size(512, 512), 0, 0, cv::INTER_LINEAR);
            return out;
        };
        for (int c = 0; c < 2; ++c) {
            const cv::Mat expected = resized(full.hvMap[0][c]);
            const cv::Mat ours(512, 512, CV_32F, up.hvMap[0][c].contiguous().data_ptr<float>());
            QVERIFY(cv::norm(expected, ours, cv::NORM_INF) <= 1e-5);
        }
        // Pixels where our label differs from OpenCV's, and pixels OpenCV labels non-zero.
        const auto labelsAgree = [&](const at::Tensor& logits, const at::Tensor& labels) {
            const at::Tensor probabilities = logits[0].softmax(0);
            std::vector<cv::Mat> planes;
            for (int64_t c = 0; c < probabilities.size(0); ++c)
                planes.push_back(resized(probabilities[c]));
            const auto* ours = labels[0].contiguous().data_ptr<uint8_t>();
            int differing = 0, nuclei = 0;
            for (int i = 0; i < 512 * 512; ++i) {
                int best = 0;
                for (int c = 1; c < int(planes.size()); ++c)
                    best = planes[c].at<float>(i) > planes[best].at<float>(i) ? c : best;
                differing += ours[i] != best;
                nuclei += best != 0;
            }
            return std::pair(differing, nuclei);
        };
        const auto [npDiffering, npNuclei] = labelsAgree(full.nucleiBinaryMap, up.nucleiBinaryArgmax);
        QVERIFY(npNuclei > 0 && npNuclei < 512 * 512); // both labels occur
        QVERIFY2(npDiffering <= 512 * 512 / 10000, qPrintable(QString::number(npDiffering))); // ties to rounding only
        const auto [ntDiffering, ntLabelled] = labelsAgree(full.nucleiTypeMap, up.nucleiTypeArgmax);
        QVERIFY(ntLabelled > 0);
        QVERIFY2(ntDiffering <= 512 * 512 / 10000, qPrintable(QString::number(ntDiffering)));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, model.segmentationForward(batch, {}, MapOptions { 3 }));
    }

    // MapOptions::flipAveraging: the mean of the four mirrored passes' probabilities and HV maps (each mirrored
    // back, the HV component along a mirrored axis negated), computed here from forward() on the host. The sums run
    // in another order, so the HV maps agree to float rounding and a label may differ only at a rounding tie.
    // Then the point of it: the result of a mirrored patch is the mirror image of the patch's result.
    void flipAveragingIsTheMeanOfTheMirroredPasses()
    {
        const auto slide = openSlide(test::sampleSlide());
        const cv::Mat rgb = slide->readRegion(0, 1200, 900, 256, 256).clone();
        const CellVitModel& model = goldenModel();
        const auto averaged = [&](const cv::Mat& image) {
            at::Tensor batch = model.hostBatch(1, 256, 256);
            std::memcpy(batch[0].data_ptr(), image.data, 256 * 256 * 3);
            return model.segmentationForward(batch, {}, MapOptions { 1, true });
        };
        const SegmentationMaps ours = averaged(rgb);

        const at::Tensor input = model.normaliseImage(rgb.data, rgb.rows, rgb.cols, static_cast<int64_t>(rgb.step));
        at::Tensor nuclei = at::zeros({ 2, 256, 256 }), types = at::zeros({ 6, 256, 256 }), hv = at::zeros({ 2, 256, 256 });
        const std::vector<std::vector<int64_t>> mirrors { {}, { 3 }, { 2 }, { 2, 3 } };
        for (const auto& dims : mirrors) {
            const auto back = [&](const at::Tensor& t) { return dims.empty() ? t : t.flip(dims); };
            const ModelOutputs out = model.forward(back(input).contiguous());
            nuclei += back(out.nucleiBinaryMap.softmax(1))[0];
            types += back(out.nucleiTypeMap.softmax(1))[0];
            at::Tensor h = back(out.hvMap)[0].clone();
            for (const int64_t dim : dims)
                h[dim == 3 ? 0 : 1].neg_();
            hv += h;
        }
        // Four summands in another order: a few float32 roundings of the largest magnitude.
        const float hvTolerance = 1e-6f * std::max(1.0f, hv.abs().max().item<float>() / 4);
        QVERIFY((ours.hvMap[0] - hv / 4).abs().max().item<float>() <= hvTolerance);
        const ModelOutputs plain = model.forward(input);
        QVERIFY(ours.tokens.equal(plain.tokens)); // embeddings come from the unmirrored pass
        const auto differing = [](const at::Tensor& labels, const at::Tensor& probabilities) {
            return (labels[0].to(at::kLong) != probabilities.argmax(0)).sum().item<int64_t>();
        };
        QVERIFY(differing(ours.nucleiBinaryArgmax, nuclei) <= 256 * 256 / 10000);
        QVERIFY(differing(ours.nucleiTypeArgmax, types) <= 256 * 256 / 10000);
        // Averaging changes the labels (else this test would not tell the option from a plain pass).
        QVERIFY(differing(ours.nucleiBinaryArgmax, plain.nucleiBinaryMap[0]) > 256 * 256 / 1000);

        cv::Mat mirrored;
        cv::flip(rgb, mirrored, 1);
        const SegmentationMaps ofMirrored = averaged(mirrored);
        QVERIFY(ofMirrored.nucleiBinaryArgmax.flip({ 2 }).ne(ours.nucleiBinaryArgmax).sum().item<int64_t>()
                <= 256 * 256 / 10000);
        QVERIFY((ofMirrored.hvMap[0][0].flip({ 1 }) + ours.hvMap[0][0]).abs().max().item<float>() <= hvTolerance);
        QVERIFY((ofMirrored.hvMap[0][1].flip({ 1 }) - ours.hvMap[0][1]).abs().max().item<float>() <= hvTolerance);
    }

    // The device reduction relies on ATen's argmax following np.argmax: first maximum on ties, NaN as the
    // maximum (the first NaN).
    void atenArgmaxFollowsNumpy()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        // 3 channels x 1 x 5 pixels: a tie of all, a tie of the last two, a NaN, two NaNs, a plain maximum.
        const std::vector<float> logits { 1, 0, nan, 0, 5, /**/ 1, 2, 3, nan, 1, /**/ 1, 2, nan, nan, 2 };
        const at::Tensor t = at::from_blob(const_cast<float*>(logits.data()), { 1, 3, 1, 5 }, at::kFloat);
        const at::Tensor aten = t.argmax(1).to(at::kByte).contiguous();
        const cv::Mat ours = argmaxOverChannels(logits.data(), 3, 1, 5);
        QCOMPARE(std::vector<uint8_t>(aten.data_ptr<uint8_t>(), aten.data_ptr<uint8_t>() + 5),
            std::vector<uint8_t>(ours.data, ours.data + 5));
        QCOMPARE(std::vector<uint8_t>(ours.data, ours.data + 5), (std::vector<uint8_t> { 0, 1, 0, 1, 0 }));
    }

    void cancelStopsEarlyAndKeepsFinishedPatches()
    {
        const auto slide = openSlide(test::sampleSlide());
        const TilePlan plan = planTiles(*slide, 0.499, 0.5);
        std::atomic<bool> cancel { false };
        size_t delivered = 0;
        const DiscPredictor predictor;
        const bool complete = segmentPatches(
            *slide, plan, plan.patches, predictor, PostprocParams::forMagnification(20), {},
            [&](PatchResult&& r) {
                QCOMPARE(r.cells.size(), size_t { 1 }); // never a half patch
                ++delivered;
                cancel = true;
            },
            {}, &cancel);
        QVERIFY(!complete);
        // Every patch that went through the predictor is delivered; nothing after the cancel is started.
        QCOMPARE(delivered, static_cast<size_t>(predictor.calls.load()));
        QVERIFY2(delivered < plan.patches.size(), qPrintable(QString::number(delivered)));
    }

    void unreadableSlideErrorPropagates()
    {
        const auto slide = openSlide(test::sampleSlide());
        TilePlan plan = planTiles(*slide, 0.499, 0.5);
        plan.native = false;
        plan.readLevel = 7; // no such level: the reader's error must reach the caller, no hang
        const DiscPredictor predictor;
        QVERIFY_THROWS_EXCEPTION(SlideError,
            segmentPatches(
                *slide, plan, plan.patches, predictor, PostprocParams::forMagnification(20), {}, [](PatchResult&&) {}));
    }
};

QTEST_GUILESS_MAIN(TestPatchSegmenter)
#include "tst_patch_segmenter.moc"
