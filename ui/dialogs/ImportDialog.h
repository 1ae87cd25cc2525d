#pragma once

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
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kPreviewRecords = 20;
    static constexpr int kPreviewDelayMs = 150;

    /// Preview table columns.
    enum PreviewColumn { KeyColumn, HashKeyColumn, DataColumn, SizeColumn };

    ImportDialog(const QString &path, bool append, QWidget *parent = nullptr);

    QString path() const { return m_path; }
    /// The options as chosen. The mapping is that of the format shown: columns for CSV/TSV,
    /// fields for JSON objects; both as set by setOptions() until the first preview tells the format.
    import::ImportOptions options() const;
    void setOptions(const import::ImportOptions &options);
    bool append() const;

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
    void showPreview(const Result<import::SniffResult> &result);
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
    QTimer m_delay;
    import::Format m_detectedFormat = import::Format::Auto; ///< of the last preview; Auto before one
    quint64 m_generation = 0;
    bool m_previewing = false;
    int m_previewRecords = 0;
    bool m_updating = false;
};

} // namespace kwb::ui
