// The run journal keeps finished patches across a crash and resumes only the same run.
#include "inference/pipeline/run_journal.h"
#include "test_support.h"

#include <QTemporaryDir>

using namespace cellvit;

namespace {

PatchResult makeResult(int row, int col, int cells, int dim)
{
    PatchResult r;
    r.patch = { row, col, int64_t { col * 960 - 32 }, int64_t { row * 960 - 32 } };
    r.embeddingDim = dim;
    for (int i = 0; i < cells; ++i) {
        Cell c;
        c.id = i + 1;
        c.rmin = 10 * i;
        c.cmin = 5 * i;
        c.rmax = c.rmin + 12;
        c.cmax = c.cmin + 9;
        c.centroid = { c.cmin + 4.25, c.rmin + 5.75 };
        c.contour = { { c.cmin, c.rmin }, { c.cmax - 1, c.rmin }, { c.cmax - 1, c.rmax - 1 } };
        c.type = 1 + i % 5;
        c.typeProb = 0.5 + 0.01 * i;
        r.cells.push_back(c);
        for (int d = 0; d < dim; ++d)
            r.embeddings.push_back(static_cast<float>(i * 100 + d) / 7.0f);
    }
    return r;
}

void compare(const PatchResult& a, const PatchResult& b)
{
    QCOMPARE(a.patch.row, b.patch.row);
    QCOMPARE(a.patch.originX, b.patch.originX);
    QCOMPARE(a.cells.size(), b.cells.size());
    for (size_t i = 0; i < a.cells.size(); ++i) {
        QCOMPARE(a.cells[i].contour, b.cells[i].contour);
        QCOMPARE(a.cells[i].centroid, b.cells[i].centroid);
        QCOMPARE(a.cells[i].typeProb, b.cells[i].typeProb);
        QCOMPARE(a.cells[i].cmax, b.cells[i].cmax);
    }
    QCOMPARE(a.embeddings, b.embeddings);
}

} // namespace

class TestRunJournal : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resumesTheSameRun()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("run.journal")).toStdString();
        const nlohmann::json key { { "slide", "a.svs" }, { "model", "sha" } };
        {
            RunJournal journal(path, key);
            QVERIFY(!journal.resumed());
            journal.append(makeResult(0, 0, 3, 8));
            journal.append(makeResult(0, 1, 0, 8));
        }
        RunJournal again(path, key);
        QCOMPARE(again.finished().size(), size_t { 2 });
        compare(again.finished()[0], makeResult(0, 0, 3, 8));
        compare(again.finished()[1], makeResult(0, 1, 0, 8));
    }

    void tornTailIsDroppedAndWritingContinues()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("run.journal")).toStdString();
        const nlohmann::json key { { "slide", "a.svs" } };
        {
            RunJournal journal(path, key);
            journal.append(makeResult(0, 0, 4, 16));
            journal.append(makeResult(1, 0, 4, 16));
        }
        // A crash in the middle of the second record.
        std::filesystem::resize_file(path, std::filesystem::file_size(path) - 50);
        {
            RunJournal journal(path, key);
            QCOMPARE(journal.finished().size(), size_t { 1 });
            journal.append(makeResult(2, 0, 2, 16));
        }
        RunJournal last(path, key);
        QCOMPARE(last.finished().size(), size_t { 2 });
        compare(last.finished()[1], makeResult(2, 0, 2, 16));
    }

    void otherRunStartsAfresh()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath(QStringLiteral("run.journal")).toStdString();
        {
            RunJournal journal(path, { { "model", "A" } });
            journal.append(makeResult(0, 0, 1, 4));
        }
        RunJournal other(path, { { "model", "B" } });
        QVERIFY(!other.resumed());
        // A file that is not a journal at all is replaced, not parsed.
        std::filesystem::copy_file(test::sourceDir() / "README.md", path, std::filesystem::copy_options::overwrite_existing);
        RunJournal garbage(path, { { "model", "B" } });
        QVERIFY(!garbage.resumed());
    }

    void unwritableLocationIsReported()
    {
        QVERIFY_THROWS_EXCEPTION(JournalError, RunJournal("/proc/cellvit-no-such-dir/run.journal", { { "a", 1 } }));
    }
};

QTEST_GUILESS_MAIN(TestRunJournal)
#include "tst_run_journal.moc"
