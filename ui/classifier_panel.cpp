#include "ui/classifier_panel.h"

#include "ui/task_manager.h"
#include "viewer/cell_layer.h"

#include <QColorDialog>
#include <QCoreApplication>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <new>

namespace cellvit {

namespace {

constexpr int kColourColumn = 0, kNameColumn = 1, kLabelledColumn = 2;

QColor toQColor(const ClassifierClass& c)
{
    return QColor(c.color[0], c.color[1], c.color[2]);
}

// A colour for the next class that differs from the reference nucleus colours.
QColor paletteColor(int index)
{
    static const QColor palette[] = { QColor(230, 25, 75), QColor(60, 180, 75), QColor(0, 130, 200),
        QColor(245, 130, 48), QColor(145, 30, 180), QColor(70, 240, 240), QColor(240, 50, 230), QColor(128, 128, 0) };
    return palette[size_t(index) % std::size(palette)];
}

} // namespace

struct ClassifierPanel::Outcome {
    CellClassifier classifier;
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    QString accuracyProblem;
    std::vector<int> classes;
    std::vector<float> probabilities;
    QString error;
};

ClassifierPanel::ClassifierPanel(CellLayer* layer, TaskManager* tasks, QWidget* parent)
    : QWidget(parent)
    , m_layer(layer)
    , m_tasks(tasks)
    , m_accuracy(std::numeric_limits<double>::quiet_NaN())
{
    m_classTable = new QTableWidget(0, 3, this);
    m_classTable->setHorizontalHeaderLabels({ tr("Colour"), tr("Class"), tr("Labelled") });
    m_classTable->horizontalHeader()->setSectionResizeMode(kNameColumn, QHeaderView::Stretch);
    m_classTable->verticalHeader()->hide();
    m_classTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_classTable->setSelectionMode(QAbstractItemView::SingleSelection);
    auto* add = new QPushButton(tr("Add Class"), this);
    auto* remove = new QPushButton(tr("Remove"), this);
    m_label = new QPushButton(tr("Label Cells"), this);
    m_label->setCheckable(true);
    m_label->setToolTip(tr("While on, clicking a nucleus on the slide or selecting points in the UMAP plot labels "
                           "them with the current class"));
    auto* clear = new QPushButton(tr("Clear Labels"), this);
    m_train = new QPushButton(tr("Train"), this);
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setEnabled(false);
    auto* save = new QPushButton(tr("Save…"), this);
    auto* load = new QPushButton(tr("Load…"), this);
    auto* exportCells = new QPushButton(tr("Export GeoJSON…"), this);
    m_accuracyLabel = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_counts = new QTableWidget(0, 3, this);
    m_counts->setHorizontalHeaderLabels({ tr("Class"), tr("Before"), tr("After") });
    m_counts->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_counts->verticalHeader()->hide();
    m_counts->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* classButtons = new QHBoxLayout;
    classButtons->addWidget(add);
    classButtons->addWidget(remove);
    auto* labelButtons = new QHBoxLayout;
    labelButtons->addWidget(m_label);
    labelButtons->addWidget(clear);
    auto* runButtons = new QHBoxLayout;
    runButtons->addWidget(m_train);
    runButtons->addWidget(m_apply);
    auto* fileButtons = new QHBoxLayout;
    fileButtons->addWidget(save);
    fileButtons->addWidget(load);
    fileButtons->addWidget(exportCells);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_classTable, 1);
    layout->addLayout(classButtons);
    layout->addLayout(labelButtons);
    layout->addLayout(runButtons);
    layout->addWidget(m_accuracyLabel);
    layout->addWidget(m_counts, 1);
    layout->addLayout(fileButtons);
    layout->addWidget(m_status);
    setStatus(tr("Add classes, label cells of each, then train."));

