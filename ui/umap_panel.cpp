#include "ui/umap_panel.h"

#include "ui/scatter_plot.h"
#include "ui/umap_export.h"
#include "ui/umap_task.h"
#include "viewer/cell_layer.h"
#include "viewer/region_store.h"

#include <QAction>
#include <QActionGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <exception>

namespace cellvit {

namespace {

constexpr QRgb kUnlabelled = 0xffbdbdbd;
constexpr int kExportWidth = 1200, kExportHeight = 1000;

// Viridis at five stops, interpolated: a perceptually even scale for probabilities.
QRgb viridis(double t)
{
    static constexpr std::array<std::array<double, 3>, 5> stops { { { 68, 1, 84 }, { 59, 82, 139 }, { 33, 145, 140 },
        { 94, 201, 98 }, { 253, 231, 37 } } };
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * (stops.size() - 1);
    const size_t i = std::min(size_t(t), stops.size() - 2);
    const double f = t - double(i);
    auto channel = [&](int c) { return int(std::lround(stops[i][c] * (1 - f) + stops[i + 1][c] * f)); };
    return qRgb(channel(0), channel(1), channel(2));
}

// Distinct colours for regions, by their order in the store.
QColor regionColor(size_t index)
{
    return QColor::fromHsvF(std::fmod(0.08 + 0.618034 * double(index), 1.0), 0.75, 0.85);
}

} // namespace

UmapPanel::UmapPanel(CellLayer* layer, RegionStore* regions, TaskManager* tasks, QWidget* parent)
    : QWidget(parent)
    , m_layer(layer)
    , m_regions(regions)
{
    m_task = new UmapTask(tasks, this);
    m_plot = new ScatterPlot(this);
    m_scope = new QComboBox(this);
    m_scope->addItem(tr("All cells"));
    m_scope->addItem(tr("Cells of the selected regions"));
    m_neighbors = new QSpinBox(this);
    m_neighbors->setRange(2, 200);
    m_neighbors->setToolTip(tr("Neighbours per cell: larger values keep more of the global structure"));
    m_minDist = new QDoubleSpinBox(this);
    m_minDist->setRange(0.0, 1.0);
    m_minDist->setSingleStep(0.05);
    m_minDist->setDecimals(2);
    m_minDist->setToolTip(tr("Minimum distance between points in the layout: smaller values pack clusters tighter"));
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("Euclidean"));
    m_metric->addItem(tr("Cosine"));
    m_colorBy = new QComboBox(this);
    m_colorBy->addItem(tr("Class"));
    m_colorBy->addItem(tr("Type probability"));
    m_colorBy->addItem(tr("Region"));
    m_colorBy->addItem(tr("User label"));
    m_compute = new QPushButton(tr("Compute UMAP"), this);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    m_export = new QPushButton(tr("Export"), this);
    m_export->setEnabled(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);

