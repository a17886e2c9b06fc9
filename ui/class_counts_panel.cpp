#include "ui/class_counts_panel.h"

#include "viewer/cell_layer.h"
#include "viewer/region_store.h"

#include <QApplication>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QClipboard>
#include <QComboBox>
#include <QHeaderView>
#include <QPushButton>
#include <QStackedBarSeries>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

namespace cellvit {

ClassCountsPanel::ClassCountsPanel(CellLayer* layer, RegionStore* regions, QWidget* parent)
    : QWidget(parent)
    , m_layer(layer)
    , m_regions(regions)
{
    m_scope = new QComboBox(this);
    m_tableWidget = new QTableWidget(0, 4, this);
    m_tableWidget->setHorizontalHeaderLabels({ tr("Class"), tr("Count"), tr("%"), tr("per mm²") });
    m_tableWidget->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tableWidget->verticalHeader()->hide();
    m_tableWidget->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_chart = new QChart;
    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_xAxis = new QBarCategoryAxis(m_chart);
    m_yAxis = new QValueAxis(m_chart);
    m_yAxis->setLabelFormat(QStringLiteral("%d"));
    m_chart->addAxis(m_xAxis, Qt::AlignBottom); // the chart owns its axes
    m_chart->addAxis(m_yAxis, Qt::AlignLeft);
    auto* chartView = new QChartView(m_chart, this); // takes ownership of the chart
    chartView->setMinimumHeight(180);
    auto* copy = new QPushButton(tr("Copy as CSV"), this);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_scope);
    layout->addWidget(m_tableWidget, 1);
    layout->addWidget(chartView, 1);
    layout->addWidget(copy);

    connect(m_scope, &QComboBox::currentIndexChanged, this, &ClassCountsPanel::refresh);
    connect(copy, &QPushButton::clicked, this, &ClassCountsPanel::copyCsv);
    connect(m_layer, &CellLayer::cellsChanged, this, &ClassCountsPanel::refresh);
    connect(m_layer, &CellLayer::taxonomyChanged, this, &ClassCountsPanel::refresh);
    connect(m_regions, &RegionStore::regionsChanged, this, &ClassCountsPanel::rebuildScopes);
    connect(m_regions, &QAbstractItemModel::dataChanged, this, &ClassCountsPanel::rebuildScopes);
    connect(m_regions, &QAbstractItemModel::modelReset, this, &ClassCountsPanel::rebuildScopes);
    rebuildScopes();
}

void ClassCountsPanel::setMicrometresPerPixel(std::optional<double> mpp)
{
    m_mpp = mpp;
    refresh();
}

void ClassCountsPanel::setScope(int index)
{
    m_scope->setCurrentIndex(index);
}
int ClassCountsPanel::scope() const
{
    return m_scope->currentIndex();
}

void ClassCountsPanel::rebuildScopes()
{
    const quint64 shown = m_scope->currentIndex() > 0 ? m_scope->currentData().toULongLong() : 0;
    {
        const QSignalBlocker block(m_scope);
        m_scope->clear();
        m_scope->addItem(tr("All results"), quint64(0));
        for (const Region& region : m_regions->regions())
            m_scope->addItem(region.name, region.id);
        const int again = shown ? m_scope->findData(shown) : 0;
        m_scope->setCurrentIndex(std::max(0, again));
    }
    refresh();
}

void ClassCountsPanel::refresh()
{
    const int index = m_scope->currentIndex();
    const Region* region = index > 0 ? m_regions->find(m_scope->currentData().toULongLong()) : nullptr;
    if (region)
        m_table = countClasses(*m_layer, region->name, region->polygon, polygonAreaPx(region->polygon), m_mpp);
    else
        m_table = countClasses(*m_layer, tr("All results"), {}, m_layer->analysedAreaPx(), m_mpp);
    fillTable();
    fillChart();
}

void ClassCountsPanel::fillTable()
{
    m_tableWidget->setRowCount(int(m_table.rows.size()) + 1);
    auto set
        = [this](int row, int column, const QString& text, Qt::Alignment align = Qt::AlignRight | Qt::AlignVCenter) {
              auto* item = new QTableWidgetItem(text);
              item->setTextAlignment(align);
              m_tableWidget->setItem(row, column, item);
          };
    auto density = [](std::optional<double> d) { return d ? QString::number(*d, 'f', 1) : QStringLiteral("—"); };
    int row = 0;
    for (const ClassCount& count : m_table.rows) {
        set(row, 0, count.name, Qt::AlignLeft | Qt::AlignVCenter);
        m_tableWidget->item(row, 0)->setForeground(count.color.darker(120));
        set(row, 1, QString::number(count.count));
        set(row, 2, QString::number(count.percent, 'f', 1));
        set(row, 3, density(count.densityPerMm2));
        ++row;
    }
    set(row, 0, tr("Total"), Qt::AlignLeft | Qt::AlignVCenter);
    set(row, 1, QString::number(m_table.total));
    set(row, 2, QString::number(m_table.total ? 100.0 : 0.0, 'f', 1));
    set(row, 3,
        density(m_table.areaMm2 ? std::optional<double>(double(m_table.total) / *m_table.areaMm2) : std::nullopt));
    // Every row, the total included, stays in view (up to a long taxonomy's worth): the chart below gives way.
    constexpr int kRowsAlwaysShown = 12;
    int height = m_tableWidget->horizontalHeader()->sizeHint().height() + 2 * m_tableWidget->frameWidth();
    for (int r = 0; r < std::min(m_tableWidget->rowCount(), kRowsAlwaysShown); ++r)
        height += m_tableWidget->rowHeight(r);
    m_tableWidget->setMinimumHeight(height);
}

void ClassCountsPanel::fillChart()
{
    m_chart->removeAllSeries();
    auto* series = new QStackedBarSeries;
    QStringList categories;
    size_t maximum = 0;
    // One stacked set per class with a value only in its own category: every bar gets its class colour.
    for (size_t i = 0; i < m_table.rows.size(); ++i) {
        const ClassCount& count = m_table.rows[i];
        auto* set = new QBarSet(count.name);
        for (size_t j = 0; j < m_table.rows.size(); ++j)
            *set << (i == j ? double(count.count) : 0.0);
        set->setColor(count.color);
        series->append(set);
        categories << count.name;
        maximum = std::max(maximum, count.count);
    }
    series->setBarWidth(0.7);
    m_chart->addSeries(series);
    // The axes live as long as the chart (replacing them on every refresh left stale labels drawn).
    m_xAxis->setCategories(categories);
    // Whole-number ticks: at most 5 intervals of a whole step that covers the largest count.
    const size_t intervals = std::clamp<size_t>(maximum, 1, 5);
    const size_t step = (std::max<size_t>(1, maximum) + intervals - 1) / intervals;
    m_yAxis->setRange(0, double(step * intervals));
    m_yAxis->setTickCount(int(intervals) + 1);
    series->attachAxis(m_xAxis);
    series->attachAxis(m_yAxis);
}

void ClassCountsPanel::copyCsv() const
{
    QApplication::clipboard()->setText(csv());
}

} // namespace cellvit
