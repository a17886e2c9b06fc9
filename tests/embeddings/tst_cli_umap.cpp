// `cellvit-cli umap` end to end: embeddings.npy + cells.json in, CSV of cell id, x, y out; errors name the file.
#include "inference/embeddings/umap_quality.h"
#include "inference/io/npy.h"
#include "synthetic_clusters.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace cellvit;

class TestCliUmap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writesLayoutCsv()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        const auto data = test::gaussianClusters(3, 100, 16, 3.0, 8);
        writeNpy(root / "embeddings.npy", { int64_t(data.n), int64_t(data.dim) }, data.values.data());
        {
            std::ofstream cells(root / "cells.json");
            cells << "{\"cells\": [";
            for (std::size_t i = 0; i < data.n; ++i)
                cells << (i ? "," : "") << "{\"id\": \"cell-" << i << "\", \"type\": 1}";
            cells << "]}";
        }
        const auto run
            = test::runCli({ "umap", "--embeddings", QString::fromStdString((root / "embeddings.npy").string()),
                "--cells", QString::fromStdString((root / "cells.json").string()), "--neighbors", "10", "--seed", "3",
                "--out", QString::fromStdString((root / "umap.csv").string()) });
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.err.contains(QStringLiteral("100%"))); // the progress bar ran to the end

        std::ifstream csv(root / "umap.csv");
        std::string line;
        std::getline(csv, line);
        QCOMPARE(line, std::string("cell_id,x,y"));
        std::vector<float> layout;
        std::size_t row = 0;
        while (std::getline(csv, line)) {
            std::istringstream fields(line);
            std::string id, x, y;
            std::getline(fields, id, ',');
            std::getline(fields, x, ',');
            std::getline(fields, y, ',');
            QCOMPARE(id, "cell-" + std::to_string(row++));
            layout.push_back(std::stof(x));
            layout.push_back(std::stof(y));
        }
        QCOMPARE(row, data.n);
        const double trust = trustworthiness(data.values.data(), data.dim, layout.data(), 2, data.n, 10);
        qInfo("CLI layout trustworthiness@10 %.4f", trust);
        QVERIFY(trust >= 0.9);
    }

    void reportsBadInput()
    {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        auto data = test::gaussianClusters(2, 20, 4, 3.0, 1);
        data.values[5 * 4 + 1] = std::nanf("");
        const QString npy = QString::fromStdString((root / "embeddings.npy").string());
        writeNpy(root / "embeddings.npy", { int64_t(data.n), int64_t(data.dim) }, data.values.data());
        const QString out = QString::fromStdString((root / "umap.csv").string());
        auto run = test::runCli({ "umap", "--embeddings", npy, "--out", out });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(npy) && run.err.contains(QStringLiteral("row 5")), qPrintable(run.err));

        const QString cells = QString::fromStdString((root / "cells.json").string());
        std::ofstream(root / "cells.json") << "[{\"type\": 1}]";
        data.values[5 * 4 + 1] = 0.0f;
        writeNpy(root / "embeddings.npy", { int64_t(data.n), int64_t(data.dim) }, data.values.data());
        run = test::runCli({ "umap", "--embeddings", npy, "--cells", cells, "--out", out });
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(cells), qPrintable(run.err));

        run = test::runCli({ "umap", "--embeddings", npy, "--metric", "manhattan", "--out", out });
        QCOMPARE(run.exitCode, 2);
        run = test::runCli({ "umap", "--embeddings", npy });
        QCOMPARE(run.exitCode, 2);
        const QString missing = QString::fromStdString((root / "missing.npy").string());
        run = test::runCli({ "umap", "--embeddings", missing, "--out", out });
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(missing));
    }
};

QTEST_GUILESS_MAIN(TestCliUmap)
#include "tst_cli_umap.moc"
