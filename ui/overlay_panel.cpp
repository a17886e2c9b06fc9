#include "ui/overlay_panel.h"

#include "viewer/cell_layer.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPixmap>
#include <QSlider>
#include <QToolButton>
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
    connect(m_layer, &CellLayer::taxonomyChanged, this, &OverlayPanel::rebuildClassToggles);
    connect(m_layer, &CellLayer::appearanceChanged, this, &OverlayPanel::syncFromLayer);
    rebuildClassToggles();
}

QCheckBox* OverlayPanel::classToggle(int typeId) const
{
    return findChild<QCheckBox*>(QStringLiteral("classToggle%1").arg(typeId));
}

QToolButton* OverlayPanel::colorButton(int typeId) const
{
    return findChild<QToolButton*>(QStringLiteral("classColor%1").arg(typeId));
}

void OverlayPanel::chooseColor(int typeId)
{
    const QColor chosen = QColorDialog::getColor(
        m_layer->classColor(typeId), this, tr("Colour of %1").arg(m_layer->className(typeId)));
    if (chosen.isValid())
        m_layer->setClassColor(typeId, chosen); // remembered for this taxonomy
}

void OverlayPanel::rebuildClassToggles()
{
    const std::vector<int> ids = m_layer->classIds();
    if (ids != m_listedClasses) {
        while (QLayoutItem* item = m_classes->takeAt(0)) {
            if (QLayout* row = item->layout())
                while (QLayoutItem* inner = row->takeAt(0)) {
                    delete inner->widget(); // Qt layouts hand back ownership of the widgets they held
                    delete inner;
                }
            delete item->widget();
            delete item;
        }
        for (int id : ids) {
            auto* row = new QHBoxLayout;
            auto* color = new QToolButton(this);
            color->setObjectName(QStringLiteral("classColor%1").arg(id));
            color->setToolTip(tr("Change the colour"));
            color->setAutoRaise(true);
            connect(color, &QToolButton::clicked, this, [this, id] { chooseColor(id); });
            auto* box = new QCheckBox(m_layer->className(id), this);
            box->setObjectName(QStringLiteral("classToggle%1").arg(id));
            connect(box, &QCheckBox::toggled, m_layer, [this, id](bool on) { m_layer->setClassVisible(id, on); });
            row->addWidget(color);
            row->addWidget(box, 1);
            m_classes->addLayout(row);
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
        if (QToolButton* button = colorButton(id)) {
            QPixmap swatch(14, 14);
            swatch.fill(m_layer->classColor(id));
            button->setIcon(QIcon(swatch));
        }
    }
}

} // namespace cellvit