    connect(add, &QPushButton::clicked, this, [this] {
        const int index = addClass(tr("Class %1").arg(classCount() + 1), paletteColor(classCount()));
        setCurrentClass(index);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        if (currentClass() >= 0)
            removeClass(currentClass());
    });
    connect(clear, &QPushButton::clicked, this, &ClassifierPanel::clearLabels);
    connect(m_train, &QPushButton::clicked, this, &ClassifierPanel::train);
    connect(m_apply, &QPushButton::clicked, this, &ClassifierPanel::apply);
    connect(save, &QPushButton::clicked, this, &ClassifierPanel::saveDialog);
    connect(load, &QPushButton::clicked, this, &ClassifierPanel::loadDialog);
    connect(exportCells, &QPushButton::clicked, this, &ClassifierPanel::exportRequested);
    connect(m_classTable, &QTableWidget::itemChanged, this, [this](QTableWidgetItem* item) {
        if (item->column() != kNameColumn || item->row() >= classCount())
            return;
        const std::string name = item->text().trimmed().toStdString();
        if (!name.empty())
            m_classes[size_t(item->row())].name = name;
    });
    connect(m_classTable, &QTableWidget::cellDoubleClicked, this, [this](int row, int column) {
        if (column != kColourColumn || row >= classCount())
            return;
        const QColor chosen = QColorDialog::getColor(toQColor(m_classes[size_t(row)]), this, tr("Class Colour"));
        if (!chosen.isValid())
            return;
        m_classes[size_t(row)].color
            = { std::uint8_t(chosen.red()), std::uint8_t(chosen.green()), std::uint8_t(chosen.blue()) };
        rebuildClassTable();
        Q_EMIT labelsChanged();
    });
    connect(m_layer, &CellLayer::selectedCellChanged, this, [this](std::optional<quint32> id) {
        if (id && isLabelling())
            labelCells({ *id });
    });
    connect(m_layer, &CellLayer::cellsChanged, this, &ClassifierPanel::onCellsChanged);
    connect(m_layer, &CellLayer::embeddingsChanged, this, &ClassifierPanel::onCellsChanged);
    m_layerRevision = m_layer->contentRevision();
}

ClassifierPanel::~ClassifierPanel() = default; // a training in flight is joined by the TaskManager

int ClassifierPanel::addClass(const QString& name, const QColor& color)
{
    m_classes.push_back(
        { name.toStdString(), { std::uint8_t(color.red()), std::uint8_t(color.green()), std::uint8_t(color.blue()) } });
    rebuildClassTable();
    return classCount() - 1;
}

void ClassifierPanel::removeClass(int index)
{
    if (index < 0 || index >= classCount())
        return;
    m_classes.erase(m_classes.begin() + index);
    for (auto it = m_labels.begin(); it != m_labels.end();) {
        if (it->second == index) {
            it = m_labels.erase(it);
            continue;
        }
        if (it->second > index)
            --it->second;
        ++it;
    }
    rebuildClassTable();
    Q_EMIT labelsChanged();
}

void ClassifierPanel::setCurrentClass(int index)
{
    if (index >= 0 && index < classCount())
        m_classTable->selectRow(index);
}

int ClassifierPanel::currentClass() const
{
    const int row = m_classTable->currentRow();
    return row >= 0 && row < classCount() ? row : (classCount() > 0 ? 0 : -1);
}

void ClassifierPanel::setLabelling(bool on)
{
    m_label->setChecked(on);
}

bool ClassifierPanel::isLabelling() const
{
    return m_label->isChecked();
}

void ClassifierPanel::labelCells(const std::vector<quint32>& cellIds)
{
    const int current = currentClass();
    if (current < 0) {
        setStatus(tr("Add a class first."));
        return;
    }
    size_t labelled = 0;
    for (quint32 id : cellIds)
        if (m_layer->hasEmbedding(id)) {
            m_labels[id] = current;
            ++labelled;
        }
    rebuildClassTable();
    setStatus(labelled == cellIds.size()
            ? tr("%n cell(s) labelled %1.", nullptr, int(labelled))
                  .arg(QString::fromStdString(m_classes[size_t(current)].name))
            : tr("%1 of %2 cells labelled; the others have no embedding.").arg(labelled).arg(cellIds.size()));
    Q_EMIT labelsChanged();
}

