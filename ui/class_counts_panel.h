#pragma once
// The Counts dock: nuclei per class for all results or one region — count, percentage, density per mm² —
// as a table and a bar chart; refreshed when results or regions change; "Copy as CSV".

#include "viewer/class_counts.h"

#include <QWidget>
#include <optional>

class QBarCategoryAxis;
class QChart;
class QValueAxis;
class QComboBox;
class QTableWidget;

namespace cellvit {

class CellLayer;
class RegionStore;

class ClassCountsPanel : public QWidget {
    Q_OBJECT
public:
    ClassCountsPanel(CellLayer* layer, RegionStore* regions, QWidget* parent = nullptr);

    void setMicrometresPerPixel(std::optional<double> mpp);
    // Scope 0 = all results, n = the region in row n-1 of the store.
    void setScope(int index);
    int scope() const;
    const ClassCountTable& table() const { return m_table; }
    QTableWidget* tableWidget() const { return m_tableWidget; }
    QChart* chart() const { return m_chart; }
    QString csv() const { return classCountsCsv(m_table); }

public Q_SLOTS:
    void refresh();
    void copyCsv() const;

private:
    void rebuildScopes();
    void fillTable();
    void fillChart();

    CellLayer* m_layer; // not owned
    RegionStore* m_regions; // not owned
    std::optional<double> m_mpp;
    ClassCountTable m_table;
    QComboBox* m_scope = nullptr;
    QTableWidget* m_tableWidget = nullptr;
    QChart* m_chart = nullptr; // owned by its QChartView
    QBarCategoryAxis* m_xAxis = nullptr; // owned by the chart
    QValueAxis* m_yAxis = nullptr;
};

} // namespace cellvit
