#include "viewer/slide_view.h"

#include "inference/slide/slide_source.h"
#include "viewer/cell_layer.h"
#include "viewer/magnification.h"
#include "viewer/region_editor.h"
#include "viewer/region_painter.h"
#include "viewer/region_store.h"
#include "viewer/tile_loader.h"
#include "viewer/tile_painter.h"

#include <QElapsedTimer>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLineF>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace cellvit {

namespace {
const QColor kOutsideSlide(56, 56, 60);
const QColor kSlideNotLoaded(235, 235, 235);
constexpr double kKeyPanFraction = 0.125; // of the viewport per arrow key press
constexpr double kSnapScreenPixels = 8.0; // closing a polygon: click this close to its first vertex
constexpr double kClickSlopPixels = 4.0; // a press and release closer than this is a click, not a drag
} // namespace

SlideView::SlideView(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(64, 64);
    m_transform.setViewportSize(size());
}

SlideView::~SlideView() = default;

void SlideView::setSlide(std::shared_ptr<const SlideSource> slide)
{
    m_loader.reset(); // joins the workers before their slide or pyramid goes away
    m_cache.clear();
    m_failed.clear();
    m_tileError.clear();
    m_slide = std::move(slide);
    if (m_slide) {
        m_pyramid = TilePyramid(*m_slide);
        m_nativeMagnification = cellvit::nativeMagnification(*m_slide);
        m_cache.setPinnedLevel(m_pyramid.coarsestLevel());
        m_loader = std::make_unique<TileLoader>(m_slide, m_pyramid);
        connect(m_loader.get(), &TileLoader::tileLoaded, this,
            [this](const TileKey& key, const QImage& image, quint64) { onTileLoaded(key, image); });
        connect(m_loader.get(), &TileLoader::tileFailed, this,
            [this](const TileKey& key, const QString& error) { onTileFailed(key, error); });
        ViewTransform fitted(QSizeF(double(m_pyramid.width()), double(m_pyramid.height())), size());
        m_transform = ViewTransform(); // force the change signals even if the geometry matches
        applyTransform(fitted);
    } else {
        m_pyramid = TilePyramid();
        m_nativeMagnification = 1.0;
        update();
        Q_EMIT tilesChanged();
    }
}

void SlideView::setCellLayer(CellLayer* layer)
{
    if (m_cells)
        disconnect(m_cells, nullptr, this, nullptr);
    m_cells = layer;
    m_overlayPainter.clearCache();
    if (m_cells) {
        auto repaint = [this] { update(); };
        connect(m_cells, &CellLayer::cellsChanged, this, repaint);
        connect(m_cells, &CellLayer::appearanceChanged, this, repaint);
        connect(m_cells, &CellLayer::hoveredCellChanged, this, repaint);
        connect(m_cells, &CellLayer::selectedCellChanged, this, repaint);
        connect(m_cells, &CellLayer::highlightedCellsChanged, this, repaint);
    }
    update();
}

void SlideView::setRegionEditor(RegionEditor* editor)
{
    if (m_regions) {
        disconnect(m_regions, nullptr, this, nullptr);
        if (m_regions->store())
            disconnect(m_regions->store(), nullptr, this, nullptr);
        if (m_regions->selectionModel())
            disconnect(m_regions->selectionModel(), nullptr, this, nullptr);
    }
    m_regions = editor;
    if (m_regions) {
        auto repaint = [this] { update(); };
        connect(m_regions, &RegionEditor::draftChanged, this, repaint);
        connect(m_regions, &RegionEditor::toolChanged, this, &SlideView::updateToolCursor);
        if (m_regions->store())
            connect(m_regions->store(), &RegionStore::regionsChanged, this, repaint);
        if (m_regions->store())
            connect(m_regions->store(), &QAbstractItemModel::dataChanged, this, repaint);
        if (m_regions->selectionModel())
            connect(m_regions->selectionModel(), &QItemSelectionModel::selectionChanged, this, repaint);
        m_regions->setSnapDistance(kSnapScreenPixels * m_transform.downsample());
    }
    updateToolCursor();
    update();
}

