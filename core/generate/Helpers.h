#pragma once

#include "MomentFormat.h"
#include "Result.h"
#include "Rng.h"
#include "generate/TextBuffer.h"

#include <QByteArray>
#include <QJsonValue>
#include <QString>

#include <vector>

namespace kwb::generate {

/// What a helper's value is, which decides how it is written into a JSON template outside a
/// string literal: numbers and booleans as they are, strings quoted and escaped.
enum class ValueKind : quint8 { Number, Boolean, String };

/// Everything a helper may read while it writes one value: the random numbers and the record's
/// place in the run. Owned by a RecordGenerator (or a test); one thread.
struct RenderState
{
    Rng rng;
    qint64 index = 0;     ///< the record's 0-based index in the run ({{current.sequence}})
    qint64 epochMs = 0;   ///< the record's time, ms since 1970 UTC ({{date.now}}, {{current.timestamp}})
    qint64 elapsedMs = 0; ///< since the run started ({{current.elapsed}})
    QByteArray runId;     ///< {{current.runId}}: a UUID per run
    TextBuffer scratch;   ///< reused by the template for values that need escaping
};

/// One argument of a placeholder, with where it starts in the template (1-based).
struct HelperArg
{
    QJsonValue value;
    int line = 1;
    int column = 1;
};

struct HelperCall;
/// Writes one value; returns the kind of what it wrote (arrayElement's items differ).
using RenderFunction = ValueKind (*)(const HelperCall &call, RenderState &state, TextBuffer &out);

/// A helper with its arguments checked and turned into what rendering needs: built once per
/// placeholder by Helpers::compile(), then rendered for every record without allocating.
struct HelperCall
{
    RenderFunction render = nullptr;
    ValueKind kind = ValueKind::String;
    bool plain = false; ///< its output never holds a quote, backslash or control character
    qint64 low = 0;
    qint64 high = 0;
    qint64 step = 1;  ///< random.number's precision as an integer count of 10^-decimals
    int decimals = 0;
    bool trimZeros = false;
    bool utc = false;
    qint64 maxBytes = 256; ///< the longest value it can write, before escaping (bounds a record's size)
    std::vector<QByteArray> items; ///< arrayElement / weightedArrayElement, as written in JSON form
    std::vector<ValueKind> itemKinds;
    std::vector<double> cumulative; ///< weightedArrayElement: running sums of the weights
    MomentFormat format;
    mutable qint64 cachedSecond = -1; ///< date.now/utc: the second `cached` holds
    mutable TextBuffer cached;
};

/// A row of the helper list, for errors, `kwb generate --list-helpers` and the docs.
struct HelperInfo
{
    QLatin1StringView name;
    QLatin1StringView arguments;   ///< "" or e.g. "(max) | ({\"min\": A, \"max\": B, \"precision\": P})"
    QLatin1StringView description;
    bool fromKdg = true;           ///< a helper KDG (faker.js or its own additions) has
};

/// The helpers placeholders may name. Pure functions over a constant table; any thread.
namespace helpers {

/// Every helper, in the order the docs list them.
const std::vector<HelperInfo> &all();
/// Checks a helper's name and arguments and compiles it. The error's message says what the helper
/// takes (line and column are added by the template parser); `unknown` is set for a bad name.
Result<HelperCall> compile(const QString &name, const std::vector<HelperArg> &args, bool *unknown = nullptr);
/// The known helper nearest to `name` (for "did you mean"), or empty when none is close.
QString nearest(const QString &name);

/// Appends the bytes as the content of a JSON string (no quotes), escaped per RFC 8259.
void appendJsonEscaped(TextBuffer &out, QByteArrayView utf8);

} // namespace helpers

} // namespace kwb::generate
