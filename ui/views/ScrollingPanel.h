#pragma once

#include <QWidget>

class QScrollArea;

namespace kwb::ui {

/// A dock panel whose content scrolls when the dock is shorter than it, so nothing is ever cut
/// off; it never scrolls sideways (the panel is as wide as its content needs). Subclasses build
/// their content and hand it to setContent(). GUI thread.
class ScrollingPanel : public QWidget
{
    Q_OBJECT
public:
    /// `scrollName` is the scroll area's object name (for tests and style sheets).
    explicit ScrollingPanel(const QString &scrollName, QWidget *parent = nullptr);

    /// As wide as the content needs, a few lines tall: the rest scrolls.
    QSize minimumSizeHint() const override;

protected:
    void setContent(QWidget *content);
    QWidget *content() const;
    /// Scrolls so that `child` (inside the content) is in view.
    void ensureVisible(QWidget *child);

private:
    QScrollArea *m_scroll = nullptr;
};

} // namespace kwb::ui