CellLayer* SlideView::cellLayer() const { return m_cells; }
RegionEditor* SlideView::regionEditor() const { return m_regions; }

void SlideView::updateToolCursor()
{
    if (m_regions && m_regions->tool() != RegionTool::Navigate)
        setCursor(Qt::CrossCursor);
    else
        unsetCursor();
}

int SlideView::currentLevel() const
{
    return m_pyramid.isEmpty() ? 0 : m_transform.chooseLevel(m_pyramid.downsamples());
}

bool SlideView::isFullyLoaded() const
{
    if (!m_slide)
        return true;
    const auto keys = m_pyramid.tilesIntersecting(currentLevel(), m_transform.visibleLevel0Rect());
    return std::all_of(keys.begin(), keys.end(), [this](const TileKey& k) { return m_cache.contains(k); });
}

std::optional<double> SlideView::micrometresPerPixel() const
{
    if (!m_slide)
        return std::nullopt;
    return m_slide->mppX();
}

ScaleBar SlideView::scaleBar() const
{
    const auto mpp = micrometresPerPixel();
    return mpp ? chooseScaleBar(*mpp * m_transform.downsample(), kScaleBarMaxPixels) : ScaleBar();
}

void SlideView::zoomToFit()
{
    ViewTransform t = m_transform;
    t.fit();
    applyTransform(t);
}

void SlideView::setMagnification(double magnification)
{
    ViewTransform t = m_transform;
    t.setMagnification(magnification, m_nativeMagnification);
    applyTransform(t);
}

void SlideView::zoomIn()
{
    zoomAt(rect().center(), kKeyZoomFactor);
}
void SlideView::zoomOut()
{
    zoomAt(rect().center(), 1.0 / kKeyZoomFactor);
}

void SlideView::zoomAt(const QPointF& widgetAnchor, double factor)
{
    ViewTransform t = m_transform;
    t.zoomAt(widgetAnchor, factor);
    applyTransform(t);
}

void SlideView::panBy(const QPointF& widgetDelta)
{
    ViewTransform t = m_transform;
    t.panBy(widgetDelta);
    applyTransform(t);
}

void SlideView::centerOn(const QPointF& level0)
{
    ViewTransform t = m_transform;
    t.setCenter(level0);
    applyTransform(t);
}

void SlideView::applyTransform(const ViewTransform& transform)
{
    if (transform == m_transform)
        return;
    const double oldDownsample = m_transform.downsample();
    m_transform = transform;
    if (m_regions)
        m_regions->setSnapDistance(kSnapScreenPixels * m_transform.downsample());
    requestVisibleTiles();
    update();
    Q_EMIT viewportChanged(m_transform.visibleLevel0Rect(), m_transform.downsample());
    if (m_transform.downsample() != oldDownsample)
        Q_EMIT magnificationChanged(magnification());
}

void SlideView::requestVisibleTiles()
{
    if (!m_loader)
        return;
    auto wanted = [this](const TileKey& k) { return !m_cache.contains(k) && !m_failed.count(k); };
    std::vector<TileKey> keys;
    // The overview level first: it is the backdrop everywhere and only a handful of tiles.
    const int coarsest = m_pyramid.coarsestLevel();
    for (const TileKey& k : m_pyramid.tilesIntersecting(coarsest, QRectF(0, 0, m_pyramid.width(), m_pyramid.height())))
        if (wanted(k))
            keys.push_back(k);
    std::vector<TileKey> visible = m_pyramid.tilesIntersecting(currentLevel(), m_transform.visibleLevel0Rect());
    const QPointF centre = m_transform.center();
    auto distance = [&](const TileKey& k) {
        const QPointF d = m_pyramid.tileRectLevel0(k).center() - centre;
        return d.x() * d.x() + d.y() * d.y();
    };
    std::sort(
        visible.begin(), visible.end(), [&](const TileKey& a, const TileKey& b) { return distance(a) < distance(b); });
    for (const TileKey& k : visible)
        if (k.level != coarsest && wanted(k))
            keys.push_back(k);
    m_loader->replaceRequests(keys); // whatever the previous view still wanted is stale now
}

