#pragma once
// The overview (minimap): the whole slide at its coarsest level with the main view's viewport as a
// rectangle. Clicking or dragging re-centres the main view.

#include <QPointer>
#include <QWidget>

namespace cellvit {

class SlideView;
class ViewTransform;

class SlideOverview : public QWidget {
    Q_OBJECT
public:
    explicit SlideOverview(QWidget* parent = nullptr);

    void setView(SlideView* view); // not owned
    SlideView* view() const { return m_view; }
    QSize sizeHint() const override { return { 260, 260 }; }
    QRectF viewportRectangle() const; // the main view's viewport in this widget's coordinates

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    ViewTransform overviewTransform() const;
    void recentre(const QPointF& widgetPoint);

    QPointer<SlideView> m_view;
};

} // namespace cellvit
