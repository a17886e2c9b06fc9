// UMAP on synthetic Gaussian clusters: neighbourhoods preserved (trustworthiness, kNN accuracy), determinism,
// cancellation, progress and input errors.
#include "inference/embeddings/umap.h"
#include "inference/embeddings/umap_curve.h"
#include "inference/embeddings/umap_quality.h"
#include "synthetic_clusters.h"
#include "test_support.h"

#include <atomic>
#include <chrono>
#include <cmath>

using namespace cellvit;

class TestUmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void curveMatchesUmapLearn()
    {
        // umap-learn find_ab_params(spread=1, min_dist=0.1) = (1.5769434, 0.8950608).
        const UmapCurve c = fitUmapCurve(0.1, 1.0);
        qInfo("a=%.6f b=%.6f", c.a, c.b);
        QVERIFY(std::abs(c.a - 1.5769434) < 2e-3);
        QVERIFY(std::abs(c.b - 0.8950608) < 2e-3);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, fitUmapCurve(0.1, 0.0));
    }

    void preservesClusters_data()
    {
        QTest::addColumn<int>("clusters");
        QTest::addColumn<int>("metric");
        QTest::addColumn<int>("init");
        // 3000 points: exact kNN; 6000 points: hnswlib.
        QTest::newRow("exact euclidean spectral") << 10 << int(UmapMetric::Euclidean) << int(UmapInit::Spectral);
        QTest::newRow("exact cosine pca") << 10 << int(UmapMetric::Cosine) << int(UmapInit::Pca);
        QTest::newRow("hnsw euclidean spectral") << 20 << int(UmapMetric::Euclidean) << int(UmapInit::Spectral);
    }

    void preservesClusters()
    {
        QFETCH(int, clusters);
        QFETCH(int, metric);
        QFETCH(int, init);
        const auto data = test::gaussianClusters(clusters, 300, 50, 3.0, 7);
        UmapParams params;
        params.metric = UmapMetric(metric);
        params.init = UmapInit(init);
        params.threads = 2;
        const auto start = std::chrono::steady_clock::now();
        const std::vector<float> layout = computeUmap(data.values.data(), data.n, data.dim, params);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QCOMPARE(layout.size(), data.n * 2);
        for (float v : layout)
            QVERIFY(std::isfinite(v));

        // Quality on at most 3000 rows (O(n²)).
        const std::size_t step = (data.n + 2999) / 3000;
        const auto high = test::everyNth(data.values, data.dim, step);
        const auto low = test::everyNth(layout, 2, step);
        std::vector<int> labels;
        for (std::size_t i = 0; i < data.n; i += step)
            labels.push_back(data.labels[i]);
        const std::size_t m = labels.size();
        const double trust = trustworthiness(high.data(), data.dim, low.data(), 2, m, 10);
        const double accHigh = knnClassificationAccuracy(high.data(), m, data.dim, labels, 10);
        const double accLow = knnClassificationAccuracy(low.data(), m, 2, labels, 10);
        qInfo("n=%zu: %.2f s, trustworthiness@10 %.4f, kNN accuracy %.4f (50-D) vs %.4f (2-D)", data.n, seconds, trust,
            accHigh, accLow);
        QVERIFY(trust >= 0.9);
        QVERIFY(accLow >= accHigh - 0.03);
        QVERIFY(accHigh > 0.95); // the clusters are separable at all (else the comparison would say little)
    }

    void isDeterministic()
    {
        const auto data = test::gaussianClusters(5, 120, 20, 3.0, 3);
        UmapParams params;
        params.threads = 2;
        params.epochs = 100;
        const auto first = computeUmap(data.values.data(), data.n, data.dim, params);
        const auto again = computeUmap(data.values.data(), data.n, data.dim, params);
        QVERIFY(first == again);
        params.threads = 1; // the documented contract: the thread count does not matter either
        QVERIFY(computeUmap(data.values.data(), data.n, data.dim, params) == first);
        params.threads = 2;
        params.seed = 43;
        const auto other = computeUmap(data.values.data(), data.n, data.dim, params);
        QVERIFY(other != first);
    }

    void hnswPathIsDeterministic()
    {
        const auto data = test::gaussianClusters(10, 500, 16, 3.0, 5); // 5000 rows > exact limit
        UmapParams params;
        params.epochs = 20;
        params.threads = 2;
        const auto first = computeUmap(data.values.data(), data.n, data.dim, params);
        params.threads = 1;
        QVERIFY(computeUmap(data.values.data(), data.n, data.dim, params) == first);
    }

    void cancelsPromptly()
    {
        const auto data = test::gaussianClusters(10, 600, 50, 3.0, 9);
        std::atomic<bool> cancel { false };
        std::chrono::steady_clock::time_point cancelledAt;
        UmapCallbacks callbacks;
        double lastFraction = 0.0;
        callbacks.onProgress = [&](double fraction, const std::string&) {
            QVERIFY(fraction >= lastFraction - 1e-12);
            lastFraction = fraction;
            if (fraction > 0.6 && !cancel) { // in the SGD layout
                cancel = true;
                cancelledAt = std::chrono::steady_clock::now();
            }
        };
        callbacks.isCancelled = [&] { return cancel.load(); };
        UmapParams params;
        params.threads = 2;
        bool thrown = false;
        try {
            computeUmap(data.values.data(), data.n, data.dim, params, callbacks);
        } catch (const UmapCancelled&) {
            thrown = true;
        }
        QVERIFY(thrown);
        const double latency = std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelledAt).count();
        qInfo("cancelled %.1f ms after the request", latency * 1e3);
        QVERIFY(latency < 0.2);

        // Cancelled from the start (during the kNN search).
        callbacks.onProgress = {};
        callbacks.isCancelled = [] { return true; };
        QVERIFY_THROWS_EXCEPTION(UmapCancelled, computeUmap(data.values.data(), data.n, data.dim, params, callbacks));
    }

    void reportsProgressToTheEnd()
    {
        const auto data = test::gaussianClusters(3, 50, 8, 3.0, 1);
        std::vector<double> fractions;
        UmapCallbacks callbacks;
        callbacks.onProgress = [&](double f, const std::string&) { fractions.push_back(f); };
        computeUmap(data.values.data(), data.n, data.dim, UmapParams {}, callbacks);
        QVERIFY(fractions.size() > 10);
        QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
        QCOMPARE(fractions.back(), 1.0);
    }

    void rejectsBadInput()
    {
        auto data = test::gaussianClusters(2, 20, 4, 3.0, 1);
        data.values[17 * 4 + 2] = std::nanf("");
        const std::string message = test::thrownMessage<std::invalid_argument>(
            [&] { computeUmap(data.values.data(), data.n, data.dim, UmapParams {}); });
        qInfo("%s", message.c_str());
        QVERIFY(message.find("row 17") != std::string::npos);
        data.values[17 * 4 + 2] = INFINITY;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeUmap(data.values.data(), data.n, data.dim, {}));
        data.values[17 * 4 + 2] = 0.0f;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeUmap(data.values.data(), 1, data.dim, {}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeUmap(data.values.data(), data.n, 0, {}));
        UmapParams params;
        params.nNeighbors = 1;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeUmap(data.values.data(), data.n, data.dim, params));
        params = {};
        params.minDist = -1.0;
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeUmap(data.values.data(), data.n, data.dim, params));
        // Tiny inputs still work: fewer points than neighbours, identical points.
        const std::vector<float> same(3 * 4, 1.0f);
        const auto layout = computeUmap(same.data(), 3, 4, UmapParams {});
        QCOMPARE(layout.size(), size_t(6));
        for (float v : layout)
            QVERIFY(std::isfinite(v));
    }

    void qualityMeasuresAreSane()
    {
        const auto data = test::gaussianClusters(4, 50, 10, 3.0, 2);
        // A layout equal to the first two coordinates of itself: identity in 2-D is perfectly trustworthy.
        std::vector<float> first2;
        for (std::size_t i = 0; i < data.n; ++i)
            first2.insert(first2.end(), { data.values[i * 10], data.values[i * 10 + 1] });
        QCOMPARE(trustworthiness(first2.data(), 2, first2.data(), 2, data.n, 5), 1.0);
        // A random layout is much less trustworthy than the data itself.
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> u;
        std::vector<float> random(data.n * 2);
        for (float& v : random)
            v = u(rng);
        QVERIFY(trustworthiness(data.values.data(), 10, random.data(), 2, data.n, 5) < 0.7);
        QVERIFY_THROWS_EXCEPTION(
            std::invalid_argument, trustworthiness(first2.data(), 2, first2.data(), 2, data.n, 150));
    }
};

QTEST_GUILESS_MAIN(TestUmap)
#include "tst_umap.moc"
