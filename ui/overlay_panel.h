#pragma once
// The Overlay dock: show/hide all nuclei (H), opacity, fill, and one visibility toggle per class in its colour.

#include <QWidget>

class QCheckBox;
class QSlider;
class QVBoxLayout;

namespace cellvit {

class CellLayer;

class OverlayPanel : public QWidget {
    Q_OBJECT
public:
    explicit OverlayPanel(CellLayer* layer, QWidget* parent = nullptr);
    QSlider* opacitySlider() const { return m_opacity; }
    QCheckBox* classToggle(int typeId) const; // nullptr for a class not listed

private:
    void rebuildClassToggles();
    void syncFromLayer();

    CellLayer* m_layer; // not owned
    QCheckBox* m_show = nullptr;
    QCheckBox* m_fill = nullptr;
    QSlider* m_opacity = nullptr;
    QVBoxLayout* m_classes = nullptr;
    std::vector<int> m_listedClasses;
};

} // namespace cellvit
