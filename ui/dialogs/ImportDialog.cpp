#include "dialogs/ImportDialog.h"

#include "HashKey.h"
#include "import/Importer.h"
#include "models/RecordText.h"
#include "models/RowCells.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QStyle>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <map>

namespace kwb::ui {

using namespace kwb::import;

namespace {

/// What a column combo box item stands for: a header column (its name is the item's data), the
/// usual names, or no column.
enum class Choice { Column, UsualNames, None };
constexpr int kChoiceRole = Qt::UserRole + 1;

void addChoice(QComboBox *box, const QString &text, Choice choice, const QString &toolTip)
{
    box->addItem(text);
    box->setItemData(box->count() - 1, int(choice), kChoiceRole);
    box->setItemData(box->count() - 1, toolTip, Qt::ToolTipRole);
}

Choice choiceOf(const QComboBox *box)
{
    const QVariant choice = box->currentData(kChoiceRole);
    return choice.isValid() ? Choice(choice.toInt()) : Choice::Column;
}

/// The chosen column's name; empty for the usual names and none.
QString columnOf(const QComboBox *box)
{
    return choiceOf(box) == Choice::Column ? box->currentData().toString() : QString();
}

/// Selects column `name`, adding it when the header lacks it (the preview then says so), or
/// `otherwise` when the name is empty.
void selectColumn(QComboBox *box, const QString &name, Choice otherwise)
{
    int index = name.isEmpty() ? box->findData(int(otherwise), kChoiceRole) : box->findData(name);
    if (index < 0 && !name.isEmpty()) {
        box->addItem(name, name);
        index = box->count() - 1;
    }
    box->setCurrentIndex(std::max(0, index));
}

/// Refills a column combo box: its special choices, then the header; the choice is kept.
void fillColumns(QComboBox *box, const QStringList &header)
{
    const Choice choice = choiceOf(box);
    const QString column = columnOf(box);
    while (box->count() > 0 && box->itemData(box->count() - 1, kChoiceRole).isNull())
        box->removeItem(box->count() - 1);
    for (const QString &name : header)
        box->addItem(name, name);
    selectColumn(box, column, choice);
}

/// An editable field combo box's path; empty when it shows its first item ("(whole object)",
/// "(none)").
QString fieldOf(const QComboBox *box)
{
    const QString text = box->currentText().trimmed();
    return text == box->itemText(0) ? QString() : text;
}

void setField(QComboBox *box, const QString &path)
{
    box->setCurrentText(path.isEmpty() ? box->itemText(0) : path);
}

/// Refills an editable field combo box: its first item, then the paths; the text is kept.
void fillFields(QComboBox *box, const QStringList &paths)
{
    const QString path = fieldOf(box);
    const QString first = box->itemText(0);
    box->clear();
    box->addItem(first);
    box->addItems(paths);
    setField(box, path);
}

/// How id-like a field path is: 0 "id", 1 "order_id", "orderId", "uuid", "key"...; -1 not at all.
int idLikeness(const QString &path)
{
    const QString name = path.section(QLatin1Char('.'), -1);
    const QString lower = name.toLower();
    if (lower == QLatin1String("id"))
        return 0;
    for (const char *suffix : {"_id", "-id", "uuid", "guid", "partitionkey", "partition_key", "_key", "key"})
        if (lower.endsWith(QLatin1String(suffix)))
            return 1;
    if (name.endsWith(QLatin1String("Id")) || name.endsWith(QLatin1String("ID")))
        return 1;
    return -1;
}

QComboBox *fieldBox(QWidget *parent, const QString &objectName, const QString &first)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(objectName);
    box->setEditable(true);
    box->setInsertPolicy(QComboBox::NoInsert);
    box->addItem(first);
    return box;
}

} // namespace

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
        {Format::KplRecords, tr("Kinesis records (get-records output, base64 lines or raw), KPL aggregated ones unpacked")},
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
    m_encoding->setToolTip(tr("How the data values in the file become each record's bytes"));
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

    // Which columns or fields hold the key, the data and the explicit hash key; shown once the
    // format is known.
    m_mappingBox = new QGroupBox(tr("Mapping"), this);
    m_mappingBox->setObjectName(QStringLiteral("mapping"));
    m_mappingForm = new QFormLayout(m_mappingBox);
    const QString keyHelp = tr("The partition key decides the shard: Kinesis hashes it, and records with the same key "
                               "land on the same shard, in order.");
    const QString hashKeyHelp = tr("An explicit hash key picks the shard directly: a number from 0 to 2^128-1 that is "
                                   "used instead of the partition key's hash (the key is still sent). Without one, the "
                                   "partition key decides.");
    m_keyColumn = new QComboBox(m_mappingBox);
    m_keyColumn->setObjectName(QStringLiteral("keyColumn"));
    addChoice(m_keyColumn, tr("(usual names)"), Choice::UsualNames, tr("A column named partition_key or PartitionKey"));
    m_keyColumn->setToolTip(tr("The column that holds each record's partition key, when keys come from the input. %1")
                                .arg(keyHelp));
    m_mappingForm->addRow(tr("Partition key col&umn"), m_keyColumn);
    m_dataColumn = new QComboBox(m_mappingBox);
    m_dataColumn->setObjectName(QStringLiteral("dataColumn"));
    addChoice(m_dataColumn, tr("(usual names)"), Choice::UsualNames, tr("A column named data or Data"));
    m_dataColumn->setToolTip(tr("The column that holds each record's data: the bytes the record carries, read as the "
                                "data values setting says"));
    m_mappingForm->addRow(tr("D&ata column"), m_dataColumn);
    m_hashKeyColumn = new QComboBox(m_mappingBox);
    m_hashKeyColumn->setObjectName(QStringLiteral("hashKeyColumn"));
    addChoice(m_hashKeyColumn, tr("(usual names)"), Choice::UsualNames,
              tr("A column named explicit_hash_key or ExplicitHashKey, if there is one; an empty cell means none"));
    addChoice(m_hashKeyColumn, tr("(none)"), Choice::None, tr("No explicit hash keys: the partition keys decide"));
    m_hashKeyColumn->setToolTip(tr("The column that holds explicit hash keys. %1").arg(hashKeyHelp));
    m_mappingForm->addRow(tr("E&xplicit hash key column"), m_hashKeyColumn);
    m_dataField = fieldBox(m_mappingBox, QStringLiteral("dataField"), tr("(whole object)"));
    m_dataField->setToolTip(tr("The field whose value is each record's data: a dotted path such as payload or "
                               "event.body. A string's text is the data (read as the data values setting says); any "
                               "other value is sent as its JSON. (whole object) sends each object as it is in the file."));
    m_mappingForm->addRow(tr("D&ata field"), m_dataField);
    m_hashKeyField = fieldBox(m_mappingBox, QStringLiteral("hashKeyField"), tr("(none)"));
    m_hashKeyField->setToolTip(tr("The field that holds each record's explicit hash key, as a number or a string of "
                                  "digits; null means none. %1")
                                   .arg(hashKeyHelp));
    m_mappingForm->addRow(tr("E&xplicit hash key field"), m_hashKeyField);
    layout->addWidget(m_mappingBox);

    m_detected = new QLabel(this);
    m_detected->setObjectName(QStringLiteral("detected"));
    m_detected->setWordWrap(true);
    layout->addWidget(m_detected);
    m_preview = new QTableWidget(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setColumnCount(5);
    m_preview->setHorizontalHeaderLabels({tr("Partition key"), tr("Explicit hash key"), tr("Data"), tr("Size"), tr("Shard")});
    m_preview->horizontalHeaderItem(KeyColumn)->setToolTip(keyHelp);
    m_preview->horizontalHeaderItem(HashKeyColumn)->setToolTip(hashKeyHelp);
    m_preview->horizontalHeaderItem(ShardColumn)->setToolTip(
        tr("The shard each record would land on in the current stream (or the virtual one), numbered from 0 as in its id"));
    // The shard next to the key it comes from.
    m_preview->horizontalHeader()->moveSection(ShardColumn, HashKeyColumn + 1);
    m_preview->verticalHeader()->setVisible(false);
    // One line a row, as in the records table: the preview shows as many rows as it can.
    m_preview->verticalHeader()->setMinimumSectionSize(1);
    m_preview->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_preview->horizontalHeader()->setStretchLastSection(false);
    m_preview->horizontalHeader()->setSectionResizeMode(DataColumn, QHeaderView::Stretch);
    m_preview->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_preview->setWordWrap(false);
    layout->addWidget(m_preview, 1);
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("problems"));
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_problems);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_import = buttons->button(QDialogButtonBox::Ok);
    m_import->setText(tr("Import"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    m_delay.setSingleShot(true);
    m_delay.setInterval(kPreviewDelayMs);
    connect(&m_delay, &QTimer::timeout, this, &ImportDialog::runPreview);
    for (QComboBox *box : {m_format, m_key, m_encoding})
        connect(box, &QComboBox::currentIndexChanged, this, [this] {
            updateKeyField();
            updateMapping();
            schedulePreview();
        });
    for (QComboBox *box : {m_keyColumn, m_dataColumn, m_hashKeyColumn})
        connect(box, &QComboBox::currentIndexChanged, this, &ImportDialog::schedulePreview);
    // Once the user picks where keys come from, the dialog stops proposing.
    connect(m_key, &QComboBox::activated, this, [this] { m_keyChosen = true; });
    connect(m_keyField, &QComboBox::activated, this, [this] { m_keyChosen = true; });
    connect(m_keyField->lineEdit(), &QLineEdit::textEdited, this, [this] { m_keyChosen = true; });
    for (QComboBox *box : {m_keyField, m_dataField, m_hashKeyField})
        connect(box, &QComboBox::currentTextChanged, this, &ImportDialog::schedulePreview);
    updateKeyField();
    updateMapping();
    resize(820, 600);
    runPreview();

    // How many records: counted once, in the thread pool.
    auto *counter = new QFutureWatcher<RecordCount>(this);
    connect(counter, &QFutureWatcherBase::finished, this, [this, counter] {
        counter->deleteLater();
        m_count = counter->result();
        m_counted = true;
        showCount();
    });
    counter->setFuture(QtConcurrent::run([path] {
        QFile file(path);
        // The first lines tell the average length when the file is too large to count.
        QStringList first;
        if (file.open(QIODevice::ReadOnly)) {
            for (int i = 0; i < 50 && !file.atEnd(); ++i)
                first << QString::fromUtf8(file.readLine(64 * 1024));
        }
        return countLines(path, first, file.size());
    }));
}

ImportDialog::RecordCount ImportDialog::countLines(const QString &path, const QStringList &firstLines, qint64 totalBytes)
{
    RecordCount count;
    if (totalBytes > kCountLimitBytes) {
        qint64 bytes = 0;
        for (const QString &line : firstLines)
            bytes += line.toUtf8().size();
        if (firstLines.isEmpty() || bytes == 0)
            return count;
        count.lines = qint64(double(totalBytes) * double(firstLines.size()) / double(bytes));
        count.estimated = true;
        return count;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return count;
    qint64 lines = 0;
    bool blank = true; // the current line holds nothing but white space so far
    QByteArray block;
    while (!(block = file.read(1024 * 1024)).isEmpty()) {
        for (const char c : std::as_const(block)) {
            if (c == '\n') {
                lines += blank ? 0 : 1;
                blank = true;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                blank = false;
            }
        }
    }
    count.lines = lines + (blank ? 0 : 1);
    return count;
}

QString ImportDialog::guessKeyField(const QString &path, const import::ImportOptions &options, const import::SniffResult &sniff)
{
    std::vector<std::pair<std::pair<int, int>, QString>> candidates;
    for (const QString &field : sniff.jsonFields) {
        const int likeness = idLikeness(field);
        if (likeness >= 0)
            candidates.push_back({{likeness, int(field.count(QLatin1Char('.')))}, field});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    if (candidates.size() > 8)
        candidates.resize(8);
    for (const auto &candidate : candidates) {
        ImportOptions tried = options;
        tried.keyStrategy = KeyStrategy::Field;
        tried.partitionKeyField = candidate.second;
        const Result<SniffResult> r = Importer::sniff(path, tried, kPreviewRecords, 20);
        // Present (and usable as a key) in every previewed object.
        if (r.ok() && r.value().preview.size() > 0 && r.value().preview.size() == r.value().previewReport.recordsRead)
            return candidate.second;
    }
    return {};
}

void ImportDialog::setShardMap(const ShardMap &map)
{
    m_map = map;
    schedulePreview();
}

bool ImportDialog::canImport() const
{
    return m_import->isEnabled();
}

void ImportDialog::showCount()
{
    if (!m_counted || m_count.lines < 0 || m_detected->text().isEmpty())
        return;
    const SniffResult &s = m_last;
    const QLocale locale;
    qint64 records = -1;
    bool about = m_count.estimated;
    if (!s.previewReport.limitReached && !s.previewReport.stopped && s.previewReport.recordsRead > 0) {
        records = s.previewReport.recordsRead; // all of them were read
        about = false;
    } else if (s.format == Format::JsonLines || s.format == Format::Text) {
        records = m_count.lines;
    } else if (s.format == Format::Csv || s.format == Format::Tsv) {
        records = std::max<qint64>(0, m_count.lines - 1); // the header
        about = true; // a quoted value may span lines
    } else if (s.format == Format::JsonArray && s.previewReport.recordsRead > 0 && s.totalBytes > 0) {
        qint64 bytes = 0;
        for (int r = 0; r < s.preview.size(); ++r)
            bytes += s.preview.data(r).size();
        if (bytes > 0 && s.preview.size() > 0) {
            records = qint64(double(s.totalBytes) * double(s.preview.size()) / double(bytes));
            about = true;
        }
    }
    if (records < 0)
        return;
    const QString count = about ? tr("about %1 records").arg(locale.toString(records))
                                : (records == 1 ? tr("1 record") : tr("%1 records").arg(locale.toString(records)));
    m_detected->setText(m_detected->text() + tr(" · %1").arg(count));
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
    const Mapping shown = mapping();
    if (shown == Mapping::Columns || shown == Mapping::Unknown) {
        if (o.keyStrategy == KeyStrategy::Auto)
            o.columns.partitionKey = columnOf(m_keyColumn);
        o.columns.data = columnOf(m_dataColumn);
        o.columns.explicitHashKey = columnOf(m_hashKeyColumn);
        o.columns.noExplicitHashKey = choiceOf(m_hashKeyColumn) == Choice::None;
    }
    if (shown == Mapping::Fields || shown == Mapping::Unknown) {
        o.dataField = fieldOf(m_dataField);
        o.explicitHashKeyField = fieldOf(m_hashKeyField);
    }
    return o;
}

void ImportDialog::setOptions(const import::ImportOptions &o)
{
    // A preview of the earlier options (and its guess) must not come back over these.
    ++m_generation;
    m_updating = true;
    m_format->setCurrentIndex(std::max(0, m_format->findData(int(o.format))));
    m_key->setCurrentIndex(std::max(0, m_key->findData(int(o.keyStrategy))));
    m_encoding->setCurrentIndex(std::max(0, m_encoding->findData(int(o.dataEncoding))));
    m_keyField->setCurrentText(o.keyStrategy == KeyStrategy::Constant ? o.constantKey : o.partitionKeyField);
    // The data and explicit hash key fields name CSV columns too (ImportOptions::columnMapping).
    const ColumnMapping columns = o.columnMapping();
    selectColumn(m_keyColumn, columns.partitionKey, Choice::UsualNames);
    selectColumn(m_dataColumn, columns.data, Choice::UsualNames);
    selectColumn(m_hashKeyColumn, columns.explicitHashKey,
                 columns.noExplicitHashKey ? Choice::None : Choice::UsualNames);
    setField(m_dataField, o.dataField);
    setField(m_hashKeyField, o.explicitHashKeyField);
    m_updating = false;
    updateKeyField();
    updateMapping();
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

ImportDialog::Mapping ImportDialog::mapping() const
{
    auto format = Format(m_format->currentData().toInt());
    if (format == Format::Auto)
        format = m_detectedFormat;
    switch (format) {
    case Format::Auto:
        return Mapping::Unknown;
    case Format::Csv:
    case Format::Tsv:
        return Mapping::Columns;
    case Format::JsonLines:
    case Format::JsonArray:
    case Format::JsonObject:
        return Mapping::Fields;
    case Format::AwsCli:
    case Format::Text:
    case Format::RawFile:
    case Format::KplRecords:
        break;
    }
    return Mapping::None;
}

void ImportDialog::updateMapping()
{
    const Mapping shown = mapping();
    const bool columns = shown == Mapping::Columns;
    const bool fields = shown == Mapping::Fields;
    m_mappingBox->setVisible(columns || fields);
    for (QWidget *box : {static_cast<QWidget *>(m_keyColumn), static_cast<QWidget *>(m_dataColumn),
                         static_cast<QWidget *>(m_hashKeyColumn)})
        m_mappingForm->setRowVisible(box, columns);
    m_mappingForm->setRowVisible(m_dataField, fields);
    m_mappingForm->setRowVisible(m_hashKeyField, fields);
    // With another key strategy the keys do not come from a column.
    m_keyColumn->setEnabled(KeyStrategy(m_key->currentData().toInt()) == KeyStrategy::Auto);
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
    const bool mayGuess = !m_keyChosen;
    auto *watcher = new QFutureWatcher<Preview>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_generation)
            return;
        m_previewing = false;
        showPreview(watcher->result());
        Q_EMIT previewReady();
    });
    watcher->setFuture(QtConcurrent::run([path, options, mayGuess] {
        Preview out;
        // Checked here too: sniff() wants valid options, and a half-typed field is not yet.
        if (auto valid = Importer::validateOptions(options); !valid.ok()) {
            out.sniff = valid.error();
            return out;
        }
        out.sniff = Importer::sniff(path, options, kPreviewRecords, 20);
        // Objects without keys, read with the defaults (or with the last import's field, which
        // these objects lack), would all fail: propose a key field.
        const bool keysFromInput = (options.keyStrategy == KeyStrategy::Auto && options.partitionKeyField.isEmpty())
            || options.keyStrategy == KeyStrategy::Field;
        if (mayGuess && out.sniff.ok() && keysFromInput) {
            const SniffResult &s = out.sniff.value();
            if (s.previewReport.jsonShape == JsonShape::Objects && s.preview.size() == 0 && s.previewReport.recordsRead > 0) {
                out.guessedKeyField = guessKeyField(path, options, s);
                if (!out.guessedKeyField.isEmpty()) {
                    ImportOptions guessed = options;
                    guessed.keyStrategy = KeyStrategy::Field;
                    guessed.partitionKeyField = out.guessedKeyField;
                    out.sniff = Importer::sniff(path, guessed, kPreviewRecords, 20);
                }
            }
        }
        return out;
    }));
}

void ImportDialog::showPreview(const Preview &preview)
{
    const Result<import::SniffResult> &result = preview.sniff;
    m_preview->clearSpans();
    m_preview->setRowCount(0);
    m_previewRecords = 0;
    if (!result.ok()) {
        m_detected->setText(tr("Cannot preview: %1").arg(result.error().message));
        m_problems->clear();
        m_import->setEnabled(false);
        m_import->setToolTip(tr("Nothing to import as the options are: %1").arg(result.error().message));
        return;
    }
    if (!preview.guessedKeyField.isEmpty() && !m_keyChosen) {
        // Shown as the user would have set it, without a new preview (this one used it).
        m_updating = true;
        m_key->setCurrentIndex(m_key->findData(int(KeyStrategy::Field)));
        m_keyField->setCurrentText(preview.guessedKeyField);
        m_updating = false;
        updateKeyField();
        m_guessedField = preview.guessedKeyField;
    }
    const SniffResult &s = result.value();
    m_last = s;
    m_detectedFormat = s.format;
    QString detected = tr("Format: %1").arg(formatName(s.format));
    if (s.totalBytes >= 0)
        detected += tr(" · %1").arg(formatBytes(s.totalBytes));
    const QStringList names = s.columns.isEmpty() ? s.jsonMembers : s.columns;
    if (!names.isEmpty())
        detected += (s.columns.isEmpty() ? tr(" · members: %1") : tr(" · columns: %1")).arg(names.join(QStringLiteral(", ")));
    if (s.format == Format::Csv || s.format == Format::Tsv) {
        auto column = [&s](int index) { return index >= 0 && index < s.columns.size() ? s.columns[index] : QString(); };
        if (s.partitionKeyColumn >= 0)
            detected += tr(" · key from %1").arg(column(s.partitionKeyColumn));
        if (s.dataColumn >= 0)
            detected += tr(" · data from %1").arg(column(s.dataColumn));
        if (s.explicitHashKeyColumn >= 0)
            detected += tr(" · explicit hash key from %1").arg(column(s.explicitHashKeyColumn));
    } else if (s.previewReport.jsonShape == JsonShape::Records) {
        detected += tr(" · read as Kinesis records");
    } else if (s.previewReport.jsonShape == JsonShape::Objects) {
        detected += tr(" · read as whole objects");
    }
    m_detected->setText(detected);
    fillMapping(s);
    updateMapping();
    showRows(s);

    QStringList problems;
    for (const ImportIssue &issue : s.previewReport.issues) {
        problems << issue.toString();
        if (problems.size() >= 5)
            break;
    }
    QString said = problems.isEmpty() ? QString()
                                      : tr("Problems in the first records:\n%1").arg(problems.join(QLatin1Char('\n')));
    // An import that would fail every row is not offered.
    const bool noneImports = s.preview.size() == 0 && s.previewReport.recordsRead > 0;
    m_import->setEnabled(!noneImports);
    m_import->setToolTip(noneImports ? tr("None of the first records would import; change the options first") : QString());
    if (noneImports) {
        const bool objects = s.previewReport.jsonShape == JsonShape::Objects;
        said = (objects ? tr("None of the first %1 records would import: they have no PartitionKey member. Choose where "
                             "the partition keys come from (Partition keys: a field, the same key, or a UUID per record).")
                        : tr("None of the first %1 records would import. Change the options above."))
                   .arg(QLocale().toString(s.previewReport.recordsRead))
            + QLatin1Char('\n') + said;
    } else if (!m_guessedField.isEmpty() && m_guessedField == m_keyField->currentText()
               && KeyStrategy(m_key->currentData().toInt()) == KeyStrategy::Field) {
        said = tr("The records have no PartitionKey member: their field %1 (in every record previewed) is proposed as the "
                  "key, and each whole object is the data.")
                   .arg(m_guessedField)
            + (said.isEmpty() ? QString() : QLatin1Char('\n') + said);
    }
    m_problems->setText(said);
    showCount();
}

void ImportDialog::fitColumns()
{
    // Few rows: measured. Every header whole; no column but the data wider than 32 characters.
    QHeaderView *header = m_preview->horizontalHeader();
    const int limit = fontMetrics().horizontalAdvance(QLatin1Char('0')) * 32;
    const int margins = 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) + 12;
    for (int c : {int(KeyColumn), int(HashKeyColumn), int(SizeColumn), int(ShardColumn)}) {
        const int title = header->fontMetrics().horizontalAdvance(m_preview->horizontalHeaderItem(c)->text()) + margins;
        int cells = 0;
        for (int row = 0; row < m_preview->rowCount(); ++row)
            if (const QTableWidgetItem *item = m_preview->item(row, c); item && m_preview->columnSpan(row, c) == 1)
                cells = std::max(cells, m_preview->fontMetrics().horizontalAdvance(item->text()) + margins);
        header->resizeSection(c, std::max(title, std::min(cells, limit)));
    }
}