void SlideView::onTileLoaded(const TileKey& key, const QImage& image)
{
    m_cache.insert(key, image);
    if (m_transform.visibleLevel0Rect().intersects(m_pyramid.tileRectLevel0(key)))
        update();
    Q_EMIT tilesChanged();
}

void SlideView::paintThumbnail(QPainter& painter, const ViewTransform& transform)
{
    if (m_slide)
        paintTiles(painter, m_cache, m_pyramid, transform, m_pyramid.coarsestLevel());
}

void SlideView::paintEvent(QPaintEvent*)
{
    QElapsedTimer timer;
    timer.start();
    QPainter painter(this);
    painter.fillRect(rect(), kOutsideSlide);
    if (m_slide) {
        const QRectF slideArea(0, 0, double(m_pyramid.width()), double(m_pyramid.height()));
        painter.fillRect(m_transform.toWidget(slideArea), kSlideNotLoaded);
        paintTiles(painter, m_cache, m_pyramid, m_transform, currentLevel());
        if (m_cells) {
            m_overlayStats = m_overlayPainter.paint(painter, *m_cells, m_transform);
            if (m_overlayStats.rasterTilesPending > 0)
                QTimer::singleShot(0, this, [this] { update(); }); // the rest of the overlay tiles
        }
        if (m_regions && m_regions->store())
            paintRegions(painter, *m_regions->store(), m_regions->selectedIds(), m_regions->draft(), m_transform);
        paintScaleBar(painter);
        paintTileError(painter);
    }
    m_lastPaintMs = double(timer.nsecsElapsed()) / 1e6;
}

void SlideView::onTileFailed(const TileKey& key, const QString& error)
{
    m_failed.insert(key);
    // Once per distinct message: OpenSlide's errors are sticky, so every later tile fails with the same text.
    if (error == m_tileError)
        return;
    m_tileError = error;
    update();
    Q_EMIT tileReadFailed(error);
}

void SlideView::paintTileError(QPainter& painter) const
{
    if (m_tileError.isEmpty())
        return;
    const QString text = tr("Some tiles cannot be read: %1").arg(m_tileError);
    const QRect box = rect().adjusted(12, 12, -12, -12);
    const QRect bounds = painter.fontMetrics().boundingRect(box, Qt::AlignTop | Qt::AlignHCenter | Qt::TextWordWrap, text);
    painter.save();
    painter.fillRect(bounds.adjusted(-8, -4, 8, 4), QColor(192, 57, 43, 230));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignTop | Qt::AlignHCenter | Qt::TextWordWrap, text);
    painter.restore();
}

void SlideView::paintScaleBar(QPainter& painter) const
{
    const ScaleBar bar = scaleBar();
    if (!bar.isValid())
        return;
    const QFontMetrics metrics(font());
    const int margin = 12;
    const int barHeight = 5;
    const int textWidth = metrics.horizontalAdvance(bar.label);
    const int boxWidth = std::max(int(std::ceil(bar.pixels)), textWidth) + 2 * 8;
    const int boxHeight = metrics.height() + barHeight + 3 * 4;
    const QRect box(margin, height() - margin - boxHeight, boxWidth, boxHeight);
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 215));
    painter.drawRoundedRect(box, 4, 4);
    painter.setBrush(Qt::black);
    painter.drawRect(QRectF(box.left() + 8, box.bottom() - 4 - barHeight, bar.pixels, barHeight));
    painter.setPen(Qt::black);
    painter.drawText(QRect(box.left() + 8, box.top() + 4, boxWidth - 16, metrics.height()), Qt::AlignLeft, bar.label);
    painter.restore();
}

void SlideView::resizeEvent(QResizeEvent*)
{
    ViewTransform t = m_transform;
    const bool wasFitted = std::abs(t.downsample() - t.fitDownsample()) < 1e-9 * t.downsample();
    t.setViewportSize(size());
    if (wasFitted || !m_slide)
        t.fit();
    applyTransform(t);
}