void ClassifierPanel::clearLabels()
{
    m_labels.clear();
    rebuildClassTable();
    Q_EMIT labelsChanged();
}

std::map<quint32, QColor> ClassifierPanel::labelColors() const
{
    std::map<quint32, QColor> colours;
    for (const auto& [cell, index] : m_labels)
        colours.emplace(cell, toQColor(m_classes[size_t(index)]));
    return colours;
}

bool ClassifierPanel::train()
{
    return startJob(true);
}

bool ClassifierPanel::startJob(bool trainFirst)
{
    if (m_training)
        return false;
    const size_t n = m_layer->size(), dim = size_t(m_layer->embeddingDim());
    if (dim == 0 || n == 0) {
        setStatus(tr("The cells have no embeddings: run the model first."));
        return false;
    }
    std::vector<size_t> rows;
    std::vector<int> labels;
    std::vector<int> perClass(m_classes.size(), 0);
    for (const auto& [cell, index] : m_labels) {
        rows.push_back(cell);
        labels.push_back(index);
        ++perClass[size_t(index)];
    }
    if (trainFirst && std::count_if(perClass.begin(), perClass.end(), [](int c) { return c > 0; }) < 2) {
        setStatus(tr("Label cells of at least two classes first."));
        return false;
    }
    if (!trainFirst && (!m_classifier.isTrained() || m_classifier.dimension() != dim)) {
        setStatus(tr("The classifier expects embeddings of dimension %1; these cells have %2.")
                      .arg(m_classifier.dimension())
                      .arg(dim));
        return false;
    }
    int smallest = std::numeric_limits<int>::max();
    for (int c : perClass)
        if (c > 0)
            smallest = std::min(smallest, c);
    const int folds = std::clamp(smallest, 2, 5);

    // The worker gets copies: the layer may change (a new run) while it trains.
    std::vector<float> embeddings = m_layer->embeddings();
    std::vector<char> present(n);
    for (size_t i = 0; i < n; ++i)
        present[i] = m_layer->hasEmbedding(quint32(i)) ? 1 : 0;
    m_training = true;
    m_train->setEnabled(false);
    m_layerRevision = m_layer->contentRevision();
    setStatus(trainFirst ? tr("Training on %n labelled cell(s)…", nullptr, int(rows.size())) : tr("Classifying…"));
    m_job = m_tasks->run<std::shared_ptr<Outcome>>(
        tr("Training the classifier"), this,
        [trainFirst, classes = m_classes, loaded = m_classifier, rows, labels, folds,
            embeddings = std::move(embeddings), present = std::move(present), n, dim](BackgroundTask&) {
            auto outcome = std::make_shared<Outcome>();
            try {
                outcome->classifier
                    = trainFirst ? CellClassifier::train(embeddings.data(), n, dim, rows, labels, classes) : loaded;
                if (trainFirst) {
                    try {
                        outcome->accuracy = CellClassifier::crossValidatedAccuracy(
                            embeddings.data(), n, dim, rows, labels, classes.size(), folds);
                    } catch (const std::exception& e) { // too few labels to split; the classifier itself is fine
                        outcome->accuracyProblem = QString::fromLocal8Bit(e.what());
                    }
                }
                ClassifierPrediction prediction = outcome->classifier.predict(embeddings.data(), n, dim);
                outcome->classes = std::move(prediction.classes);
                outcome->probabilities = std::move(prediction.probabilities);
                for (size_t i = 0; i < n; ++i)
                    if (!present[i]) {
                        outcome->classes[i] = -1;
                        outcome->probabilities[i] = 0;
                    }
            } catch (const std::bad_alloc&) {
                outcome->error = tr("Out of memory while training the classifier.");
            } catch (const std::exception& e) {
                outcome->error = QString::fromLocal8Bit(e.what());
            }
            return outcome;
        },
        [this](std::shared_ptr<Outcome>&& outcome) { onJobDone(std::move(outcome)); },
        [this](const QString& error) {
            auto failed = std::make_shared<Outcome>();
            failed->error = error;
            onJobDone(std::move(failed));
        });
    return true;
}

