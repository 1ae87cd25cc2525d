#pragma once

#include "RecordStore.h"
#include "Result.h"
#include "ShardMap.h"
#include "send/SendResults.h"
#include "workspace/SavedGenerator.h"

#include <QDateTime>
#include <QIODevice>
#include <QString>

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace kwb::workspace {

/// Where a workspace sends, as saved in its file: the target's identity and addresses only.
/// Keys never appear here: typed keys live in the system keychain under the target's id.
struct SavedTarget
{
    QString id;       ///< "sandbox", "profile:<name>", "custom:<uuid>"
    QString kind;     ///< "sandbox", "profile", "custom"
    QString name;
    QString profile;
    QString endpointUrl;
    QString region;
    bool production = false;
};

/// The send settings kept with a workspace (the rest of SendOptions follow the stream).
struct SavedSendSettings
{
    int concurrency = 0;    ///< 0 = automatic
    int maxAttempts = 0;    ///< 0 = automatic
    double ratePercent = 0; ///< 0 = automatic flow control
    bool ordered = false;
    bool verify = false;
    qint64 deadlineMs = 0;  ///< 0 = the default retry budget
    bool flowControl = true;
    /// Pack rows into KPL aggregated records (SendOptions::aggregate); never with `ordered`.
    bool aggregate = false;
    qint64 aggregateMaxBytes = 51200; ///< the KPL's default AggregationMaxSize
};

/// How many rows are in which state; kept in the header, so a restore offer can say what it
/// would bring back without reading every row.
struct RowCounts
{
    qint64 pending = 0;
    qint64 succeeded = 0;
    qint64 failed = 0;
    qint64 cancelled = 0; ///< aborted in flight: may or may not have been written
    qint64 inFlight = 0;  ///< queued or in flight when saved (a save during a send, a crash)
};

/// The first line of a workspace file: everything but the rows.
struct WorkspaceHeader
{
    static constexpr int kVersion = 1;

    int version = kVersion;
    QString appVersion;
    QDateTime savedAt;
    qint64 rows = 0;
    RowCounts counts;
    SavedTarget target;
    QString stream;         ///< empty: the virtual stream
    ShardMap streamMap;     ///< the stream's shards when saved (empty without a stream)
    int virtualShards = 4;
    qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes;
    SavedSendSettings send;
    qint64 nextRowId = 0;
    /// Autosaves only: the file the workspace was saved as, if any.
    QString documentPath;
    /// Autosaves only: whether it had changes not saved to documentPath.
    bool modified = false;
    /// The Generate dock's templates and run settings; none in files written before them.
    std::optional<SavedGenerator> generator;
};

/// A whole workspace: the header and every row with its outcome and attempt history. A plain
/// value, built on the GUI thread from a snapshot and written or read on a worker thread.
struct WorkspaceContent
{
    WorkspaceHeader header;
    RecordStore store;
    send::SendResults results;
    std::vector<qint64> rowIds;                 ///< same size as store; empty: 0, 1, 2, ...
    std::map<int, QString> badExplicitHashKeys; ///< typed explicit hash keys that did not parse
};

/// Called every few thousand rows with rows done and the total. Return false to cancel.
using WorkspaceProgress = std::function<bool(qint64 done, qint64 total)>;

/// Reads and writes workspace files (`.kwb`): JSON Lines, UTF-8. Line 1 is the header, starting
/// with {"format":"kinesis-workbench-workspace","version":1, (the MIME magic); then one line per row:
/// {"id":7,"pk":"key","data":"<base64>","ehk":"<decimal>","status":"failed","code":"...",...}.
/// Secrets have no field to go in. Rows queued or in flight when saved come back Cancelled with
/// a message saying they may or may not have been written, so no row's state is lost or
/// invented. Pure functions; any thread.
class WorkspaceFile
{
public:
    static constexpr const char *kFormat = "kinesis-workbench-workspace";
    static constexpr const char *kSuffix = "kwb";
    static constexpr const char *kMimeType = "application/x-kinesis-workbench-workspace";
    /// The largest row id a file may hold: 2^53 - 1, the largest integer every JSON reader keeps
    /// exact, far beyond any real count of rows, and far from overflowing the next id.
    static constexpr qint64 kMaxRowId = (qint64(1) << 53) - 1;

    /// Counts the rows' states (for the header).
    static RowCounts countRows(const send::SendResults &results);

    /// Writes `content` to `device`. Errors: write failures, cancel.
    static Result<bool> write(QIODevice &device, const WorkspaceContent &content, const WorkspaceProgress &progress = {});
    /// Writes to `path` atomically (a temporary file renamed over it when complete).
    static Result<bool> save(const QString &path, const WorkspaceContent &content, const WorkspaceProgress &progress = {});

    /// Reads the header only (the restore offer, the open dialog).
    static Result<WorkspaceHeader> readHeader(const QString &path);
    /// Reads a whole workspace. `name` is used in messages ("name:line:column: what"). Row ids
    /// and nextRowId above kMaxRowId are refused; header.nextRowId comes back above every row id.
    static Result<WorkspaceContent> read(QIODevice &device, const QString &name, const WorkspaceProgress &progress = {});
    static Result<WorkspaceContent> load(const QString &path, const WorkspaceProgress &progress = {});

    /// Code and message given to rows that were queued or in flight when the file was saved.
    static QString interruptedCode();
    static QString interruptedMessage();
};

} // namespace kwb::workspace
