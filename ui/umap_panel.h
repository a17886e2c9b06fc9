#pragma once
// The Embeddings dock: a UMAP of the cells' embeddings (all cells or those of the selected regions),
// computed in the background with progress and Cancel, drawn as a scatter plot coloured by class, type
// probability, region or user label. Linked with the slide: a rectangle or lasso in the plot highlights those
// nuclei; the nuclei highlighted or selected on the slide are marked in the plot; clicking a point selects its
// cell (cellActivated: the window centres on it). Exports the layout (CSV) and the plot (PNG, SVG).

#include "inference/embeddings/umap.h"

#include <QColor>
#include <QPolygonF>
#include <QWidget>
#include <functional>
#include <map>
#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace cellvit {

class CellLayer;
class RegionStore;
class TaskManager;
class ScatterPlot;
class UmapTask;

class UmapPanel : public QWidget {
    Q_OBJECT
public:
    enum class ColorMode { Class, Probability, Region, Label };
    enum class Scope { AllCells, SelectedRegions };

    UmapPanel(CellLayer* layer, RegionStore* regions, TaskManager* tasks, QWidget* parent = nullptr);
    ~UmapPanel() override;

    // Outlines of the regions selected in the window (the SelectedRegions scope).
    void setSelectedRegionsProvider(std::function<std::vector<QPolygonF>()> provider);

    // Parameters of the next layout; stored in QSettings ("umap/...") when a layout starts.
    UmapParams params() const;
    void setParams(const UmapParams& params);
    void setScope(Scope scope);
    Scope scope() const;

    // Starts a layout of the cells in scope that have embeddings; false (and a message in the panel) when
    // there are fewer than two or a layout is running.
    bool computeLayout();
    UmapTask* task() const { return m_task; }
    bool hasLayout() const { return !m_pointCells.empty(); }
    // The cell id of each point and the n × 2 layout.
    const std::vector<quint32>& pointCells() const { return m_pointCells; }
    const std::vector<float>& coordinates() const { return m_coordinates; }
    std::optional<int> pointOf(quint32 cellId) const;

    ScatterPlot* plot() const { return m_plot; }
    void setColorMode(ColorMode mode);
    ColorMode colorMode() const;
    // Colours of the cells a user labelled (ColorMode::Label); others are grey.
    void setUserLabels(std::map<quint32, QColor> labels);

    // The tools, with shortcuts (lasso L): the window adds them to its menu so the keys work anywhere.
    QAction* rectangleToolAction() const { return m_rectangleAction; }
    QAction* lassoToolAction() const { return m_lassoAction; }
    QAction* panToolAction() const { return m_panAction; }

    // Exports; false with the reason in *error (file and problem).
    bool exportCsv(const QString& path, QString* error = nullptr) const;
    bool exportPng(const QString& path, QString* error = nullptr) const;
    bool exportSvg(const QString& path, QString* error = nullptr) const;
    QString statusText() const;

public Q_SLOTS:
    // Highlights the cells of the outlines on the slide and in the plot (the region selection changed).
    void highlightCellsIn(const std::vector<QPolygonF>& outlines);

Q_SIGNALS:
    void cellActivated(quint32 cellId); // a point was clicked
    void cellsSelected(const std::vector<quint32>& cellIds); // rectangle or lasso in the plot
    void layoutReady();

private:
    void showLayout();
    void recolor();
    void syncHighlight();
    void syncMarked();
    void onCellsChanged();
    void setRunning(bool running);
    void setStatus(const QString& text);
    void showExportMenu();

    CellLayer* m_layer; // not owned
    RegionStore* m_regions; // not owned
    std::function<std::vector<QPolygonF>()> m_selectedRegions;
    UmapTask* m_task = nullptr;
    ScatterPlot* m_plot = nullptr;
    QComboBox* m_scope = nullptr;
    QSpinBox* m_neighbors = nullptr;
    QDoubleSpinBox* m_minDist = nullptr;
    QComboBox* m_metric = nullptr;
    QComboBox* m_colorBy = nullptr;
    QPushButton* m_compute = nullptr;
    QPushButton* m_cancel = nullptr;
    QPushButton* m_export = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QAction* m_rectangleAction = nullptr;
    QAction* m_lassoAction = nullptr;
    QAction* m_panAction = nullptr;

    std::vector<quint32> m_pendingCells; // cells of the layout being computed
    std::vector<quint32> m_pointCells;
    std::vector<int> m_cellToPoint; // layer id -> point, -1 when not in the layout
    std::vector<float> m_coordinates;
    quint64 m_layoutRevision = 0; // CellLayer::contentRevision() the layout belongs to
    std::map<quint32, QColor> m_userLabels;
};

} // namespace cellvit