    auto* tools = new QActionGroup(this);
    auto makeTool = [&](const QString& text, const QKeySequence& key, const QString& tip, ScatterPlot::Tool tool) {
        auto* action = new QAction(text, this);
        action->setCheckable(true);
        action->setShortcut(key);
        action->setToolTip(tr("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
        tools->addAction(action);
        connect(action, &QAction::triggered, m_plot, [this, tool] { m_plot->setTool(tool); });
        return action;
    };
    m_rectangleAction = makeTool(tr("Rectangle Select"), QKeySequence(Qt::SHIFT | Qt::Key_R),
        tr("Select the points in a rectangle"), ScatterPlot::Tool::Rectangle);
    m_lassoAction = makeTool(tr("Lasso Select"), QKeySequence(Qt::Key_L), tr("Select the points in a freehand lasso"),
        ScatterPlot::Tool::Lasso);
    m_panAction = makeTool(tr("Pan Plot"), QKeySequence(Qt::SHIFT | Qt::Key_P),
        tr("Drag the plot (the middle or right "
           "button always pans)"),
        ScatterPlot::Tool::Pan);
    m_rectangleAction->setChecked(true);
    m_plot->setTool(ScatterPlot::Tool::Rectangle);

    auto* params = new QFormLayout;
    params->addRow(tr("Cells"), m_scope);
    params->addRow(tr("Neighbours"), m_neighbors);
    params->addRow(tr("Min. distance"), m_minDist);
    params->addRow(tr("Metric"), m_metric);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_compute);
    buttons->addWidget(m_cancel);
    auto* viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("Colour by"), this));
    viewRow->addWidget(m_colorBy, 1);
    for (QAction* action : { m_rectangleAction, m_lassoAction, m_panAction }) {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        viewRow->addWidget(button);
    }
    viewRow->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(params);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addLayout(viewRow);
    layout->addWidget(m_plot, 1);

    setParams(UmapParams {}); // defaults, then what was used last
    QSettings settings;
    m_neighbors->setValue(settings.value(QStringLiteral("umap/nNeighbors"), m_neighbors->value()).toInt());
    m_minDist->setValue(settings.value(QStringLiteral("umap/minDist"), m_minDist->value()).toDouble());
    m_metric->setCurrentIndex(settings.value(QStringLiteral("umap/metric"), 0).toInt() == 1 ? 1 : 0);
    m_colorBy->setCurrentIndex(std::clamp(settings.value(QStringLiteral("umap/colorBy"), 0).toInt(), 0, 3));
    setStatus(tr("Run the model, then compute a UMAP of the cell embeddings."));

    connect(m_compute, &QPushButton::clicked, this, &UmapPanel::computeLayout);
    connect(m_cancel, &QPushButton::clicked, m_task, &UmapTask::cancel);
    connect(m_export, &QPushButton::clicked, this, &UmapPanel::showExportMenu);
    connect(m_colorBy, &QComboBox::currentIndexChanged, this, [this](int index) {
        QSettings().setValue(QStringLiteral("umap/colorBy"), index);
        recolor();
    });
    connect(m_task, &UmapTask::runningChanged, this, &UmapPanel::setRunning);
    connect(m_task, &UmapTask::progressChanged, this, [this](double fraction, const QString& stage) {
        m_progress->setValue(int(std::lround(fraction * 100)));
        m_progress->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" %p%"));
    });
    connect(m_task, &UmapTask::finished, this, &UmapPanel::showLayout);
    connect(m_task, &UmapTask::cancelled, this, [this] { setStatus(tr("UMAP cancelled.")); });
    connect(m_task, &UmapTask::failed, this,
        [this](const QString& message) { setStatus(tr("UMAP failed: %1").arg(message)); });

    connect(m_plot, &ScatterPlot::selectionMade, this, [this](const std::vector<int>& points) {
        std::vector<quint32> cells;
        cells.reserve(points.size());
        for (int p : points)
            cells.push_back(m_pointCells[size_t(p)]);
        m_layer->setHighlightedCells(cells); // syncHighlight() follows
        Q_EMIT cellsSelected(cells);
    });
    connect(m_plot, &ScatterPlot::pointClicked, this, [this](int point) {
        const quint32 cell = m_pointCells[size_t(point)];
        m_layer->setSelectedCell(cell);
        Q_EMIT cellActivated(cell);
    });
    connect(m_layer, &CellLayer::cellsChanged, this, &UmapPanel::onCellsChanged);
    connect(m_layer, &CellLayer::embeddingsChanged, this, &UmapPanel::onCellsChanged);
    connect(m_layer, &CellLayer::appearanceChanged, this, [this] {
        if (colorMode() == ColorMode::Class)
            recolor();
    });
    connect(m_layer, &CellLayer::highlightedCellsChanged, this, &UmapPanel::syncHighlight);
    connect(m_layer, &CellLayer::selectedCellChanged, this, &UmapPanel::syncMarked);
    connect(m_regions, &RegionStore::regionsChanged, this, [this] {
        if (colorMode() == ColorMode::Region)
            recolor();
    });
}

UmapPanel::~UmapPanel() = default;

void UmapPanel::setSelectedRegionsProvider(std::function<std::vector<QPolygonF>()> provider)
{
    m_selectedRegions = std::move(provider);
}

UmapParams UmapPanel::params() const
{
    UmapParams params;
    params.nNeighbors = m_neighbors->value();
    params.minDist = m_minDist->value();
    params.metric = m_metric->currentIndex() == 1 ? UmapMetric::Cosine : UmapMetric::Euclidean;
    return params;
}

void UmapPanel::setParams(const UmapParams& params)
{
    m_neighbors->setValue(params.nNeighbors);
    m_minDist->setValue(params.minDist);
    m_metric->setCurrentIndex(params.metric == UmapMetric::Cosine ? 1 : 0);
}

void UmapPanel::setScope(Scope scope)
{
    m_scope->setCurrentIndex(scope == Scope::SelectedRegions ? 1 : 0);
}

UmapPanel::Scope UmapPanel::scope() const
{
    return m_scope->currentIndex() == 1 ? Scope::SelectedRegions : Scope::AllCells;
}