void ClassifierPanel::waitForTraining()
{
    if (m_training && m_job)
        m_job->waitForFinished(); // delivers before returning
}

void ClassifierPanel::onJobDone(std::shared_ptr<Outcome> outcome)
{
    if (!m_training)
        return;
    m_training = false;
    m_train->setEnabled(true);
    if (!outcome->error.isEmpty()) {
        setStatus(tr("Training failed: %1").arg(outcome->error));
        Q_EMIT trainingFinished(false);
        return;
    }
    if (m_layer->contentRevision() != m_layerRevision) {
        setStatus(tr("The cells changed while training: train again."));
        Q_EMIT trainingFinished(false);
        return;
    }
    m_classifier = std::move(outcome->classifier);
    m_accuracy = outcome->accuracy;
    m_predicted = std::move(outcome->classes);
    m_probabilities = std::move(outcome->probabilities);
    m_accuracyLabel->setText(std::isnan(m_accuracy)
            ? (outcome->accuracyProblem.isEmpty() ? QString()
                                                  : tr("Cross-validation: %1").arg(outcome->accuracyProblem))
            : tr("Cross-validated accuracy on the labelled cells: %1 %").arg(m_accuracy * 100, 0, 'f', 1));
    fillCounts();
    m_apply->setEnabled(true);
    setStatus(tr("Classified %n cell(s). Apply to show the new classes.", nullptr, int(m_predicted.size())));
    Q_EMIT trainingFinished(true);
}

void ClassifierPanel::fillCounts()
{
    // Rows by class name: the current classes of the layer first, then the classifier's.
    std::vector<QString> names;
    std::map<QString, std::pair<qint64, qint64>> counts;
    auto row = [&](const QString& name) -> std::pair<qint64, qint64>& {
        if (!counts.count(name))
            names.push_back(name);
        return counts[name];
    };
    for (const SlideCell& cell : m_layer->cells())
        ++row(m_layer->className(cell.type)).first;
    for (const ClassifierClass& c : m_classifier.classes())
        row(QString::fromStdString(c.name));
    for (int predicted : m_predicted)
        ++row(
            predicted < 0 ? tr("Unclassified") : QString::fromStdString(m_classifier.classes()[size_t(predicted)].name))
              .second;
    m_counts->setRowCount(int(names.size()));
    for (size_t i = 0; i < names.size(); ++i) {
        const auto& [before, after] = counts[names[i]];
        m_counts->setItem(int(i), 0, new QTableWidgetItem(names[i]));
        m_counts->setItem(int(i), 1, new QTableWidgetItem(QString::number(before)));
        m_counts->setItem(int(i), 2, new QTableWidgetItem(QString::number(after)));
    }
}

bool ClassifierPanel::apply()
{
    if (m_predicted.size() != m_layer->size() || !m_classifier.isTrained()) {
        setStatus(tr("Train the classifier (or load one) first."));
        return false;
    }
    std::map<int, std::string> names { { 0, tr("Unclassified").toStdString() } };
    std::map<int, QColor> colours;
    std::map<int, Rgb> exportColours; // the GeoJSON export writes the classifier's colours too
    for (size_t i = 0; i < m_classifier.classes().size(); ++i) {
        const auto& cls = m_classifier.classes()[i];
        names[int(i) + 1] = cls.name;
        colours[int(i) + 1] = toQColor(cls);
        exportColours[int(i) + 1] = { cls.color[0], cls.color[1], cls.color[2] };
    }
    std::vector<int> types(m_predicted.size());
    std::vector<double> probabilities(m_predicted.size());
    for (size_t i = 0; i < m_predicted.size(); ++i) {
        types[i] = m_predicted[i] + 1;
        probabilities[i] = m_probabilities[i];
    }
    m_layer->setTaxonomy(CellTaxonomy(std::move(names), std::move(exportColours)));
    m_layer->setClassColors(std::move(colours));
    m_layer->setCellTypes(types, probabilities);
    setStatus(tr("The overlay and the class counts use the classifier's classes."));
    Q_EMIT applied();
    return true;
}