void ImportDialog::fillMapping(const import::SniffResult &s)
{
    // Offer the columns, or the JSON members (nested ones as dotted paths), as fields.
    const QStringList fields = !s.columns.isEmpty() ? s.columns : !s.jsonFields.isEmpty() ? s.jsonFields : s.jsonMembers;
    m_updating = true;
    const QString typed = m_keyField->currentText();
    m_keyField->clear();
    m_keyField->addItems(fields);
    m_keyField->setCurrentText(typed);
    if (!s.columns.isEmpty()) {
        for (QComboBox *box : {m_keyColumn, m_dataColumn, m_hashKeyColumn})
            fillColumns(box, s.columns);
    } else if (!fields.isEmpty()) {
        fillFields(m_dataField, fields);
        fillFields(m_hashKeyField, fields);
    }
    m_updating = false;
}

void ImportDialog::showRows(const import::SniffResult &s)
{
    // Every record read, in the file's order: the imported ones as they would be, the bad ones
    // with their problem.
    const RecordStore &store = s.preview;
    std::map<qint64, const ImportIssue *> bad;
    for (const ImportIssue &issue : s.previewReport.issues)
        if (issue.record > 0)
            bad.emplace(issue.record, &issue);
    const int rows = int(std::min<qint64>(s.previewReport.recordsRead, store.size() + qint64(bad.size())));
    m_previewRecords = store.size();
    m_preview->setRowCount(rows);
    const QLocale locale;
    const QIcon problemIcon = style()->standardIcon(QStyle::SP_MessageBoxWarning);
    int next = 0;
    for (int row = 0; row < rows; ++row) {
        if (const auto it = bad.find(row + 1); it != bad.end()) {
            const ImportIssue &issue = *it->second;
            const QString text = issue.column > 0
                ? tr("Not imported: line %1, column %2: %3").arg(issue.line).arg(issue.column).arg(issue.message)
                : tr("Not imported: line %1: %2").arg(issue.line).arg(issue.message);
            auto *item = new QTableWidgetItem(problemIcon, text);
            item->setToolTip(text);
            m_preview->setItem(row, KeyColumn, item);
            m_preview->setSpan(row, KeyColumn, 1, m_preview->columnCount());
            continue;
        }
        if (next >= store.size())
            break;
        const int record = next++;
        m_preview->setItem(row, KeyColumn, new QTableWidgetItem(store.partitionKey(record)));
        m_preview->setItem(row, HashKeyColumn,
                           new QTableWidgetItem(store.hasExplicitHashKey(record)
                                                    ? hashKeyToString(store.explicitHashKey(record))
                                                    : QString()));
        m_preview->setItem(row, DataColumn, new QTableWidgetItem(RecordText::preview(store.data(record), 120)));
        auto *size = new QTableWidgetItem(locale.toString(store.recordSize(record)));
        size->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_preview->setItem(row, SizeColumn, size);
        if (!m_map.isEmpty()) {
            const QString id = m_map.openShard(m_map.openIndexFor(store.hashKey(record))).shardId;
            auto *shard = new QTableWidgetItem(RowCells::shardNumber(id));
            shard->setToolTip(id);
            shard->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_preview->setItem(row, ShardColumn, shard);
        }
    }
    fitColumns();
}

} // namespace kwb::ui
