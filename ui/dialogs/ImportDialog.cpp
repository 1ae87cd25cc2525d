#include "dialogs/ImportDialog.h"

#include "import/Importer.h"
#include "models/RecordText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace kwb::ui {

using namespace kwb::import;

ImportDialog::ImportDialog(const QString &path, bool append, QWidget *parent)
    : QDialog(parent)
    , m_path(path)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Import %1").arg(QFileInfo(path).fileName()));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("format"));
    const std::pair<Format, QString> formats[] = {
        {Format::Auto, tr("Detect")},
        {Format::JsonLines, tr("JSON Lines (one object per line)")},
        {Format::JsonArray, tr("JSON array of objects")},
        {Format::JsonObject, tr("One JSON object")},
        {Format::AwsCli, tr("AWS CLI put-records input")},
        {Format::Csv, tr("CSV with a header row")},
        {Format::Tsv, tr("TSV with a header row")},
        {Format::Text, tr("Text: one record per line")},
        {Format::RawFile, tr("The whole file as one record")},
    };
    for (const auto &[format, text] : formats)
        m_format->addItem(text, int(format));
    form->addRow(tr("&Format"), m_format);

    m_key = new QComboBox(this);
    m_key->setObjectName(QStringLiteral("keyStrategy"));
    const std::pair<KeyStrategy, QString> keys[] = {
        {KeyStrategy::Auto, tr("From the input (PartitionKey member or partition_key column)")},
        {KeyStrategy::Field, tr("From a JSON field or CSV column")},
        {KeyStrategy::Constant, tr("The same key for every record")},
        {KeyStrategy::Uuid, tr("A random UUID per record (spreads evenly)")},
        {KeyStrategy::RowNumber, tr("The record's number in the file")},
        {KeyStrategy::Random, tr("A random number per record")},
        {KeyStrategy::FileName, tr("The file name")},
    };
    for (const auto &[strategy, text] : keys)
        m_key->addItem(text, int(strategy));
    m_key->setToolTip(tr("Partition keys decide the shard: records with the same key land on the same shard, in order."));
    form->addRow(tr("Partition &keys"), m_key);

    m_keyField = new QComboBox(this);
    m_keyField->setObjectName(QStringLiteral("keyField"));
    m_keyField->setEditable(true);
    m_keyField->setInsertPolicy(QComboBox::NoInsert);
    m_keyFieldLabel = new QLabel(tr("Fi&eld"), this);
    m_keyFieldLabel->setBuddy(m_keyField);
    form->addRow(m_keyFieldLabel, m_keyField);

    m_encoding = new QComboBox(this);
    m_encoding->setObjectName(QStringLiteral("dataEncoding"));
    const std::pair<DataEncoding, QString> encodings[] = {
        {DataEncoding::Auto, tr("Automatic (base64 for AWS CLI files, text otherwise)")},
        {DataEncoding::Text, tr("Text, as written")},
        {DataEncoding::Base64, tr("Base64")},
        {DataEncoding::Hex, tr("Hex")},
    };
    for (const auto &[encoding, text] : encodings)
        m_encoding->addItem(text, int(encoding));
    form->addRow(tr("&Data values"), m_encoding);

    m_replace = new QRadioButton(tr("Replace the rows"), this);
    m_replace->setObjectName(QStringLiteral("replace"));
    m_append = new QRadioButton(tr("Add to the rows"), this);
    m_append->setObjectName(QStringLiteral("append"));
    (append ? m_append : m_replace)->setChecked(true);
    auto *modeRow = new QHBoxLayout;
    modeRow->addWidget(m_replace);
    modeRow->addWidget(m_append);
    modeRow->addStretch(1);
    form->addRow(tr("Rows"), modeRow);
    layout->addLayout(form);

    m_detected = new QLabel(this);
    m_detected->setObjectName(QStringLiteral("detected"));
    m_detected->setWordWrap(true);
    layout->addWidget(m_detected);
    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setColumnCount(3);
    m_preview->setHorizontalHeaderLabels({tr("Partition key"), tr("Data"), tr("Size")});
    m_preview->verticalHeader()->setVisible(false);
    m_preview->horizontalHeader()->setStretchLastSection(false);
    m_preview->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setWordWrap(false);
    layout->addWidget(m_preview, 1);
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_problems);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Import"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_delay.setSingleShot(true);
    m_delay.setInterval(kPreviewDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &ImportDialog::runPreview);
    for (QComboBox *box : {m_format, m_key, m_encoding})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            updateKeyField();
            schedulePreview();
        });
    connect(m_keyField, &QComboBox::currentTextChanged, this, &ImportDialog::schedulePreview);
    updateKeyField();
    resize(720, 520);
    runPreview();
}