bool ClassifierPanel::saveClassifier(const QString& path, QString* error) const
{
    if (!m_classifier.isTrained()) {
        if (error)
            *error = tr("%1: there is no trained classifier to save").arg(path);
        return false;
    }
    try {
        m_classifier.save(QFile::encodeName(path).toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromLocal8Bit(e.what());
        return false;
    }
}

bool ClassifierPanel::loadClassifier(const QString& path, QString* error)
{
    if (m_training)
        return false;
    CellClassifier loaded;
    try {
        loaded = CellClassifier::load(QFile::encodeName(path).toStdString());
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromLocal8Bit(e.what());
        setStatus(QString::fromLocal8Bit(e.what()));
        return false;
    }
    m_classifier = std::move(loaded);
    m_classes = m_classifier.classes();
    m_labels.clear();
    m_accuracy = std::numeric_limits<double>::quiet_NaN();
    m_accuracyLabel->clear();
    m_predicted.clear();
    m_probabilities.clear();
    m_apply->setEnabled(false);
    rebuildClassTable();
    Q_EMIT labelsChanged();
    if (!startJob(false)) { // predicts every cell with the loaded weights
        if (error)
            *error = statusText();
        return false;
    }
    return true;
}

void ClassifierPanel::rebuildClassTable()
{
    const int current = m_classTable->currentRow();
    std::vector<int> labelled(m_classes.size(), 0);
    for (const auto& [cell, index] : m_labels)
        ++labelled[size_t(index)];
    const QSignalBlocker blocker(m_classTable);
    m_classTable->setRowCount(classCount());
    for (int i = 0; i < classCount(); ++i) {
        auto* swatch = new QTableWidgetItem;
        swatch->setBackground(toQColor(m_classes[size_t(i)]));
        swatch->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        swatch->setToolTip(tr("Double-click to change the colour"));
        auto* name = new QTableWidgetItem(QString::fromStdString(m_classes[size_t(i)].name));
        auto* count = new QTableWidgetItem(QString::number(labelled[size_t(i)]));
        count->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        m_classTable->setItem(i, kColourColumn, swatch);
        m_classTable->setItem(i, kNameColumn, name);
        m_classTable->setItem(i, kLabelledColumn, count);
    }
    if (current >= 0 && current < classCount())
        m_classTable->selectRow(current);
}

void ClassifierPanel::onCellsChanged()
{
    if (m_layer->contentRevision() == m_layerRevision)
        return; // new classes only (e.g. our own Apply): labels and predictions still match the cells
    m_layerRevision = m_layer->contentRevision();
    const bool had = !m_labels.empty() || !m_predicted.empty();
    m_labels.clear();
    m_predicted.clear();
    m_probabilities.clear();
    m_apply->setEnabled(false);
    m_counts->setRowCount(0);
    rebuildClassTable();
    if (had) {
        setStatus(tr("The cells changed: labels and predictions were cleared."));
        Q_EMIT labelsChanged();
    }
}

void ClassifierPanel::setStatus(const QString& text)
{
    m_status->setText(text);
}

QString ClassifierPanel::statusText() const
{
    return m_status->text();
}

void ClassifierPanel::saveDialog()
{
    const QString path
        = QFileDialog::getSaveFileName(this, tr("Save Classifier"), QString(), tr("Classifier (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    setStatus(saveClassifier(path, &error) ? tr("Saved %1").arg(path) : error);
}

void ClassifierPanel::loadDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Load Classifier"), QString(), tr("Classifier (*.json);;All files (*)"));
    if (!path.isEmpty())
        loadClassifier(path);
}

} // namespace cellvit
