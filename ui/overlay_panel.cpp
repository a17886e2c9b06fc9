#include "ui/overlay_panel.h"

#include "viewer/cell_layer.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QPixmap>
#include <QSlider>
#include <QVBoxLayout>

namespace cellvit {

OverlayPanel::OverlayPanel(CellLayer* layer, QWidget* parent)
    : QWidget(parent)
    , m_layer(layer)
{
    m_show = new QCheckBox(tr("Show nuclei (H)"), this);
    m_fill = new QCheckBox(tr("Fill outlines"), this);
    m_opacity = new QSlider(Qt::Horizontal, this);
    m_opacity->setRange(0, 100);
    m_opacity->setToolTip(tr("Overlay opacity"));
    auto* form = new QFormLayout;
    form->addRow(m_show);
    form->addRow(m_fill);
    form->addRow(tr("Opacity"), m_opacity);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Classes"), this));
    m_classes = new QVBoxLayout;
    layout->addLayout(m_classes);
    layout->addStretch(1);

    connect(m_show, &QCheckBox::toggled, m_layer, &CellLayer::setOverlaysVisible);
    connect(m_fill, &QCheckBox::toggled, m_layer, &CellLayer::setFilled);
    connect(m_opacity, &QSlider::valueChanged, this, [this](int value) { m_layer->setOpacity(value / 100.0); });
    connect(m_layer, &CellLayer::cellsChanged, this, &OverlayPanel::rebuildClassToggles);
    connect(m_layer, &CellLayer::appearanceChanged, this, &OverlayPanel::syncFromLayer);
    rebuildClassToggles();
}

QCheckBox* OverlayPanel::classToggle(int typeId) const
{
    return findChild<QCheckBox*>(QStringLiteral("classToggle%1").arg(typeId));
}

void OverlayPanel::rebuildClassToggles()
{
    const std::vector<int> ids = m_layer->classIds();
    if (ids != m_listedClasses) {
        while (QLayoutItem* item = m_classes->takeAt(0)) {
            delete item->widget(); // Qt layouts hand back ownership of the widgets they held
            delete item;
        }
        for (int id : ids) {
            auto* box = new QCheckBox(m_layer->className(id), this);
            box->setObjectName(QStringLiteral("classToggle%1").arg(id));
            QPixmap swatch(12, 12);
            swatch.fill(m_layer->classColor(id));
            box->setIcon(QIcon(swatch));
            connect(box, &QCheckBox::toggled, m_layer, [this, id](bool on) { m_layer->setClassVisible(id, on); });
            m_classes->addWidget(box);
        }
        m_listedClasses = ids;
    }
    syncFromLayer();
}

void OverlayPanel::syncFromLayer()
{
    const QSignalBlocker blockShow(m_show), blockFill(m_fill), blockOpacity(m_opacity);
    m_show->setChecked(m_layer->overlaysVisible());
    m_fill->setChecked(m_layer->filled());
    m_opacity->setValue(int(std::lround(m_layer->opacity() * 100)));
    for (int id : m_listedClasses) {
        if (QCheckBox* box = classToggle(id)) {
            const QSignalBlocker block(box);
            box->setText(m_layer->className(id));
            box->setChecked(m_layer->isClassVisible(id));
        }
    }
}

} // namespace cellvit
