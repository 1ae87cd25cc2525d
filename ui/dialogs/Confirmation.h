#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace kwb::ui {

/// A Yes/Cancel warning ("confirmation"), Cancel by default, opened window-modal with open();
/// `proceed` runs only on Yes. GUI thread.
class Confirmation
{
public:
    static void ask(QWidget *parent, const QString &what, std::function<void()> proceed);
};

} // namespace kwb::ui
