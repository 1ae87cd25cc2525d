#include "controllers/PresenterMode.h"

#include "WorkbenchSettings.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QEvent>
#include <QHeaderView>
#include <QMainWindow>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace kwb::ui {

namespace {

/// A widget's own font size (and a fixed table's row height) before any zoom.
const char *const kBaseSize = "kwbPresenterBaseSize";
const char *const kBaseRow = "kwbPresenterBaseRow";
/// Whether the widget had a font size of its own before any zoom.
const char *const kOwnFont = "kwbPresenterOwnFont";

} // namespace

PresenterMode::PresenterMode(QMainWindow *window)
    : QObject(window)
    , m_window(window)
{
    m_zoom = std::clamp(WorkbenchSettings().presenterZoom().value_or(kDefaultZoom), kMinZoom, kMaxZoom);

    m_toggle = new QAction(tr("&Presenter mode"), window);
    m_toggle->setObjectName(QStringLiteral("presenterMode"));
    m_toggle->setCheckable(true);
    m_toggle->setShortcut(QKeySequence(Qt::Key_F11));
    m_toggle->setToolTip(tr("Larger type, high contrast and a calm layout for a projector (F11); F11 again "
                            "brings the normal layout back"));
    connect(m_toggle, &QAction::triggered, this, [this](bool on) { setActive(on); });

    m_zoomIn = new QAction(tr("Zoom &in"), window);
    m_zoomIn->setObjectName(QStringLiteral("presenterZoomIn"));
    m_zoomIn->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(QKeySequence::ZoomIn)});
    connect(m_zoomIn, &QAction::triggered, this, &PresenterMode::zoomIn);
    m_zoomOut = new QAction(tr("Zoom &out"), window);
    m_zoomOut->setObjectName(QStringLiteral("presenterZoomOut"));
    m_zoomOut->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus)); // the platform's ZoomOut too: the same keys
    connect(m_zoomOut, &QAction::triggered, this, &PresenterMode::zoomOut);
    m_zoomReset = new QAction(tr("&Reset zoom"), window);
    m_zoomReset->setObjectName(QStringLiteral("presenterZoomReset"));
    m_zoomReset->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_zoomReset, &QAction::triggered, this, [this] { setZoom(kDefaultZoom); });
    for (QAction *a : {m_zoomIn, m_zoomOut, m_zoomReset})
        window->addAction(a); // shortcuts work with the menu closed
    window->addAction(m_toggle);
    window->installEventFilter(this);
    updateActions();
}

void PresenterMode::setLiveDock(QDockWidget *dock)
{
    m_liveDock = dock;
}

PresenterMode::~PresenterMode()
{
    // The application's font and palette outlive the window.
    if (m_active) {
        QApplication::setPalette(m_normalPalette);
        QApplication::setFont(m_normalFont);
    }
}

void PresenterMode::setActive(bool active)
{
    if (active == m_active) {
        m_toggle->setChecked(m_active);
        return;
    }
    if (active)
        enter();
    else
        leave();
    m_toggle->setChecked(m_active);
    updateActions();
    Q_EMIT activeChanged(m_active);
}

void PresenterMode::setZoom(int percent)
{
    percent = std::clamp(percent, kMinZoom, kMaxZoom);
    if (percent == m_zoom)
        return;
    m_zoom = percent;
    WorkbenchSettings().setPresenterZoom(m_zoom);
    if (m_active)
        applyScale(scale());
    updateActions();
}

void PresenterMode::updateActions()
{
    m_zoomIn->setEnabled(m_active && m_zoom < kMaxZoom);
    m_zoomOut->setEnabled(m_active && m_zoom > kMinZoom);
    m_zoomReset->setEnabled(m_active && m_zoom != kDefaultZoom);
    m_zoomIn->setStatusTip(tr("Presenter mode at %1 %").arg(m_zoom));
}

