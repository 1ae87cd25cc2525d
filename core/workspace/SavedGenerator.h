#pragma once

#include "Result.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace kwb::workspace {

/// The Generate dock's settings kept with a workspace: the templates, the seed and the run's
/// rate, end, ramp, bursts and row window, so a workspace reopens ready to run the same traffic.
/// Saved in the header line as a "generate" object; files written before it have none and load
/// as they did. Pure value; any thread.
struct SavedGenerator
{
    enum class End { Count, Seconds, UntilStopped };

    QString dataTemplate;
    QString keyTemplate;
    QString explicitHashKeyTemplate;
    QString sample;           ///< the shipped sample the templates are, unedited; empty otherwise
    quint64 seed = 0;
    int rate = 100;           ///< records per second (per shard when perShard); the ramp's start
    bool perShard = false;
    End end = End::Count;
    qint64 endValue = 1000;   ///< records, or seconds
    bool ramp = false;
    int rampTo = 2000;        ///< records per second at the ramp's end
    int rampSeconds = 60;
    QString bursts;           ///< "5000@30, 2000@1m" as typed
    int windowRows = 10000;   ///< rows kept in the table while a run goes

    /// The largest template kept (each of the three); the panel reads no larger ones either.
    static constexpr qint64 kMaxTemplateChars = 1024 * 1024;

    QJsonObject toJson() const;
    /// Reads what toJson() wrote; missing fields keep their defaults. Errors name the field and
    /// say what it must hold.
    static Result<SavedGenerator> fromJson(const QJsonObject &o);

    friend bool operator==(const SavedGenerator &, const SavedGenerator &) = default;
};

} // namespace kwb::workspace
