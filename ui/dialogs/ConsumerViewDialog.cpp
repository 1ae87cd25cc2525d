#include "dialogs/ConsumerViewDialog.h"

#include "models/RecordText.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {
enum BytesView { TextBytes, HexBytes, Base64Bytes };

QPlainTextEdit *monospaceText(QWidget *parent, const QString &name, const QString &text)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setPlainText(text);
    return edit;
}
} // namespace

ConsumerViewDialog::ConsumerViewDialog(const kpl::KinesisRecordFacts &record, const kpl::EventSourceFacts &source,
                                       const QString &origin, QWidget *parent)
    : QDialog(parent)
    , m_record(record)
{
    setObjectName(QStringLiteral("consumerViewDialog"));
    setAttribute(Qt::WA_DeleteOnClose);
    setWindowTitle(tr("What will my consumer see? %1").arg(origin));
    auto *layout = new QVBoxLayout(this);

    m_summary = new QLabel(kpl::consumer::kclSummary(record), this);
    m_summary->setObjectName(QStringLiteral("consumerSummary"));
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("consumerTabs"));

    // The raw record: what Kinesis stores and GetRecords returns.
    auto *raw = new QWidget(m_tabs);
    auto *rawLayout = new QVBoxLayout(raw);
    const QString notSent = QString::fromUtf8(kpl::consumer::kNotSentYet);
    QStringList facts;
    facts << tr("Partition key:      %1").arg(record.partitionKey);
    facts << tr("Explicit hash key:  %1").arg(record.explicitHashKey.isEmpty() ? tr("(none)") : record.explicitHashKey);
    facts << tr("Shard:              %1").arg(record.shardId.isEmpty() ? notSent : record.shardId);
    facts << tr("Sequence number:    %1").arg(record.sequenceNumber.isEmpty() ? notSent : record.sequenceNumber);
    if (record.arrivalMs > 0)
        facts << tr("Arrival (UTC):      %1")
                     .arg(QDateTime::fromMSecsSinceEpoch(record.arrivalMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    facts << tr("Size:               %1 bytes").arg(QLocale().toString(qint64(record.data.size())));
    facts << QString() << kpl::consumer::framing(record.data);
    m_facts = monospaceText(raw, QStringLiteral("consumerRawFacts"), facts.join(QLatin1Char('\n')));
    m_bytesView = new QComboBox(raw);
    m_bytesView->setObjectName(QStringLiteral("consumerBytesView"));
    m_bytesView->addItems({tr("Bytes as text"), tr("Bytes as hex"), tr("Bytes as base64")});
    m_bytes = monospaceText(raw, QStringLiteral("consumerBytes"), QString());
    m_bytes->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    rawLayout->addWidget(m_facts, 1);
    rawLayout->addWidget(m_bytesView);
    rawLayout->addWidget(m_bytes, 1);
    m_tabs->addTab(raw, tr("Kinesis record"));

    m_kcl = monospaceText(m_tabs, QStringLiteral("consumerKcl"), QString::fromUtf8(kpl::consumer::kclRecordsJson(record)));
    m_tabs->addTab(m_kcl, tr("KCL user records"));
    m_lambda = monospaceText(m_tabs, QStringLiteral("consumerLambda"),
                             QString::fromUtf8(kpl::consumer::lambdaEventJson(record, source)));
    m_lambda->setToolTip(tr("Lambda hands the Kinesis record on as it is: a function reading aggregated records needs the "
                            "KPL de-aggregation helpers (aws-kinesis-agg). invokeIdentityArn, the function's role, is "
                            "left out."));
    m_tabs->addTab(m_lambda, tr("Lambda event"));
    layout->addWidget(m_tabs, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy this tab"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("consumerCopy"));
    connect(copy, &QPushButton::clicked, this, [this] {
        const QString text = m_tabs->currentIndex() == KclTab      ? kclText()
                             : m_tabs->currentIndex() == LambdaTab ? lambdaText()
                                                                   : rawText();
        QApplication::clipboard()->setText(text);
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(m_bytesView, &QComboBox::currentIndexChanged, this, &ConsumerViewDialog::updateBytes);
    updateBytes();
    resize(860, 620);
}

QString ConsumerViewDialog::summary() const
{
    return m_summary->text();
}

QString ConsumerViewDialog::rawText() const
{
    return m_facts->toPlainText() + QLatin1Char('\n') + m_bytes->toPlainText();
}

QString ConsumerViewDialog::kclText() const
{
    return m_kcl->toPlainText();
}

QString ConsumerViewDialog::lambdaText() const
{
    return m_lambda->toPlainText();
}

void ConsumerViewDialog::updateBytes()
{
    const QByteArray &bytes = m_record.data;
    const bool large = bytes.size() > kShownBytes;
    const QByteArrayView shown = large ? QByteArrayView(bytes).first(kShownBytes) : QByteArrayView(bytes);
    QString out;
    switch (m_bytesView->currentIndex()) {
    case TextBytes: out = RecordText::preview(shown, kShownBytes); break;
    case HexBytes: out = RecordText::toHex(shown); break;
    case Base64Bytes: out = RecordText::toBase64(shown); break;
    default: break;
    }
    if (large)
        out += tr("\n… (the first %1 of %2 bytes)").arg(QLocale().toString(kShownBytes), QLocale().toString(qint64(bytes.size())));
    m_bytes->setPlainText(out);
}

} // namespace kwb::ui
