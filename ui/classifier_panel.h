#pragma once
// The Classifier dock: the pathologist defines classes (name + colour), labels cells by clicking them on the
// slide or with a lasso in the embedding plot, and trains a softmax classifier on the labelled cells'
// embeddings in the background (CellClassifier). It then shows the cross-validated accuracy on the labelled
// cells and the per-class counts before and after; Apply makes the overlay, the class counts and the GeoJSON
// export use the new classes. The classifier (with its taxonomy) is saved and loaded as JSON.

#include "inference/embeddings/cell_classifier.h"

#include <QColor>
#include <QPointer>
#include <QString>
#include <QWidget>
#include <map>
#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace cellvit {

class BackgroundTask;
class CellLayer;
class TaskManager;

class ClassifierPanel : public QWidget {
    Q_OBJECT
public:
    // Training runs as a task of `tasks` (which joins it when destroyed).
    ClassifierPanel(CellLayer* layer, TaskManager* tasks, QWidget* parent = nullptr);
    ~ClassifierPanel() override;

    // --- classes (index = position in the list)
    int addClass(const QString& name, const QColor& color);
    void removeClass(int index); // and its labels
    int classCount() const { return int(m_classes.size()); }
    const std::vector<ClassifierClass>& classes() const { return m_classes; }
    void setCurrentClass(int index);
    int currentClass() const;

    // --- labels (cell id -> class index); they are dropped when the cells change
    // While labelling is on, a click on a nucleus labels it with the current class.
    void setLabelling(bool on);
    bool isLabelling() const;
    void labelCells(const std::vector<quint32>& cellIds); // with the current class; cells without embedding skipped
    void clearLabels();
    const std::map<quint32, int>& labels() const { return m_labels; }
    std::map<quint32, QColor> labelColors() const;

    // --- training: in the background; trainingFinished(ok) follows. False when it cannot start (fewer
    // than two classes labelled, no embeddings, already training) with the reason in statusText().
    bool train();
    bool isTraining() const { return m_training; }
    void waitForTraining(); // tests, shutdown
    const CellClassifier& classifier() const { return m_classifier; }
    double crossValidatedAccuracy() const { return m_accuracy; } // NaN when not computed
    // Per cell of the layer: class index, -1 for cells without embedding. Empty before training.
    const std::vector<int>& predictedClasses() const { return m_predicted; }
    const std::vector<float>& predictedProbabilities() const { return m_probabilities; }
    QTableWidget* countsTable() const { return m_counts; } // Class | Before | After
    QString statusText() const;

    // Overlay, counts and export use the classifier's classes (type id = class index + 1; 0 = unclassified).
    bool apply();

    // JSON via CellClassifier::save/load; load replaces the classes and predicts all cells (in the
    // background, trainingFinished follows). False with the reason in *error.
    bool saveClassifier(const QString& path, QString* error = nullptr) const;
    bool loadClassifier(const QString& path, QString* error = nullptr);

Q_SIGNALS:
    void labelsChanged();
    void trainingFinished(bool ok);
    void applied();
    void exportRequested(); // GeoJSON of the reclassified cells

private:
    struct Outcome;
    bool startJob(bool trainFirst);
    void onJobDone(std::shared_ptr<Outcome> outcome);
    void rebuildClassTable();
    void fillCounts();
    void onCellsChanged();
    void setStatus(const QString& text);
    void saveDialog();
    void loadDialog();

    CellLayer* m_layer; // not owned
    TaskManager* m_tasks; // not owned
    std::vector<ClassifierClass> m_classes;
    std::map<quint32, int> m_labels;
    CellClassifier m_classifier;
    double m_accuracy;
    std::vector<int> m_predicted;
    std::vector<float> m_probabilities;
    quint64 m_layerRevision = 0;
    bool m_training = false;
    QPointer<BackgroundTask> m_job;

    QTableWidget* m_classTable = nullptr;
    QTableWidget* m_counts = nullptr;
    QPushButton* m_label = nullptr;
    QPushButton* m_train = nullptr;
    QPushButton* m_apply = nullptr;
    QLabel* m_accuracyLabel = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace cellvit
