#pragma once

#include "HashKey.h"
#include "RecordStore.h"
#include "Result.h"
#include "generate/Template.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <vector>

namespace kwb::generate {

/// What a generator is made of: the data template (the whole record, as a KDG user pastes it),
/// the partition key template (empty: a random UUID per record) and an optional explicit hash
/// key template.
struct GeneratorTemplates
{
    QString data;
    QString dataWhere = QStringLiteral("template"); ///< names the data template in errors (its file)
    QString key;
    QString explicitHashKey;
};

/// One generated record.
struct GeneratedRecord
{
    QByteArray partitionKey;
    QByteArray data;
    std::optional<UInt128> explicitHashKey;
};

/// Makes records from templates: data, partition key, explicit hash key, in that order from one
/// seeded random sequence, so the same templates, seed and record times give byte-identical
/// records. Record times come from the caller (the run's clock, or a simulated one).
/// A plain value (copy it to preview without disturbing a run); one thread per copy.
class RecordGenerator
{
public:
    /// Parses the templates; the first error found is returned (line, column, what was expected).
    static Result<RecordGenerator> create(const GeneratorTemplates &templates, quint64 seed);
    /// A seed from the system's entropy, for runs given none (the summary prints it).
    static quint64 randomSeed();

    quint64 seed() const { return m_seed; }
    const Template &dataTemplate() const { return m_data; }
    /// The run's start (for {{current.elapsed}}), ms since 1970 UTC; default: the first record's time.
    void setStartTime(qint64 epochMs) { m_startMs = epochMs; }
    /// Records made so far: the next record's {{current.sequence}}.
    qint64 generated() const { return m_state.index; }

    /// Makes the next record at time `epochMs`. A key that is empty or over 256 characters, or an
    /// explicit hash key that is not a number from 0 to 2^128-1, is an error naming the record.
    Result<void> next(qint64 epochMs, GeneratedRecord &out);
    /// Makes the next record and appends it to `store`.
    Result<void> appendTo(RecordStore &store, qint64 epochMs);
    /// The next `count` records of a copy of this generator (this one is not moved on); fewer
    /// when they would hold more than `maxBytes`, so memory stays bounded for large records.
    Result<std::vector<GeneratedRecord>> preview(int count, qint64 epochMs, qint64 maxBytes = kPreviewBytes) const;
    static constexpr qint64 kPreviewBytes = 32 * 1024 * 1024;

private:
    Template m_data;
    Template m_key;
    std::optional<Template> m_ehk;
    bool m_defaultKey = true;
    RenderState m_state;
    quint64 m_seed = 0;
    qint64 m_startMs = -1;
    TextBuffer m_dataBuffer;
    TextBuffer m_keyBuffer;
    TextBuffer m_ehkBuffer;
    GeneratedRecord m_scratch;
    /// Renders the next record into the buffers.
    Result<void> render(qint64 epochMs);
};

} // namespace kwb::generate
