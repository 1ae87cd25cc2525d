#pragma once

#include "HashKey.h"
#include "dialogs/RouteToShardDialog.h"

#include <QByteArray>
#include <QPointer>
#include <QTimer>
#include "views/ScrollingPanel.h"

#include <array>
#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QToolButton;
class QTreeWidget;

namespace kwb::ui {

class Workspace;

/// Edits the current row: partition key and explicit hash key with live validation and the
/// route they give ("MD5 → 128-bit hash key → shard") as you type; the data as Text, JSON
/// (validated, pretty-printed or compacted), Hex and Base64 views of the same bytes; "Route to
/// shard…" to pick an explicit hash key inside a shard; and the row's outcome with its attempts.
/// Every change goes through the workspace's undo stack. Keys apply when editing finishes (Enter
/// or leaving the field); data applies with Apply (Ctrl+Return). Scrolls when the dock is short.
/// GUI thread; does not own the workspace.
class RecordEditorPanel : public ScrollingPanel
{
    Q_OBJECT
public:
    enum View { TextView, JsonView, HexView, Base64View };

    explicit RecordEditorPanel(Workspace *workspace, QWidget *parent = nullptr);

    /// The store row to edit; -1 for none.
    void setRow(int storeRow);
    int row() const { return m_row; }
    /// Per-shard record counts, shown in the route dialog.
    void setShardRecords(std::vector<qint64> records) { m_shardRecords = std::move(records); }

    /// Bytes the current data view holds (parsed), or nullopt when its text is not valid.
    std::optional<QByteArray> pendingBytes() const { return m_pending; }
    bool hasUnappliedData() const;
    /// Writes the pending data to the row (through the undo stack).
    bool applyData();
    void revertData();
    void showView(View view);
    /// Opens the route dialog (non-modal).
    void routeToShard();
    RouteToShardDialog *routeDialog() const { return m_routeDialog; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

Q_SIGNALS:
    /// The typed key or explicit hash key routes to this hash key (before it is applied), for
    /// the shard map's marker.
    void previewHashKey(kwb::UInt128 hashKey);
    /// The key and explicit hash key fields as typed (before they are applied), for the journey.
    void keyEdited(const QString &partitionKey, const QString &explicitHashKey);

private:
    void load();
    void loadData(const QByteArray &bytes);
    void fillView(int view, const QByteArray &bytes);
    void onDataEdited(int view);
    void onViewChanged(int view);
    void updateRouting();
    void updateOutcome();
    void updateEnabled();
    void applyKey();
    void applyExplicit();
    void formatJson(bool pretty);
    QPlainTextEdit *editor(int view) const;

    Workspace *m_workspace;
    int m_row = -1;
    bool m_loading = false;
    QByteArray m_bytes;                ///< the row's data as stored
    std::optional<QByteArray> m_pending; ///< parsed from the edited view
    int m_editedView = -1;
    std::array<bool, 4> m_filled{}; ///< views are filled when shown, not on every row change
    int m_currentView = TextView;
    std::vector<qint64> m_shardRecords;
    QTimer m_outcomeTimer;
    QPointer<RouteToShardDialog> m_routeDialog;

    QLabel *m_title = nullptr;
    QLineEdit *m_key = nullptr;
    QLabel *m_keyIssue = nullptr;
    QLineEdit *m_explicit = nullptr;
    QToolButton *m_route = nullptr;
    QLabel *m_explicitIssue = nullptr;
    QLabel *m_routing = nullptr;
    QTabWidget *m_views = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QPlainTextEdit *m_json = nullptr;
    QPlainTextEdit *m_hex = nullptr;
    QPlainTextEdit *m_base64 = nullptr;
    QPushButton *m_pretty = nullptr;
    QPushButton *m_compact = nullptr;
    QLabel *m_dataStatus = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
    QLabel *m_outcome = nullptr;
    QTreeWidget *m_attempts = nullptr;
};

} // namespace kwb::ui