bool UmapPanel::computeLayout()
{
    if (m_task->isRunning())
        return false;
    std::vector<quint32> candidates;
    if (scope() == Scope::SelectedRegions) {
        const std::vector<QPolygonF> outlines = m_selectedRegions ? m_selectedRegions() : std::vector<QPolygonF> {};
        if (outlines.empty()) {
            setStatus(tr("Select one or more regions first, or lay out all cells."));
            return false;
        }
        for (const QPolygonF& outline : outlines) {
            const auto inside = m_layer->cellsWithCentroidIn(outline);
            candidates.insert(candidates.end(), inside.begin(), inside.end());
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    } else {
        candidates = m_layer->cellsWithCentroidIn({});
    }
    const size_t dim = size_t(m_layer->embeddingDim());
    std::vector<quint32> cells;
    for (quint32 id : candidates)
        if (m_layer->hasEmbedding(id))
            cells.push_back(id);
    const UmapParams parameters = params();
    if (cells.size() <= size_t(parameters.nNeighbors) || dim == 0) {
        setStatus(cells.empty() && !candidates.empty()
                ? tr("These cells have no embeddings (imported detections carry none): run the model on them.")
                : tr("A UMAP needs more than %1 cells with embeddings; %2 are in scope.")
                      .arg(parameters.nNeighbors)
                      .arg(cells.size()));
        return false;
    }
    std::vector<float> data(cells.size() * dim);
    const std::vector<float>& all = m_layer->embeddings();
    for (size_t i = 0; i < cells.size(); ++i)
        std::copy_n(all.begin() + std::ptrdiff_t(size_t(cells[i]) * dim), dim, data.begin() + std::ptrdiff_t(i * dim));

    QSettings settings;
    settings.setValue(QStringLiteral("umap/nNeighbors"), parameters.nNeighbors);
    settings.setValue(QStringLiteral("umap/minDist"), parameters.minDist);
    settings.setValue(QStringLiteral("umap/metric"), parameters.metric == UmapMetric::Cosine ? 1 : 0);

    m_pendingCells = std::move(cells);
    m_layoutRevision = m_layer->contentRevision();
    const size_t n = m_pendingCells.size();
    if (!m_task->start(std::move(data), n, dim, parameters))
        return false;
    setStatus(tr("Computing the UMAP of %n cell(s)…", nullptr, int(n)));
    return true;
}

void UmapPanel::setRunning(bool running)
{
    m_compute->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    if (running) {
        m_progress->setValue(0);
        m_progress->setFormat(QStringLiteral("%p%"));
    }
}

void UmapPanel::showLayout()
{
    if (m_layer->contentRevision() != m_layoutRevision) {
        setStatus(tr("The cells changed while the UMAP was computed: compute it again."));
        return;
    }
    m_pointCells = std::move(m_pendingCells);
    m_coordinates = m_task->coordinates();
    m_cellToPoint.assign(m_layer->size(), -1);
    std::vector<QPointF> points(m_pointCells.size());
    for (size_t i = 0; i < m_pointCells.size(); ++i) {
        m_cellToPoint[m_pointCells[i]] = int(i);
        points[i] = QPointF(m_coordinates[2 * i], m_coordinates[2 * i + 1]);
    }
    m_plot->setPoints(std::move(points));
    recolor();
    syncHighlight();
    syncMarked();
    m_export->setEnabled(true);
    setStatus(
        tr("UMAP of %n cell(s). Drag to select, wheel to zoom, right-drag to pan.", nullptr, int(m_pointCells.size())));
    Q_EMIT layoutReady();
}

void UmapPanel::onCellsChanged()
{
    if (m_pointCells.empty() || m_layer->contentRevision() == m_layoutRevision) {
        recolor(); // new classes (the classifier) keep the layout
        return;
    }
    m_pointCells.clear();
    m_cellToPoint.clear();
    m_coordinates.clear();
    m_plot->setPoints({});
    m_export->setEnabled(false);
    setStatus(tr("The cells changed: compute the UMAP again."));
}

std::optional<int> UmapPanel::pointOf(quint32 cellId) const
{
    if (cellId >= m_cellToPoint.size() || m_cellToPoint[cellId] < 0)
        return std::nullopt;
    return m_cellToPoint[cellId];
}

void UmapPanel::setColorMode(ColorMode mode)
{
    m_colorBy->setCurrentIndex(int(mode));
}

UmapPanel::ColorMode UmapPanel::colorMode() const
{
    return ColorMode(std::clamp(m_colorBy->currentIndex(), 0, 3));
}

void UmapPanel::setUserLabels(std::map<quint32, QColor> labels)
{
    m_userLabels = std::move(labels);
    if (colorMode() == ColorMode::Label)
        recolor();
}

void UmapPanel::recolor()
{
    if (m_pointCells.empty())
        return;
    std::vector<QRgb> colors(m_pointCells.size(), kUnlabelled);
    std::vector<ScatterPlot::LegendEntry> legend;
    const auto& cells = m_layer->cells();
    switch (colorMode()) {
    case ColorMode::Class: {
        std::map<int, QRgb> byType;
        for (size_t i = 0; i < m_pointCells.size(); ++i) {
            const int type = cells[m_pointCells[i]].type;
            auto found = byType.find(type);
            if (found == byType.end())
                found = byType.emplace(type, m_layer->classColor(type).rgb()).first;
            colors[i] = found->second;
        }
        for (const auto& [type, rgb] : byType)
            legend.emplace_back(m_layer->className(type), QColor(rgb));
        break;
    }
    case ColorMode::Probability:
        for (size_t i = 0; i < m_pointCells.size(); ++i)
            colors[i] = viridis(cells[m_pointCells[i]].typeProb);
        legend = { { tr("probability 0"), QColor(viridis(0)) }, { tr("0.5"), QColor(viridis(0.5)) },
            { tr("1"), QColor(viridis(1)) } };
        break;
    case ColorMode::Region: {
        const auto& regions = m_regions->regions();
        for (size_t r = regions.size(); r-- > 0;) { // the first region listed wins where they overlap
            const QRgb rgb = regionColor(r).rgb();
            for (quint32 id : m_layer->cellsWithCentroidIn(regions[r].polygon))
                if (const auto point = pointOf(id))
                    colors[size_t(*point)] = rgb;
        }
        for (size_t r = 0; r < regions.size() && r < 12; ++r)
            legend.emplace_back(regions[r].name, regionColor(r));
        legend.emplace_back(tr("outside the regions"), QColor(kUnlabelled));
        break;
    }
    case ColorMode::Label:
        for (const auto& [cell, colour] : m_userLabels)
            if (const auto point = pointOf(cell))
                colors[size_t(*point)] = colour.rgb();
        legend.emplace_back(tr("unlabelled"), QColor(kUnlabelled));
        break;
    }
    m_plot->setColors(std::move(colors));
    m_plot->setLegend(std::move(legend));
}

void UmapPanel::syncHighlight()
{
    std::vector<int> points;
    for (quint32 id : m_layer->highlightedCells())
        if (const auto point = pointOf(id))
            points.push_back(*point);
    m_plot->setHighlighted(std::move(points));
}

void UmapPanel::syncMarked()
{
    const auto selected = m_layer->selectedCell();
    m_plot->setMarkedPoint(selected ? pointOf(*selected) : std::nullopt);
}

void UmapPanel::highlightCellsIn(const std::vector<QPolygonF>& outlines)
{
    std::vector<quint32> cells;
    for (const QPolygonF& outline : outlines) {
        const auto inside = m_layer->cellsWithCentroidIn(outline);
        cells.insert(cells.end(), inside.begin(), inside.end());
    }
    m_layer->setHighlightedCells(std::move(cells));
}

void UmapPanel::setStatus(const QString& text)
{
    m_status->setText(text);
}

QString UmapPanel::statusText() const
{
    return m_status->text();
}

bool UmapPanel::exportCsv(const QString& path, QString* error) const
{
    try {
        writeUmapCsv(path, *m_layer, m_pointCells, m_coordinates);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromLocal8Bit(e.what());
        return false;
    }
}

bool UmapPanel::exportPng(const QString& path, QString* error) const
{
    try {
        writePlotPng(path, *m_plot, kExportWidth, kExportHeight);
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromLocal8Bit(e.what());
        return false;
    }
}

bool UmapPanel::exportSvg(const QString& path, QString* error) const
{
    try {
        writePlotSvg(path, *m_plot, kExportWidth, kExportHeight, tr("UMAP of the cell embeddings"));
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromLocal8Bit(e.what());
        return false;
    }
}

void UmapPanel::showExportMenu()
{
    QMenu menu(this);
    QAction* csv = menu.addAction(tr("Coordinates (CSV)…"));
    QAction* png = menu.addAction(tr("Plot (PNG)…"));
    menu.addAction(tr("Plot (SVG)…"));
    QAction* chosen = menu.exec(m_export->mapToGlobal(QPoint(0, m_export->height())));
    if (!chosen)
        return;
    const bool isCsv = chosen == csv, isPng = chosen == png;
    const QString filter = isCsv ? tr("CSV (*.csv)") : isPng ? tr("PNG image (*.png)") : tr("SVG image (*.svg)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export UMAP"), QString(), filter);
    if (path.isEmpty())
        return;
    QString error;
    const bool ok = isCsv ? exportCsv(path, &error) : isPng ? exportPng(path, &error) : exportSvg(path, &error);
    setStatus(ok ? tr("Exported %1").arg(path) : tr("Export failed: %1").arg(error));
}

} // namespace cellvit
