#pragma once

#include <QByteArray>
#include <QCursor>
#include <QFont>
#include <QList>
#include <QObject>
#include <QPalette>
#include <QPointer>

#include <optional>

class QAction;
class QDockWidget;
class QMainWindow;

namespace kwb::ui {

/// Presenter mode for a projector: larger type (a zoom kept between runs, Ctrl+= / Ctrl+- /
/// Ctrl+0, from 100 % to 300 %, 150 % at first), a calm layout (the central table and the docks
/// given to setDocks(), every other dock hidden), a high-contrast palette, a bigger mouse pointer
/// and a stronger selection. Leaving (the same key) restores the window's dock state, fonts,
/// palette and pointer exactly. The zoom reaches every widget: the application font, the widgets
/// that set their own font size (fixed-width fields), fixed table row heights, and whoever
/// listens to zoomChanged() (models with their own fonts, charts). GUI thread; owned by the window.
class PresenterMode : public QObject
{
    Q_OBJECT
public:
    static constexpr int kDefaultZoom = 150;
    static constexpr int kMinZoom = 100;
    static constexpr int kMaxZoom = 300;
    static constexpr int kZoomStep = 10;

    explicit PresenterMode(QMainWindow *window);
    ~PresenterMode() override;

    /// The docks of the calm layout: the first on the right, the others below it.
    void setDocks(const QList<QDockWidget *> &docks) { m_docks = docks; }
    /// The Live stream dock: kept in the calm layout when it is open (under the table, across
    /// it), since records arriving are what a demonstration shows; left closed when it is.
    void setLiveDock(QDockWidget *dock);
    /// Widgets of the central area the calm layout hides (shown again on leaving if they were).
    void setHiddenWidgets(const QList<QWidget *> &widgets) { m_hidden = widgets; }

    bool isActive() const { return m_active; }
    /// Zoom in percent (kept in the settings as presenter/zoom).
    int zoom() const { return m_zoom; }
    /// The factor type is scaled by now: zoom() / 100 while active, else 1.
    double scale() const { return m_active ? m_zoom / 100.0 : 1.0; }

    void setActive(bool active);
    void toggle() { setActive(!m_active); }
    void setZoom(int percent);
    void zoomIn() { setZoom(m_zoom + kZoomStep); }
    void zoomOut() { setZoom(m_zoom - kZoomStep); }

    QAction *toggleAction() const { return m_toggle; }
    QAction *zoomInAction() const { return m_zoomIn; }
    QAction *zoomOutAction() const { return m_zoomOut; }
    QAction *zoomResetAction() const { return m_zoomReset; }

Q_SIGNALS:
    void activeChanged(bool active);
    /// The type scale changed (entering, leaving, zooming): 1.0 in the normal layout.
    void zoomChanged(double scale);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void enter();
    void leave();
    void applyScale(double scale);
    void updateActions();
    /// A font's size: points when positive, pixels when negative.
    static double fontSize(const QFont &font);
    static QFont scaledFont(QFont font, double size, double factor);
    static QPalette highContrastPalette();
    static QCursor bigPointer(double scale);

    QMainWindow *m_window;
    QList<QDockWidget *> m_docks;
    QPointer<QDockWidget> m_liveDock;
    QList<QWidget *> m_hidden;
    QList<QPointer<QWidget>> m_hiddenByUs;
    bool m_active = false;
    int m_zoom = kDefaultZoom;
    double m_applied = 1.0;
    QByteArray m_normalState;
    QFont m_normalFont;
    QPalette m_normalPalette;
    std::optional<QCursor> m_normalCursor;
    QAction *m_toggle = nullptr;
    QAction *m_zoomIn = nullptr;
    QAction *m_zoomOut = nullptr;
    QAction *m_zoomReset = nullptr;
};

} // namespace kwb::ui
