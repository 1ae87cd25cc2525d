#pragma once

#include "models/RowFilter.h"
#include "models/WorkspaceStats.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace kwb {
class ShardMap;
}

namespace kwb::ui {

/// The row filter above the records table: by state (all, failed, throttled, succeeded,
/// pending, invalid, shard mismatch), by shard (predicted or actual), by error code (the codes
/// present, with counts) and a search in partition keys (applied after a short pause in typing).
/// Emits filterChanged() with the whole filter. GUI thread.
class FilterBar : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kTypingDelayMs = 250;

    explicit FilterBar(QWidget *parent = nullptr);

    RowFilter filter() const;
    void setFilter(const RowFilter &filter);
    /// Offers the shards of `map` in the shard picker.
    void setShardMap(const ShardMap &map);
    /// Offers the error codes present and shows counts per state.
    void setStats(const WorkspaceStats &stats);
    /// "1,234 of 1,000,000 rows" (and a busy note while filtering).
    void setShownRows(qint64 shown, qint64 total, bool busy);
    /// Filters to one shard (clicking the shard map).
    void showShard(const QString &shardId, RowFilter::ShardSource source);
    void focusSearch();

Q_SIGNALS:
    void filterChanged(const kwb::ui::RowFilter &filter);

private:
    void emitChange();

    QComboBox *m_status = nullptr;
    QComboBox *m_shard = nullptr;
    QComboBox *m_shardSource = nullptr;
    QComboBox *m_errorCode = nullptr;
    QLineEdit *m_search = nullptr;
    QToolButton *m_clear = nullptr;
    QLabel *m_shown = nullptr;
    QTimer m_typing;
    bool m_updating = false;
};

} // namespace kwb::ui
