// MainWindow: the cell-embedding docks (UMAP plot, interactive classifier), their links with the slide, and the
// Embeddings menu.
#include "ui/classifier_panel.h"
#include "ui/embedding_import_controller.h"
#include "ui/main_window.h"
#include "ui/umap_panel.h"
#include "viewer/cell_layer.h"
#include "viewer/region_editor.h"
#include "viewer/region_store.h"
#include "viewer/slide_view.h"

#include <QAction>
#include <QDockWidget>
#include <QFileDialog>
#include <QItemSelectionModel>
#include <QMenu>
#include <QStatusBar>

namespace cellvit {

void MainWindow::createEmbeddingDocks()
{
    m_umap = new UmapPanel(m_cells, m_regions, m_tasks);
    m_classifier = new ClassifierPanel(m_cells, m_tasks);
    auto* umapDock = new QDockWidget(tr("Embeddings (UMAP)"), this);
    umapDock->setObjectName(QStringLiteral("umapDock"));
    m_umap->setParent(umapDock);
    umapDock->setWidget(m_umap);
    auto* classifierDock = new QDockWidget(tr("Classifier"), this);
    classifierDock->setObjectName(QStringLiteral("classifierDock"));
    m_classifier->setParent(classifierDock);
    classifierDock->setWidget(m_classifier);
    addDockWidget(Qt::RightDockWidgetArea, umapDock);
    addDockWidget(Qt::LeftDockWidgetArea, classifierDock);
    // Tabbed with the counts and the overlay settings: the plot needs the height more than a dock of its own.
    if (auto* counts = findChild<QDockWidget*>(QStringLiteral("countsDock")))
        tabifyDockWidget(counts, umapDock);
    if (auto* overlay = findChild<QDockWidget*>(QStringLiteral("overlayDock")))
        tabifyDockWidget(overlay, classifierDock);
    if (auto* counts = findChild<QDockWidget*>(QStringLiteral("countsDock")))
        counts->raise();
    if (auto* overlay = findChild<QDockWidget*>(QStringLiteral("overlayDock")))
        overlay->raise();
    connect(m_umap, &UmapPanel::layoutReady, umapDock, &QDockWidget::raise);
    m_docks.push_back(umapDock);
    m_docks.push_back(classifierDock);

    m_umap->setSelectedRegionsProvider([this] { return selectedRegionOutlines(); });
    // Linked views: a point clicked in the plot is centred on the slide (the panel selects its cell, so the
    // inspector shows it); regions selected on the slide highlight their cells in the plot.
    connect(m_umap, &UmapPanel::cellActivated, this, [this](quint32 id) {
        if (id < m_cells->size())
            m_view->centerOn(QPointF(m_cells->cells()[id].centroid.x, m_cells->cells()[id].centroid.y));
    });
    connect(m_regionSelection, &QItemSelectionModel::selectionChanged, this, [this] {
        if (m_umap->hasLayout())
            m_umap->highlightCellsIn(selectedRegionOutlines());
    });
    // Labelling: a lasso in the plot labels its cells while the classifier's labelling is on.
    connect(m_umap, &UmapPanel::cellsSelected, this, [this](const std::vector<quint32>& ids) {
        if (m_classifier->isLabelling())
            m_classifier->labelCells(ids);
    });
    connect(m_classifier, &ClassifierPanel::labelsChanged, this,
        [this] { m_umap->setUserLabels(m_classifier->labelColors()); });
    connect(m_classifier, &ClassifierPanel::exportRequested, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export Reclassified Nuclei"), dialogFolder(),
            tr("GeoJSON (*.geojson);;Compressed GeoJSON (*.geojson.gz)"));
        if (!path.isEmpty())
            exportCells(path, false); // the layer's taxonomy is the classifier's once applied
    });
}

void MainWindow::createEmbeddingsMenu(QMenu* menu)
{
    menu->addAction(tr("&Compute UMAP"), m_umap, &UmapPanel::computeLayout);
    menu->addAction(m_umap->rectangleToolAction());
    menu->addAction(m_umap->lassoToolAction());
    menu->addAction(m_umap->panToolAction());
    menu->addSeparator();
    menu->addAction(tr("&Load Embeddings (.npy)…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Load Embeddings"), dialogFolder(), tr("NumPy arrays (*.npy);;All files (*)"));
        if (!path.isEmpty())
            m_embeddingImport->loadFile(path);
    });
    connect(m_embeddingImport, &EmbeddingImportController::loaded, this, [this](const QString&, qulonglong rows, int) {
        statusBar()->showMessage(tr("Loaded embeddings of %n nuclei", nullptr, int(rows)), 8000);
    });
    connect(m_embeddingImport, &EmbeddingImportController::failed, this,
        [this](const QString&, const QString& message) { m_reportError(this, tr("Cannot load embeddings"), message); });
    menu->addSeparator();
    menu->addAction(tr("&Train Classifier"), m_classifier, &ClassifierPanel::train);
    menu->addAction(tr("&Apply Classifier"), m_classifier, &ClassifierPanel::apply);
}

std::vector<QPolygonF> MainWindow::selectedRegionOutlines() const
{
    std::vector<QPolygonF> outlines;
    for (quint64 id : m_regionEditor->selectedIds())
        if (const Region* region = m_regions->find(id))
            outlines.push_back(region->polygon);
    return outlines;
}

} // namespace cellvit
