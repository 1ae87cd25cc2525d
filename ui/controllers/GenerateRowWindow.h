#pragma once

#include "controllers/GenerateController.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <deque>

class QTimer;

namespace kwb::ui {

class Workspace;

/// Mirrors a generator run into the records table, bounded for any length of run: each chunk's
/// rows are appended to the workspace as they go to the send engine, their outcomes follow, and
/// once more than the controller's windowRows() are kept the oldest final ones are dropped (a row
/// still retrying stays, with the rows after it: at most kWindowChunks chunks are not final), so
/// the generated rows never number more than windowRows() plus those chunks. The run's totals
/// over every row are the controller's stats(), not the table's.
/// While the run goes the workspace is locked (no edits, no other send) and its undo history is
/// cleared (as appending records does); the rows kept at the end stay as ordinary rows. Storage
/// the dropped rows leave behind is reclaimed (Workspace::compactStorage) whenever the rows
/// dropped since the last time outnumber the rows there are, so that cost is paid once per row.
/// GUI thread; neither object is owned.
class GenerateRowWindow : public QObject
{
    Q_OBJECT
public:
    GenerateRowWindow(GenerateController *run, Workspace *workspace, QObject *parent = nullptr);

    /// Generated rows in the table now.
    int rowsKept() const { return int(m_ids.size()); }
    /// Generated rows dropped from the table during the run.
    qint64 rowsDropped() const { return m_dropped; }
    /// Times the storage was rebuilt during the run.
    int compactions() const { return m_compactions; }
    /// Outcome changes are shown, and old rows dropped, in batches this often.
    static constexpr int kFlushMs = 100;

private:
    void begin();
    void end();
    void onChunk(const send::RecordChunk &chunk);
    void onRows(const send::RecordChunk &chunk, const QList<int> &rows, bool chunkFinal);
    /// The workspace row of the run's record `runIndex`, or -1 when it is no longer there (the
    /// rows were changed behind the run's back: the mirror then stops).
    int rowOf(qint64 runIndex);
    void flush();

    GenerateController *m_run;
    QPointer<Workspace> m_workspace;
    QTimer *m_flushTimer;
    bool m_active = false;
    std::deque<qint64> m_ids;   ///< workspace row ids of the generated rows kept, in run order
    std::deque<qint64> m_index; ///< their run indexes (ascending; gaps where rows were dropped)
    std::deque<bool> m_final;   ///< whether each is final
    qint64 m_dropped = 0;
    qint64 m_droppedSinceCompact = 0;
    int m_compactions = 0;
    QList<int> m_dirty;
};

} // namespace kwb::ui
