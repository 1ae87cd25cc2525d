#pragma once

#include "kpl/ConsumerView.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTabWidget;

namespace kwb::ui {

/// "What will my consumer see?": one Kinesis record the way its consumers get it, in three tabs:
/// the raw record (keys, sequence number, its KPL framing if any, the bytes as text, hex or
/// base64), the records the KCL hands a record processor (the user records of an aggregated
/// record), and the Lambda event a function mapped to the stream receives. The texts come from
/// core (kpl::consumer). Non-modal, deletes itself when closed. GUI thread.
class ConsumerViewDialog : public QDialog
{
    Q_OBJECT
public:
    enum Tab { RawTab, KclTab, LambdaTab };
    /// Bytes shown as hex or base64 at most (the rest is said, not shown).
    static constexpr int kShownBytes = 64 * 1024;

    ConsumerViewDialog(const kpl::KinesisRecordFacts &record, const kpl::EventSourceFacts &source,
                       const QString &origin, QWidget *parent = nullptr);

    QTabWidget *tabs() const { return m_tabs; }
    QString summary() const;
    QString rawText() const;
    QString kclText() const;
    QString lambdaText() const;

private:
    void updateBytes();

    kpl::KinesisRecordFacts m_record;
    QLabel *m_summary = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_facts = nullptr;
    QComboBox *m_bytesView = nullptr;
    QPlainTextEdit *m_bytes = nullptr;
    QPlainTextEdit *m_kcl = nullptr;
    QPlainTextEdit *m_lambda = nullptr;
};

} // namespace kwb::ui
