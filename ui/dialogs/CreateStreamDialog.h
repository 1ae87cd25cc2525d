#pragma once

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace kwb::ui {

/// Asks for a new stream's name and shard count (or on-demand), then shows its creation as it
/// goes ("CREATING, 12 s") until the window reports it ACTIVE or failed. Never blocks: the window
/// polls with a timer. Opened with open(). GUI thread.
class CreateStreamDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CreateStreamDialog(QWidget *parent = nullptr);

    QString streamName() const;
    /// 0 for on-demand.
    int shardCount() const;
    void setValues(const QString &name, int shardCount);

    void setProgress(const QString &status, qint64 elapsedMs);
    void setFailed(const QString &problem);
    QString statusText() const;

Q_SIGNALS:
    void createRequested(const QString &name, int shardCount);

private:
    void validate();

    QLineEdit *m_name = nullptr;
    QSpinBox *m_shards = nullptr;
    QCheckBox *m_onDemand = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_create = nullptr;
    bool m_creating = false;
};

} // namespace kwb::ui
