#pragma once

#include "ShardMap.h"
#include "import/ImportOptions.h"
#include "import/SniffResult.h"

#include <QDialog>
#include <QTimer>

class QComboBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QRadioButton;
class QTableWidget;

namespace kwb::ui {

/// Asks how to read a file before importing it: format (detected by default), where partition
/// keys come from (the input's own, a JSON field or CSV column, a constant, UUIDs, row numbers,
/// random numbers, the file name), how data values are encoded, the mapping (CSV/TSV: the
/// partition key, data and explicit hash key columns; JSON objects: the data and explicit hash
/// key fields), and whether to replace the rows or add to them. The first records are previewed
/// as the options would import them (key, explicit hash key, data, or the problem in words); the
/// preview (Importer::sniff, which reads only the first blocks) runs in the thread pool after a
/// short pause, and a newer one wins (generation token). Opened with open(); read options()
/// after accepted(). GUI thread.
///
/// It guesses well: JSON objects without a PartitionKey member get an id-like field present in
/// every previewed object as their key ("id", "order_id", "user.id"), with the whole object as
/// data, until the user chooses otherwise. When none of the previewed records would import,
/// Import is disabled and the dialog says why and what to change. The preview shows how many
/// records the file holds (counted, or estimated for large files) and each record's predicted
/// shard in the map given by setShardMap().
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kPreviewRecords = 20;
    static constexpr int kPreviewDelayMs = 150;

    /// Preview table columns (the shard is shown next to the key).
    enum PreviewColumn { KeyColumn, HashKeyColumn, DataColumn, SizeColumn, ShardColumn };
    /// Files up to this size are counted line by line for the record count; larger ones are
    /// estimated from their first lines.
    static constexpr qint64 kCountLimitBytes = 64 * 1024 * 1024;

    /// What the preview found, made in the thread pool.
    struct Preview
    {
        Result<import::SniffResult> sniff = Error{};
        /// The key field proposed for objects without keys (empty: none).
        QString guessedKeyField;
    };
    /// The file's records: counted (lines) or estimated; -1 when unknown.
    struct RecordCount
    {
        qint64 lines = -1;
        bool estimated = false;
    };
    /// An id-like field present in every previewed record of `path`, for objects without
    /// PartitionKey members; empty when none works. Runs previews: call in the thread pool.
    static QString guessKeyField(const QString &path, const import::ImportOptions &options,
                                 const import::SniffResult &sniff);
    /// Counts the lines holding something (bounded memory), or estimates them from the first
    /// lines beyond kCountLimitBytes.
    static RecordCount countLines(const QString &path, const QStringList &firstLines, qint64 totalBytes);

    ImportDialog(const QString &path, bool append, QWidget *parent = nullptr);

    QString path() const { return m_path; }
    /// The options as chosen. The mapping is that of the format shown: columns for CSV/TSV,
    /// fields for JSON objects; both as set by setOptions() until the first preview tells the format.
    import::ImportOptions options() const;
    void setOptions(const import::ImportOptions &options);
    bool append() const;
    /// The shards the preview predicts for (the workspace's map).
    void setShardMap(const ShardMap &map);
    /// False while the preview says no record would import.
    bool canImport() const;
    /// The key field the dialog proposed on its own (empty when none).
    QString guessedKeyField() const { return m_guessedField; }

    /// True while a preview is scheduled or running (previewReady follows).
    bool isPreviewing() const { return m_previewing || m_delay.isActive(); }
    /// The last preview's records and problems in words.
    int previewRecordCount() const;
    QString previewText() const;

Q_SIGNALS:
    void previewReady();

private:
    /// Which mapping the format calls for.
    enum class Mapping { Unknown, Columns, Fields, None };

    void schedulePreview();
    void runPreview();
    void showPreview(const Preview &preview);
    void showCount();
    void fitColumns();
    void fillMapping(const import::SniffResult &sniff);
    void showRows(const import::SniffResult &sniff);
    void updateKeyField();
    void updateMapping();
    Mapping mapping() const;

    QString m_path;
    QComboBox *m_format = nullptr;
    QComboBox *m_key = nullptr;
    QComboBox *m_keyField = nullptr;
    QLabel *m_keyFieldLabel = nullptr;
    QComboBox *m_encoding = nullptr;
    QGroupBox *m_mappingBox = nullptr;
    QFormLayout *m_mappingForm = nullptr;
    QComboBox *m_keyColumn = nullptr;
    QComboBox *m_dataColumn = nullptr;
    QComboBox *m_hashKeyColumn = nullptr;
    QComboBox *m_dataField = nullptr;
    QComboBox *m_hashKeyField = nullptr;
    QRadioButton *m_replace = nullptr;
    QRadioButton *m_append = nullptr;
    QLabel *m_detected = nullptr;
    QTableWidget *m_preview = nullptr;
    QLabel *m_problems = nullptr;
    class QPushButton *m_import = nullptr;
    ShardMap m_map;
    RecordCount m_count;
    bool m_counted = false;
    import::SniffResult m_last;
    /// The user set where keys come from: no more guessing.
    bool m_keyChosen = false;
    QString m_guessedField;
    QTimer m_delay;
    import::Format m_detectedFormat = import::Format::Auto; ///< of the last preview; Auto before one
    quint64 m_generation = 0;
    bool m_previewing = false;
    int m_previewRecords = 0;
    bool m_updating = false;
};

} // namespace kwb::ui
