#pragma once

#include <QColor>

namespace kwb::ui {

/// The few accent colours the workbench paints with: mid-tone hues readable on light and dark
/// palettes. Always paired with a shape or a word (an icon, a hatch, a label), never alone.
class StatusColors
{
public:
    static QColor success() { return QColor(46, 157, 79); }
    static QColor warning() { return QColor(217, 142, 4); }
    static QColor error() { return QColor(214, 69, 69); }
    static QColor info() { return QColor(47, 111, 214); }
};

} // namespace kwb::ui
