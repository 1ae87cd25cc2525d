#pragma once

#include "models/RowCells.h"

#include <QIcon>

namespace kwb::ui {

/// The workbench's icons, drawn as SVG in resources/icons (embedded as :/icons/...). Status
/// icons carry shape as well as colour, so states never depend on colour alone. GUI thread only.
class Icons
{
public:
    static QIcon status(DisplayStatus status);
    static QIcon issue();    ///< a row that cannot be sent
    static QIcon mismatch(); ///< landed on another shard than predicted
    static QIcon warning();
    static QIcon error();
    static QIcon info();
    static QIcon production();
    static QIcon named(const char *name); ///< ":/icons/<name>.svg"
    static QIcon app();
};

} // namespace kwb::ui
