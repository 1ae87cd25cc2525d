#pragma once

#include "Result.h"

#include <QCommandLineParser>
#include <QString>

#include <cmath>

namespace kwb::cli {

/// The one way kwb's commands read numeric option values. Each call answers for one option on
/// its own: an option that is not set gives the caller's `fallback`, never a value left over from
/// another option. A bad value is an Error naming the option, what it takes and what was given.
/// Pure functions; any thread.
namespace option {

/// A whole number from `low` to `high`.
inline Result<qint64> wholeNumber(const QCommandLineParser &parser, const QString &name, qint64 low, qint64 high,
                                  qint64 fallback)
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const qint64 value = parser.value(name).toLongLong(&ok);
    if (!ok || value < low || value > high)
        return Error::input(QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'")
                                .arg(name)
                                .arg(low)
                                .arg(high)
                                .arg(parser.value(name)),
                            QStringLiteral("InvalidOption"));
    return value;
}

/// A finite number above `above` and at most `atMost`; `what` says what it counts ("a number of
/// seconds", "a percentage"). "nan" and "inf", which QString::toDouble accepts, are refused.
inline Result<double> number(const QCommandLineParser &parser, const QString &name, double above, double atMost,
                             double fallback, const QString &what = QStringLiteral("a number"))
{
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || !std::isfinite(value) || value <= above || value > atMost)
        return Error::input(QStringLiteral("--%1 takes %2 above %3 and at most %4, not '%5'")
                                .arg(name, what)
                                .arg(above)
                                .arg(atMost)
                                .arg(parser.value(name)),
                            QStringLiteral("InvalidOption"));
    return value;
}

/// A share from 0 to 1, written "0.05" or "5%".
inline Result<double> rate(const QCommandLineParser &parser, const QString &name, double fallback)
{
    if (!parser.isSet(name))
        return fallback;
    const QString text = parser.value(name);
    bool ok = false;
    const double value = text.endsWith(QLatin1Char('%')) ? text.chopped(1).toDouble(&ok) / 100.0 : text.toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < 0 || value > 1)
        return Error::input(QStringLiteral("--%1 takes a rate from 0 to 1 (or 0% to 100%), not '%2'").arg(name, text),
                            QStringLiteral("InvalidOption"));
    return value;
}

} // namespace option

} // namespace kwb::cli
