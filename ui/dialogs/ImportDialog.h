#pragma once

#include "import/ImportOptions.h"
#include "import/SniffResult.h"

#include <QDialog>
#include <QTimer>

class QComboBox;
class QLabel;
class QRadioButton;
class QTableWidget;

namespace kwb::ui {

/// Asks how to read a file before importing it: format (detected by default), where partition
/// keys come from (the input's own, a JSON field or CSV column, a constant, UUIDs, row numbers,
/// random numbers, the file name), how data values are encoded, and whether to replace the rows
/// or add to them. The first records are previewed as the options would import them, with their
/// problems; the preview (Importer::sniff, which reads only the first blocks) runs in the thread
/// pool after a short pause, and a newer one wins (generation token). Opened with open(); read
/// options() after accepted(). GUI thread.
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    static constexpr int kPreviewRecords = 20;
    static constexpr int kPreviewDelayMs = 150;

    ImportDialog(const QString &path, bool append, QWidget *parent = nullptr);

    QString path() const { return m_path; }
    import::ImportOptions options() const;
    void setOptions(const import::ImportOptions &options);
    bool append() const;

    bool isPreviewing() const { return m_previewing; }
    /// The last preview's records and problems in words.
    int previewRecordCount() const;
    QString previewText() const;

Q_SIGNALS:
    void previewReady();

private:
    void schedulePreview();
    void runPreview();
    void showPreview(const Result<import::SniffResult> &result);
    void updateKeyField();

    QString m_path;
    QComboBox *m_format = nullptr;
    QComboBox *m_key = nullptr;
    QComboBox *m_keyField = nullptr;
    QLabel *m_keyFieldLabel = nullptr;
    QComboBox *m_encoding = nullptr;
    QRadioButton *m_replace = nullptr;
    QRadioButton *m_append = nullptr;
    QLabel *m_detected = nullptr;
    QTableWidget *m_preview = nullptr;
    QLabel *m_problems = nullptr;
    QTimer m_delay;
    quint64 m_generation = 0;
    bool m_previewing = false;
    int m_previewRecords = 0;
    bool m_updating = false;
};

} // namespace kwb::ui
