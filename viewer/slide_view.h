#pragma once
// The slide viewer widget: draws the visible tiles of the level matching the zoom (coarser cached
// tiles underneath while finer ones load), pans by drag and arrow keys, zooms by wheel (anchored at
// the cursor), +/- and presets, and shows a scale bar. Tiles come from a TileLoader into a TileCache.

#include "viewer/cell_overlay_painter.h"
#include "viewer/scale_bar.h"
#include "viewer/tile_cache.h"
#include "viewer/tile_pyramid.h"
#include "viewer/view_transform.h"

#include <QPointF>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>
#include <unordered_set>

class QPainter;

namespace cellvit {

class CellLayer;
class RegionEditor;
class SlideSource;
class TileLoader;

class SlideView : public QWidget {
    Q_OBJECT
public:
    static constexpr double kScaleBarMaxPixels = 160.0;
    static constexpr double kWheelStepFactor = 1.25; // per wheel notch
    static constexpr double kKeyZoomFactor = 1.5;

    explicit SlideView(QWidget* parent = nullptr);
    ~SlideView() override;

    // Shows `slide` fitted to the view; nullptr clears the view. Starts loading the overview level.
    void setSlide(std::shared_ptr<const SlideSource> slide);
    const std::shared_ptr<const SlideSource>& slide() const { return m_slide; }
    bool hasSlide() const { return m_slide != nullptr; }

    const ViewTransform& transform() const { return m_transform; }
    const TilePyramid& pyramid() const { return m_pyramid; }
    const TileCache& tileCache() const { return m_cache; }
    const TileLoader* tileLoader() const { return m_loader.get(); }
    int currentLevel() const; // display level drawn on top at this zoom
    bool isFullyLoaded() const; // every visible tile of the current level is cached

    double nativeMagnification() const { return m_nativeMagnification; }
    double magnification() const { return m_transform.magnification(m_nativeMagnification); }
    std::optional<double> micrometresPerPixel() const; // at level 0
    ScaleBar scaleBar() const; // what the scale bar shows now (invalid without a resolution)
    double lastPaintMilliseconds() const { return m_lastPaintMs; }

    // Layers drawn over the slide, not owned: the nuclei (hover, click selects) and the regions (drawing tools
    // get the mouse first). Either may be nullptr.
    void setCellLayer(CellLayer* layer);
    CellLayer* cellLayer() const;
    void setRegionEditor(RegionEditor* editor);
    RegionEditor* regionEditor() const;
    const OverlayPaintStats& lastOverlayStats() const { return m_overlayStats; }
    // The last tile read error of this slide (shown over the view), empty when every tile read.
    const QString& tileError() const { return m_tileError; }

    // Draws the overview level into `painter` under `transform` (used by the overview widget).
    void paintThumbnail(QPainter& painter, const ViewTransform& transform);

public Q_SLOTS:
    void zoomToFit();
    void setMagnification(double magnification); // relative to nativeMagnification()
    void zoomIn();
    void zoomOut();
    void zoomAt(const QPointF& widgetAnchor, double factor);
    void panBy(const QPointF& widgetDelta);
    void centerOn(const QPointF& level0);

Q_SIGNALS:
    // Cursor over the view: level-0 pixels and, when the resolution is known, micrometres.
    void cursorMoved(const QPointF& level0Pixels, const QPointF& micrometres, bool micrometresKnown);
    void cursorLeft();
    void viewportChanged(const QRectF& visibleLevel0, double downsample);
    void magnificationChanged(double magnification);
    void tilesChanged(); // a tile arrived; views of the cache may repaint
    // A tile could not be read (the slide's error text, naming the file); once per distinct message.
    void tileReadFailed(const QString& message);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void applyTransform(const ViewTransform& transform);
    void requestVisibleTiles();
    void onTileLoaded(const TileKey& key, const QImage& image);
    void paintScaleBar(QPainter& painter) const;
    void paintTileError(QPainter& painter) const;
    void onTileFailed(const TileKey& key, const QString& error);
    void clickAt(const QPointF& widget); // a press and release without a drag: selects nucleus and region
    void updateHover(const QPointF& widget);
    void updateToolCursor();

    std::shared_ptr<const SlideSource> m_slide;
    TilePyramid m_pyramid;
    TileCache m_cache;
    std::unique_ptr<TileLoader> m_loader;
    std::unordered_set<TileKey, TileKeyHash> m_failed; // not requested again for this slide
    QString m_tileError;
    ViewTransform m_transform;
    double m_nativeMagnification = 1.0;
    std::optional<QPointF> m_dragOrigin;
    QPointF m_pressPosition;
    bool m_dragged = false;
    QPointer<CellLayer> m_cells;
    QPointer<RegionEditor> m_regions;
    CellOverlayPainter m_overlayPainter;
    OverlayPaintStats m_overlayStats;
    double m_lastPaintMs = 0.0;
};

} // namespace cellvit