import::ImportOptions ImportDialog::options() const
{
    ImportOptions o;
    o.format = Format(m_format->currentData().toInt());
    o.keyStrategy = KeyStrategy(m_key->currentData().toInt());
    o.dataEncoding = DataEncoding(m_encoding->currentData().toInt());
    const QString field = m_keyField->currentText().trimmed();
    if (o.keyStrategy == KeyStrategy::Field)
        o.partitionKeyField = field;
    else if (o.keyStrategy == KeyStrategy::Constant)
        o.constantKey = field;
    return o;
}

void ImportDialog::setOptions(const import::ImportOptions &o)
{
    m_updating = true;
    m_format->setCurrentIndex(std::max(0, m_format->findData(int(o.format))));
    m_key->setCurrentIndex(std::max(0, m_key->findData(int(o.keyStrategy))));
    m_encoding->setCurrentIndex(std::max(0, m_encoding->findData(int(o.dataEncoding))));
    m_keyField->setCurrentText(o.keyStrategy == KeyStrategy::Constant ? o.constantKey : o.partitionKeyField);
    m_updating = false;
    updateKeyField();
    schedulePreview();
}

bool ImportDialog::append() const
{
    return m_append->isChecked();
}

int ImportDialog::previewRecordCount() const
{
    return m_previewRecords;
}

QString ImportDialog::previewText() const
{
    return m_detected->text() + QLatin1Char('\n') + m_problems->text();
}

void ImportDialog::updateKeyField()
{
    const auto strategy = KeyStrategy(m_key->currentData().toInt());
    const bool field = strategy == KeyStrategy::Field;
    const bool constant = strategy == KeyStrategy::Constant;
    m_keyField->setEnabled(field || constant);
    m_keyFieldLabel->setEnabled(field || constant);
    m_keyFieldLabel->setText(constant ? tr("Ke&y") : tr("Fi&eld"));
    m_keyField->setToolTip(field ? tr("A dotted path into JSON objects (\"user.id\") or a CSV column name")
                                 : constant ? tr("The partition key of every record") : QString());
}

void ImportDialog::schedulePreview()
{
    if (!m_updating)
        m_delay.start();
}

void ImportDialog::runPreview()
{
    m_delay.stop();
    const quint64 generation = ++m_generation;
    m_previewing = true;
    const QString path = m_path;
    const ImportOptions options = this->options();
    auto *watcher = new QFutureWatcher<Result<SniffResult>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_previewing = false;
        showPreview(watcher->result());
        Q_EMIT previewReady();
    });
    watcher->setFuture(QtConcurrent::run([path, options] {
        // Checked here too: sniff() wants valid options, and a half-typed field is not yet.
        if (auto valid = Importer::validateOptions(options); !valid.ok())
            return Result<SniffResult>(valid.error());
        return Importer::sniff(path, options, kPreviewRecords, 20);
    }));
}

void ImportDialog::showPreview(const Result<import::SniffResult> &result)
{
    m_preview->setRowCount(0);
    m_previewRecords = 0;
    if (!result.ok()) {
        m_detected->setText(tr("Cannot preview: %1").arg(result.error().message));
        m_problems->clear();
        return;
    }
    const SniffResult &s = result.value();
    QString detected = tr("Format: %1").arg(formatName(s.format));
    if (s.totalBytes >= 0)
        detected += tr(" · %1").arg(formatBytes(s.totalBytes));
    const QStringList names = s.columns.isEmpty() ? s.jsonMembers : s.columns;
    if (!names.isEmpty())
        detected += (s.columns.isEmpty() ? tr(" · members: %1") : tr(" · columns: %1")).arg(names.join(QStringLiteral(", ")));
    m_detected->setText(detected);
    // Offer the members or columns as key fields.
    const QString typed = m_keyField->currentText();
    m_updating = true;
    m_keyField->clear();
    m_keyField->addItems(names);
    m_keyField->setCurrentText(typed);
    m_updating = false;

    const RecordStore &store = s.preview;
    m_previewRecords = store.size();
    m_preview->setRowCount(store.size());
    const QLocale locale;
    for (int row = 0; row < store.size(); ++row) {
        m_preview->setItem(row, 0, new QTableWidgetItem(store.partitionKey(row)));
        m_preview->setItem(row, 1, new QTableWidgetItem(RecordText::preview(store.data(row), 120)));
        auto *size = new QTableWidgetItem(locale.toString(store.recordSize(row)));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_preview->setItem(row, 2, size);
    }
    QStringList problems;
    for (const ImportIssue &issue : s.previewReport.issues) {
        problems << issue.toString();
        if (problems.size() >= 5)
            break;
    }
    m_problems->setText(problems.isEmpty() ? QString()
                                           : tr("Problems in the first records:\n%1").arg(problems.join(QLatin1Char('\n'))));
}

} // namespace kwb::ui
