#include "ui/cell_inspector.h"

#include "viewer/cell_layer.h"
#include "viewer/cell_measurements.h"

#include <QFormLayout>
#include <QLabel>

namespace cellvit {

CellInspector::CellInspector(CellLayer* layer, QWidget* parent)
    : QWidget(parent)
    , m_layer(layer)
{
    auto* form = new QFormLayout(this);
    auto field = [&](const QString& label, const char* name) {
        auto* value = new QLabel(this);
        value->setObjectName(QString::fromLatin1(name));
        value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        form->addRow(label, value);
        return value;
    };
    m_class = field(tr("Class"), "class");
    m_probability = field(tr("Probability"), "probability");
    m_area = field(tr("Area"), "area");
    m_perimeter = field(tr("Perimeter"), "perimeter");
    m_centroid = field(tr("Centroid"), "centroid");
    connect(m_layer, &CellLayer::selectedCellChanged, this, &CellInspector::showCell);
    showCell(std::nullopt);
}

void CellInspector::setMicrometresPerPixel(std::optional<double> mpp)
{
    m_mpp = mpp;
    showCell(m_layer->selectedCell());
}

QString CellInspector::fieldText(const QString& field) const
{
    const auto* label = findChild<QLabel*>(field);
    return label ? label->text() : QString();
}

void CellInspector::showCell(std::optional<quint32> id)
{
    if (!id || *id >= m_layer->size()) {
        m_class->setText(tr("Click a nucleus"));
        for (QLabel* label : { m_probability, m_area, m_perimeter, m_centroid })
            label->clear();
        return;
    }
    const SlideCell& cell = m_layer->cells()[*id];
    const CellMeasurements m = measureCell(cell, m_mpp);
    m_class->setText(m_layer->className(cell.type));
    m_probability->setText(QString::number(cell.typeProb, 'f', 3));
    if (m.areaUm2) {
        m_area->setText(tr("%1 µm²").arg(*m.areaUm2, 0, 'f', 2));
        m_perimeter->setText(tr("%1 µm").arg(*m.perimeterUm, 0, 'f', 2));
        m_centroid->setText(tr("x %1, y %2 µm").arg(m.centroidUm->x(), 0, 'f', 2).arg(m.centroidUm->y(), 0, 'f', 2));
    } else {
        m_area->setText(tr("%1 px²").arg(m.areaPx, 0, 'f', 1));
        m_perimeter->setText(tr("%1 px").arg(m.perimeterPx, 0, 'f', 1));
        m_centroid->setText(tr("x %1, y %2 px").arg(m.centroidPx.x(), 0, 'f', 1).arg(m.centroidPx.y(), 0, 'f', 1));
    }
}

} // namespace cellvit
