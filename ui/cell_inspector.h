#pragma once
// The Inspector dock: the clicked nucleus's class, probability, area (µm²), perimeter (µm) and centroid.

#include <QWidget>
#include <optional>

class QLabel;

namespace cellvit {

class CellLayer;

class CellInspector : public QWidget {
    Q_OBJECT
public:
    explicit CellInspector(CellLayer* layer, QWidget* parent = nullptr);
    void setMicrometresPerPixel(std::optional<double> mpp);
    QString fieldText(const QString& field) const; // "class", "probability", "area", "perimeter", "centroid"

private:
    void showCell(std::optional<quint32> id);

    CellLayer* m_layer; // not owned
    std::optional<double> m_mpp;
    QLabel* m_class = nullptr;
    QLabel* m_probability = nullptr;
    QLabel* m_area = nullptr;
    QLabel* m_perimeter = nullptr;
    QLabel* m_centroid = nullptr;
};

} // namespace cellvit