void PresenterMode::enter()
{
    m_normalState = m_window->saveState();
    m_normalFont = QApplication::font();
    m_normalPalette = QApplication::palette();
    m_normalCursor = m_window->testAttribute(Qt::WA_SetCursor) ? std::optional<QCursor>(m_window->cursor()) : std::nullopt;
    m_active = true;

    // The calm layout: the table, and the given docks on the right, one under the other.
    const QList<QDockWidget *> all = m_window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly);
    const bool liveOpen = m_liveDock && m_liveDock->toggleViewAction()->isChecked();
    for (QDockWidget *dock : all) {
        if (!m_docks.contains(dock) && !(liveOpen && dock == m_liveDock))
            dock->hide();
    }
    m_hiddenByUs.clear();
    for (QWidget *w : std::as_const(m_hidden)) {
        if (!w->isHidden()) {
            w->hide();
            m_hiddenByUs.append(w);
        }
    }
    QDockWidget *previous = nullptr;
    for (QDockWidget *dock : std::as_const(m_docks)) {
        dock->setFloating(false);
        m_window->removeDockWidget(dock);
        if (previous)
            m_window->splitDockWidget(previous, dock, Qt::Vertical);
        else
            m_window->addDockWidget(Qt::RightDockWidgetArea, dock);
        dock->show();
        previous = dock;
    }

    if (liveOpen) {
        m_liveDock->setFloating(false);
        m_window->removeDockWidget(m_liveDock);
        m_window->addDockWidget(Qt::BottomDockWidgetArea, m_liveDock);
        m_liveDock->show();
    }

    QApplication::setPalette(highContrastPalette());
    applyScale(scale());
    if (liveOpen)
        m_window->resizeDocks({m_liveDock}, {m_window->height() * 35 / 100}, Qt::Vertical);
    if (!m_docks.isEmpty()) {
        m_window->resizeDocks({m_docks.first()}, {m_window->width() * 40 / 100}, Qt::Horizontal);
        if (m_docks.size() > 1)
            m_window->resizeDocks({m_docks[0], m_docks[1]}, {m_window->height() * 6 / 10, m_window->height() * 4 / 10},
                                  Qt::Vertical);
    }
}

void PresenterMode::leave()
{
    m_active = false;
    QApplication::setFont(m_normalFont); // first: the window's widgets go back to it
    applyScale(1.0);
    QApplication::setPalette(m_normalPalette);
    if (m_normalCursor)
        m_window->setCursor(*m_normalCursor);
    else
        m_window->unsetCursor();
    for (const QPointer<QWidget> &w : std::as_const(m_hiddenByUs)) {
        if (w)
            w->show();
    }
    m_hiddenByUs.clear();
    m_window->restoreState(m_normalState);
    // Once more when the layouts have taken the normal type: until then the docks' minimum sizes
    // are the presenter's, and the restored sizes could not all be met.
    QTimer::singleShot(0, this, [this, state = m_normalState] {
        if (!m_active)
            m_window->restoreState(state);
    });
}

