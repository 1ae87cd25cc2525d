#pragma once

#include <QLocale>

namespace kwb::ui {

/// Makes the default QLocale write numbers with its group separator ("10,000"), also where the
/// system locale is C (LANG=C.UTF-8), which leaves it out by default; every count the window
/// shows then reads the same. Call once at start (main, a test's initTestCase). GUI thread.
inline void useGroupSeparators()
{
    QLocale locale;
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    QLocale::setDefault(locale);
}

} // namespace kwb::ui
