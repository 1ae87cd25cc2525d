#include "workspace/SavedGenerator.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <tuple>
#include <utility>

namespace kwb::workspace {

namespace {

const char *endName(SavedGenerator::End end)
{
    switch (end) {
    case SavedGenerator::End::Count:
        return "count";
    case SavedGenerator::End::Seconds:
        return "seconds";
    case SavedGenerator::End::UntilStopped:
        return "untilStopped";
    }
    return "count";
}

Error bad(const char *field, const QString &what)
{
    return Error::input(QStringLiteral("in \"generate\": \"%1\" must be %2").arg(QLatin1String(field), what));
}

/// The value as it is written in JSON: 2.5, "seven", true.
QString written(const QJsonValue &v)
{
    const QByteArray array = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

/// A whole number from `low` to `high`, or the default when absent.
Result<qint64> number(const QJsonObject &o, const char *field, qint64 low, qint64 high, qint64 fallback)
{
    const QJsonValue v = o.value(QLatin1String(field));
    if (v.isUndefined())
        return fallback;
    const double d = v.toDouble(-1e300);
    if (!v.isDouble() || d != double(qint64(d)) || d < double(low) || d > double(high))
        return bad(field, QStringLiteral("a whole number from %1 to %2, not %3").arg(low).arg(high).arg(written(v)));
    return qint64(d);
}

Result<QString> text(const QJsonObject &o, const char *field)
{
    const QJsonValue v = o.value(QLatin1String(field));
    if (v.isUndefined())
        return QString();
    if (!v.isString())
        return bad(field, QStringLiteral("text, not %1").arg(written(v)));
    if (v.toString().size() > SavedGenerator::kMaxTemplateChars)
        return bad(field, QStringLiteral("at most %1 characters long, not %2").arg(SavedGenerator::kMaxTemplateChars).arg(v.toString().size()));
    return v.toString();
}

} // namespace

QJsonObject SavedGenerator::toJson() const
{
    QJsonObject o{
        {QStringLiteral("data"), dataTemplate},
        {QStringLiteral("key"), keyTemplate},
        {QStringLiteral("ehk"), explicitHashKeyTemplate},
        // Decimal text: a 64-bit seed does not fit a JSON number every reader keeps exact.
        {QStringLiteral("seed"), QString::number(seed)},
        {QStringLiteral("rate"), rate},
        {QStringLiteral("perShard"), perShard},
        {QStringLiteral("end"), QLatin1String(endName(end))},
        {QStringLiteral("endValue"), endValue},
        {QStringLiteral("ramp"), ramp},
        {QStringLiteral("rampTo"), rampTo},
        {QStringLiteral("rampSeconds"), rampSeconds},
        {QStringLiteral("bursts"), bursts},
        {QStringLiteral("windowRows"), windowRows},
    };
    if (!sample.isEmpty())
        o.insert(QStringLiteral("sample"), sample);
    return o;
}

Result<SavedGenerator> SavedGenerator::fromJson(const QJsonObject &o)
{
    SavedGenerator g;
    for (auto [field, into] : {std::pair{"data", &g.dataTemplate}, std::pair{"key", &g.keyTemplate},
                               std::pair{"ehk", &g.explicitHashKeyTemplate}, std::pair{"sample", &g.sample},
                               std::pair{"bursts", &g.bursts}}) {
        auto t = text(o, field);
        if (!t.ok())
            return t.error();
        *into = t.value();
    }
    if (const QJsonValue seed = o.value(QLatin1String("seed")); !seed.isUndefined()) {
        bool ok = false;
        g.seed = seed.toString().toULongLong(&ok);
        if (!ok)
            return bad("seed", QStringLiteral("a whole number from 0 to 18446744073709551615 in quotes, not %1").arg(written(seed)));
    }
    const SavedGenerator defaults;
    for (auto [field, into, low, high] : {std::tuple{"rate", &g.rate, 1, 1000000}, std::tuple{"rampTo", &g.rampTo, 1, 1000000},
                                          std::tuple{"rampSeconds", &g.rampSeconds, 1, 86400},
                                          std::tuple{"windowRows", &g.windowRows, 100, 10000000}}) {
        auto n = number(o, field, low, high, *into);
        if (!n.ok())
            return n.error();
        *into = int(n.value());
    }
    auto endValue = number(o, "endValue", 1, 1000000000, defaults.endValue);
    if (!endValue.ok())
        return endValue.error();
    g.endValue = endValue.value();
    for (auto [field, into] : {std::pair{"perShard", &g.perShard}, std::pair{"ramp", &g.ramp}}) {
        const QJsonValue v = o.value(QLatin1String(field));
        if (!v.isUndefined() && !v.isBool())
            return bad(field, QStringLiteral("true or false, not %1").arg(written(v)));
        *into = v.toBool(*into);
    }
    if (const QJsonValue end = o.value(QLatin1String("end")); !end.isUndefined()) {
        const QString name = end.toString();
        bool known = false;
        for (End e : {End::Count, End::Seconds, End::UntilStopped}) {
            if (name == QLatin1String(endName(e))) {
                g.end = e;
                known = true;
            }
        }
        if (!known)
            return bad("end", QStringLiteral("\"count\", \"seconds\" or \"untilStopped\", not %1").arg(written(end)));
    }
    return g;
}

} // namespace kwb::workspace