void SlideView::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (notches != 0.0)
        zoomAt(event->position(), std::pow(kWheelStepFactor, notches));
    event->accept();
}

void SlideView::mousePressEvent(QMouseEvent* event)
{
    setFocus(Qt::MouseFocusReason);
    if (m_regions && m_slide && m_regions->press(m_transform.toLevel0(event->position()), event->button()))
        return;
    if (event->button() == Qt::LeftButton) {
        m_dragOrigin = event->position();
        m_pressPosition = event->position();
        m_dragged = false;
        setCursor(Qt::ClosedHandCursor);
    }
}

void SlideView::mouseMoveEvent(QMouseEvent* event)
{
    const bool consumed = m_regions && m_slide && m_regions->move(m_transform.toLevel0(event->position()));
    if (!consumed && m_dragOrigin) {
        if (QLineF(m_pressPosition, event->position()).length() > kClickSlopPixels)
            m_dragged = true;
        if (m_dragged) {
            panBy(event->position() - *m_dragOrigin);
            m_dragOrigin = event->position();
        }
    }
    if (!m_slide)
        return;
    if (!m_dragOrigin)
        updateHover(event->position());
    const QPointF level0 = m_transform.toLevel0(event->position());
    const auto mppX = m_slide->mppX();
    const auto mppY = m_slide->mppY();
    const bool known = mppX.has_value() && mppY.has_value();
    Q_EMIT cursorMoved(level0, known ? QPointF(level0.x() * *mppX, level0.y() * *mppY) : QPointF(), known);
}

void SlideView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_regions && m_slide && m_regions->release(m_transform.toLevel0(event->position()), event->button()))
        return;
    if (event->button() == Qt::LeftButton && m_dragOrigin) {
        const bool click = !m_dragged;
        m_dragOrigin.reset();
        updateToolCursor();
        if (click)
            clickAt(event->position());
    }
}

void SlideView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (m_regions && m_slide && m_regions->doubleClick(m_transform.toLevel0(event->position()), event->button()))
        return;
    mousePressEvent(event); // a double-click is also a press: keep pan and click working
}

void SlideView::clickAt(const QPointF& widget)
{
    if (!m_slide)
        return;
    const QPointF level0 = m_transform.toLevel0(widget);
    if (m_cells && m_cells->overlaysVisible())
        m_cells->setSelectedCell(m_cells->cellAt(level0));
    if (m_regions && m_regions->store())
        m_regions->selectOnly(m_regions->store()->regionAt(level0));
}

void SlideView::updateHover(const QPointF& widget)
{
    if (!m_cells)
        return;
    const bool detailed = m_cells->overlaysVisible()
        && CellOverlayPainter::detailFor(m_transform.downsample()) == OverlayDetail::Outlines;
    m_cells->setHoveredCell(detailed ? m_cells->cellAt(m_transform.toLevel0(widget)) : std::nullopt);
}

void SlideView::keyPressEvent(QKeyEvent* event)
{
    const double dx = width() * kKeyPanFraction;
    const double dy = height() * kKeyPanFraction;
    if (m_regions && m_regions->key(event->key())) {
        event->accept();
        return;
    }
    switch (event->key()) {
    case Qt::Key_Left:
        panBy({ dx, 0 });
        break;
    case Qt::Key_Right:
        panBy({ -dx, 0 });
        break;
    case Qt::Key_Up:
        panBy({ 0, dy });
        break;
    case Qt::Key_Down:
        panBy({ 0, -dy });
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomIn();
        break;
    case Qt::Key_Minus:
        zoomOut();
        break;
    case Qt::Key_Home:
        zoomToFit();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

void SlideView::leaveEvent(QEvent* event)
{
    if (m_cells)
        m_cells->setHoveredCell(std::nullopt);
    Q_EMIT cursorLeft();
    QWidget::leaveEvent(event);
}

} // namespace cellvit
