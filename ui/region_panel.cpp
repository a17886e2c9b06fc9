#include "ui/region_panel.h"

#include "viewer/region_editor.h"
#include "viewer/region_store.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QListView>
#include <QPushButton>
#include <QVBoxLayout>

namespace cellvit {

RegionPanel::RegionPanel(RegionEditor* editor, QWidget* parent)
    : QWidget(parent)
    , m_editor(editor)
{
    m_list = new QListView(this);
    m_list->setModel(editor->store());
    m_list->setSelectionModel(editor->selectionModel());
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_list->setToolTip(tr("Double-click a region to rename it."));

    auto* importButton = new QPushButton(tr("Import…"), this);
    importButton->setToolTip(tr("Import QuPath annotations (GeoJSON) as regions"));
    auto* exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Export the regions as GeoJSON annotations"));
    m_delete = new QPushButton(tr("Delete"), this);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(importButton);
    buttons->addWidget(exportButton);
    buttons->addWidget(m_delete);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addLayout(buttons);

    connect(importButton, &QPushButton::clicked, this, &RegionPanel::importRequested);
    connect(exportButton, &QPushButton::clicked, this, &RegionPanel::exportRequested);
    connect(m_delete, &QPushButton::clicked, editor, &RegionEditor::deleteSelected);
    connect(editor->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RegionPanel::updateButtons);
    connect(editor->store(), &QAbstractItemModel::modelReset, this, &RegionPanel::updateButtons);
    updateButtons();
}

void RegionPanel::updateButtons()
{
    m_delete->setEnabled(!m_editor->selectedIds().empty());
}

} // namespace cellvit