void PresenterMode::applyScale(double factor)
{
    // Widgets with a size of their own (fixed-width fields, bold titles made larger) do not follow
    // the window's font: each is scaled from the size it had before any zoom, noted before the
    // window's font changes (some copy it: a combo's popup takes the combo's).
    const QWidgetList widgets = QApplication::allWidgets();
    // So are widgets of a class with a font of its own (the platform's, for headers, menus...).
    if (m_applied == 1.0) {
        for (QWidget *w : widgets) {
            if (w == m_window || w->property(kBaseSize).isValid())
                continue;
            const bool own = w->testAttribute(Qt::WA_SetFont) && (w->font().resolveMask() & QFont::SizeResolved);
            if (own || !QApplication::font(w).isCopyOf(QApplication::font())) {
                w->setProperty(kBaseSize, fontSize(w->font()));
                w->setProperty(kOwnFont, own);
            }
        }
    }
    if (m_active) {
        QApplication::setFont(scaledFont(m_normalFont, fontSize(m_normalFont), factor)); // dialogs opened from now on
        // The window's own widgets at once (the application's font reaches them only while its
        // event loop runs); only the size is set, the rest is inherited as before.
        m_window->setFont(scaledFont(QFont(), fontSize(m_normalFont), factor));
        m_window->setCursor(bigPointer(factor));
    } else {
        m_window->setFont(QFont());
    }
    // A dock draws its title in the platform's title font while its own font is the
    // application's; one that differs (here only in a rendering hint) draws it in its own size.
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>(QString(), Qt::FindDirectChildrenOnly)) {
        if (m_active) {
            QFont font = scaledFont(QFont(), fontSize(m_normalFont), factor);
            font.setStyleStrategy(QFont::PreferQuality);
            dock->setFont(font);
        } else {
            dock->setFont(QFont());
        }
    }
    for (QWidget *w : widgets) {
        if (const QVariant base = w->property(kBaseSize); base.isValid()) {
            if (factor == 1.0 && !w->property(kOwnFont).toBool())
                w->setFont(QFont()); // back to the font it had: its class's
            else
                w->setFont(scaledFont(w->font(), base.toDouble(), factor));
        }
        // A widget without a font of its own that missed the change (seen with a table's
        // header) looks again at its parent's.
        if (!w->isWindow() && !w->testAttribute(Qt::WA_SetFont) && !w->property(kBaseSize).isValid() && w->parentWidget()
            && w->window() == m_window && fontSize(w->font()) != fontSize(w->parentWidget()->font()))
            w->setFont(QFont());
        // Tables with fixed row heights measured once (the record table measures its own).
        if (auto *table = qobject_cast<QTableView *>(w); table && !table->inherits("kwb::ui::RecordsView")
                                                           && table->verticalHeader()->sectionResizeMode(0) == QHeaderView::Fixed) {
            QVariant base = table->property(kBaseRow);
            if (!base.isValid()) {
                base = table->verticalHeader()->defaultSectionSize();
                table->setProperty(kBaseRow, base);
            }
            table->verticalHeader()->setDefaultSectionSize(int(std::lround(base.toInt() * factor)));
        }
    }
    m_applied = factor;
    Q_EMIT zoomChanged(factor);
}

double PresenterMode::fontSize(const QFont &font)
{
    return font.pointSizeF() > 0 ? font.pointSizeF() : -double(font.pixelSize());
}

QFont PresenterMode::scaledFont(QFont font, double size, double factor)
{
    if (size > 0)
        font.setPointSizeF(size * factor);
    else if (size < 0)
        font.setPixelSize(std::max(1, int(std::lround(-size * factor))));
    return font;
}

bool PresenterMode::eventFilter(QObject *watched, QEvent *event)
{
    // The window saves its dock state as it closes: the normal layout, not the presenter's.
    if (watched == m_window && event->type() == QEvent::Close && m_active)
        setActive(false);
    return QObject::eventFilter(watched, event);
}

QPalette PresenterMode::highContrastPalette()
{
    // Black on white with a deep blue selection: readable from the back of a room.
    QPalette p(QColor(240, 240, 240));
    p.setColor(QPalette::Window, Qt::white);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(232, 236, 244));
    p.setColor(QPalette::Text, Qt::black);
    p.setColor(QPalette::Button, QColor(235, 235, 235));
    p.setColor(QPalette::ButtonText, Qt::black);
    p.setColor(QPalette::Highlight, QColor(0, 51, 153));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(70, 70, 70));
    p.setColor(QPalette::ToolTipBase, Qt::white);
    p.setColor(QPalette::ToolTipText, Qt::black);
    p.setColor(QPalette::Mid, QColor(90, 90, 90));
    p.setColor(QPalette::Dark, QColor(50, 50, 50));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(110, 110, 110));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(110, 110, 110));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(110, 110, 110));
    return p;
}

QCursor PresenterMode::bigPointer(double scale)
{
    // An arrow twice the usual size (more when zoomed further), black with a white rim.
    const int size = int(std::lround(32 * std::max(1.0, scale) * 1.4));
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const double s = size / 32.0;
    QPainterPath arrow;
    arrow.moveTo(2 * s, 2 * s);
    arrow.lineTo(2 * s, 26 * s);
    arrow.lineTo(8 * s, 20 * s);
    arrow.lineTo(12.5 * s, 30 * s);
    arrow.lineTo(17 * s, 28 * s);
    arrow.lineTo(12.5 * s, 18.5 * s);
    arrow.lineTo(21 * s, 18.5 * s);
    arrow.closeSubpath();
    p.setPen(QPen(Qt::white, 2 * s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::black);
    p.drawPath(arrow);
    p.end();
    return QCursor(pixmap, int(2 * s), int(2 * s));
}

} // namespace kwb::ui
