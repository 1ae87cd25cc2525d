// The import dialog: previews the first records as the options would import them (in the
// thread pool), offers JSON members and CSV columns as key fields and in the mapping (data and
// explicit hash key columns or fields), shows each record's key, explicit hash key and data or
// its problem, and hands the options over; importing with them gives the previewed records.
#include "dialogs/ImportDialog.h"

#include "ImportTestSupport.h"
#include "RecordStore.h"
#include "import/Importer.h"

#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QRadioButton>
#include <QSignalSpy>
#include <QStringEncoder>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

namespace {

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        return {};
    return file.fileName();
}

/// The preview table as "key|explicit hash key|data|size" rows, or the problem text of a row
/// that would not be imported.
QStringList previewRows(const QTableWidget *table)
{
    QStringList rows;
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->columnSpan(row, ImportDialog::KeyColumn) > 1) {
            rows << table->item(row, ImportDialog::KeyColumn)->text();
            continue;
        }
        QStringList cells;
        for (int column = 0; column <= ImportDialog::SizeColumn; ++column)
            cells << (table->item(row, column) ? table->item(row, column)->text() : QStringLiteral("(no item)"));
        rows << cells.join(QLatin1Char('|'));
    }
    return rows;
}

/// Selects the item with `text` in a combo box, as a user would; false when there is none.
bool choose(QComboBox *box, const QString &text)
{
    const int index = box->findText(text);
    if (index < 0)
        return false;
    box->setCurrentIndex(index);
    return true;
}

} // namespace

class TstImportDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainObjectsNeedAKeyField();
    void csvColumnsAreOffered();
    void jsonFieldMapping();
    void csvColumnMapping();
    void setOptionsCarriesTheMapping();
    void previewRowsAreOneLineEach();
    void wideTextIsNamed();
};

void TstImportDialog::plainObjectsNeedAKeyField()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("events.jsonl"),
                                   "{\"user\":{\"id\":\"u-1\"},\"n\":1}\n{\"user\":{\"id\":\"u-2\"},\"n\":2}\n");
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    QTRY_VERIFY(!dialog.isPreviewing());
    // Without PartitionKey members the defaults would fail every record: the dialog proposes
    // the id-like field that every object has (before, it previewed 0 records here).
    QCOMPARE(dialog.previewRecordCount(), 2);
    QCOMPARE(dialog.guessedKeyField(), QStringLiteral("user.id"));
    QVERIFY2(dialog.previewText().contains(QStringLiteral("no PartitionKey member")), qPrintable(dialog.previewText()));
    QVERIFY(dialog.previewText().contains(QStringLiteral("jsonl")));
    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    auto *field = dialog.findChild<QComboBox *>(QStringLiteral("keyField"));
    QVERIFY(field->isEnabled());
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
    QVERIFY(field->isEnabled());
    QVERIFY(field->findText(QStringLiteral("user")) >= 0);    // members of the first object
    QVERIFY(field->findText(QStringLiteral("user.id")) >= 0); // and nested ones as paths
    field->setCurrentText(QStringLiteral("user.id"));
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 2);
    auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(preview->item(1, ImportDialog::KeyColumn)->text(), QStringLiteral("u-2"));
    const import::ImportOptions options = dialog.options();
    QCOMPARE(options.keyStrategy, import::KeyStrategy::Field);
    QCOMPARE(options.partitionKeyField, QStringLiteral("user.id"));
    QCOMPARE(options.dataField, QString()); // "(whole object)"
    QVERIFY(!dialog.append());
    dialog.findChild<QRadioButton *>(QStringLiteral("append"))->setChecked(true);
    QVERIFY(dialog.append());
}

void TstImportDialog::csvColumnsAreOffered()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("rows.csv"), "customer,data\nc1,hello\nc2,world\n");
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, true);
    QTRY_VERIFY(!dialog.isPreviewing());
    QVERIFY(dialog.previewText().contains(QStringLiteral("columns: customer, data")));
    import::ImportOptions options;
    options.keyStrategy = import::KeyStrategy::Field;
    options.partitionKeyField = QStringLiteral("customer");
    dialog.setOptions(options);
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 2);
    QVERIFY(dialog.append());
    QCOMPARE(dialog.findChild<QTableWidget *>(QStringLiteral("preview"))->item(0, ImportDialog::DataColumn)->text(),
             QStringLiteral("hello"));
    // With a key strategy other than "from the input", the key column is not used.
    QVERIFY(!dialog.findChild<QComboBox *>(QStringLiteral("keyColumn"))->isEnabled());
}

void TstImportDialog::jsonFieldMapping()
{
    // Line 4: {"id":"u-4","event":{"body":"x","route": puts the value of "route" at column 41.
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("events.jsonl"),
                                   R"({"id":"u-1","event":{"body":"hello","route":"5"},"n":1})" "\n"
                                   R"({"id":"u-2","event":{"body":{"a":1},"route":7},"n":2})" "\n"
                                   R"({"id":"u-3","event":{"route":"9"},"n":3})" "\n"
                                   R"({"id":"u-4","event":{"body":"x","route":"-1"},"n":4})" "\n");
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    QSignalSpy ready(&dialog, &ImportDialog::previewReady);
    QVERIFY(ready.wait());
    QTRY_VERIFY(!dialog.isPreviewing());

    // The mapping shows the JSON fields, filled from the first object, and no CSV columns.
    auto *dataField = dialog.findChild<QComboBox *>(QStringLiteral("dataField"));
    auto *hashKeyField = dialog.findChild<QComboBox *>(QStringLiteral("hashKeyField"));
    QVERIFY(dialog.findChild<QGroupBox *>(QStringLiteral("mapping"))->isVisibleTo(&dialog));
    QVERIFY(dataField->isVisibleTo(&dialog));
    QVERIFY(hashKeyField->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QComboBox *>(QStringLiteral("dataColumn"))->isVisibleTo(&dialog));
    const QStringList paths{QStringLiteral("id"), QStringLiteral("event"), QStringLiteral("event.body"),
                            QStringLiteral("event.route"), QStringLiteral("n")};
    for (const QString &path : paths) {
        QVERIFY2(dataField->findText(path) >= 0, qPrintable(path));
        QVERIFY2(hashKeyField->findText(path) >= 0, qPrintable(path));
    }
    QVERIFY(hashKeyField->toolTip().contains(QStringLiteral("2^128-1")));

    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
    QVERIFY(choose(dialog.findChild<QComboBox *>(QStringLiteral("keyField")), QStringLiteral("id")));
    QVERIFY(choose(dataField, QStringLiteral("event.body")));
    QVERIFY(choose(hashKeyField, QStringLiteral("event.route")));
    ready.clear();
    QTRY_VERIFY(!dialog.isPreviewing());
    QVERIFY(ready.count() >= 1);

    // Each record as it would be imported (size: key + data bytes), or why it would not be.
    const auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(previewRows(preview),
             (QStringList{QStringLiteral("u-1|5|hello|8"), QStringLiteral("u-2|7|{\"a\":1}|10"),
                          QStringLiteral("Not imported: line 3, column 1: the data field \"event.body\" is missing in "
                                         "this object; check the field path, or clear the data field to make each "
                                         "whole object the data"),
                          QStringLiteral("Not imported: line 4, column 41: the explicit hash key field \"event.route\" is "
                                         "not valid: hash key has a sign '-' at column 1; only the digits 0-9 are "
                                         "allowed (no sign, no spaces)")}));
    QCOMPARE(dialog.previewRecordCount(), 2);

    const import::ImportOptions options = dialog.options();
    QCOMPARE(options.keyStrategy, import::KeyStrategy::Field);
    QCOMPARE(options.partitionKeyField, QStringLiteral("id"));
    QCOMPARE(options.dataField, QStringLiteral("event.body"));
    QCOMPARE(options.explicitHashKeyField, QStringLiteral("event.route"));
    QVERIFY(options.columns.isEmpty());

    // Importing with these options gives what the preview showed.
    import::Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY(result.ok());
    QCOMPARE(test::dump(store), (QStringList{QStringLiteral("u-1|hello|5"), QStringLiteral("u-2|{\"a\":1}|7")}));
    QCOMPARE(result.value().skipped, qint64(2));
    QCOMPARE(result.value().issues.at(0).line, qint64(3));
    QCOMPARE(result.value().issues.at(1).line, qint64(4));
    QCOMPARE(result.value().issues.at(1).column, qint64(41));

    // A path typed by hand, and back to the whole object.
    hashKeyField->setCurrentText(QStringLiteral("(none)"));
    dataField->setCurrentText(QStringLiteral("n"));
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(previewRows(preview), (QStringList{QStringLiteral("u-1||1|4"), QStringLiteral("u-2||2|4"),
                                                QStringLiteral("u-3||3|4"), QStringLiteral("u-4||4|4")}));
    QCOMPARE(dialog.options().explicitHashKeyField, QString());
    QVERIFY(choose(dataField, QStringLiteral("(whole object)")));
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(dialog.options().dataField, QString());
    QCOMPARE(preview->item(0, ImportDialog::DataColumn)->text(),
             QStringLiteral(R"({"id":"u-1","event":{"body":"hello","route":"5"},"n":1})"));
}

void TstImportDialog::csvColumnMapping()
{
    // Line 4: "c3,x," puts the route value at column 6.
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("rows.csv"),
                                   "customer,body,route,explicit_hash_key\n"
                                   "c1,hello,11,99\n"
                                   "c2,world,,98\n"
                                   "c3,x,abc,\n");
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    QSignalSpy ready(&dialog, &ImportDialog::previewReady);
    QVERIFY(ready.wait());
    QTRY_VERIFY(!dialog.isPreviewing());
    // No column has the usual data name yet: nothing to import, and the problem says why.
    QCOMPARE(dialog.previewRecordCount(), 0);
    QVERIFY2(dialog.previewText().contains(QStringLiteral("no data column")), qPrintable(dialog.previewText()));

    auto *keyColumn = dialog.findChild<QComboBox *>(QStringLiteral("keyColumn"));
    auto *dataColumn = dialog.findChild<QComboBox *>(QStringLiteral("dataColumn"));
    auto *hashKeyColumn = dialog.findChild<QComboBox *>(QStringLiteral("hashKeyColumn"));
    QVERIFY(dataColumn->isVisibleTo(&dialog));
    QVERIFY(!dialog.findChild<QComboBox *>(QStringLiteral("dataField"))->isVisibleTo(&dialog));
    const QStringList header{QStringLiteral("customer"), QStringLiteral("body"), QStringLiteral("route"),
                             QStringLiteral("explicit_hash_key")};
    QCOMPARE(keyColumn->count(), 1 + header.size());
    QCOMPARE(dataColumn->count(), 1 + header.size());
    QCOMPARE(hashKeyColumn->count(), 2 + header.size());
    for (const QString &name : header)
        QVERIFY2(hashKeyColumn->findText(name) >= 0, qPrintable(name));
    QVERIFY(keyColumn->isEnabled());
    QVERIFY(keyColumn->toolTip().contains(QStringLiteral("shard")));

    QVERIFY(choose(keyColumn, QStringLiteral("customer")));
    QVERIFY(choose(dataColumn, QStringLiteral("body")));
    QVERIFY(choose(hashKeyColumn, QStringLiteral("route")));
    ready.clear();
    QTRY_VERIFY(!dialog.isPreviewing());
    QVERIFY(ready.count() >= 1);
    const auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(previewRows(preview),
             (QStringList{QStringLiteral("c1|11|hello|7"), QStringLiteral("c2||world|7"),
                          QStringLiteral("Not imported: line 4, column 6: column \"route\" is not valid: hash key has "
                                         "'a' at column 1; only the digits 0-9 are allowed (no sign, no spaces)")}));
    import::ImportOptions options = dialog.options();
    QCOMPARE(options.keyStrategy, import::KeyStrategy::Auto);
    QCOMPARE(options.columns.partitionKey, QStringLiteral("customer"));
    QCOMPARE(options.columns.data, QStringLiteral("body"));
    QCOMPARE(options.columns.explicitHashKey, QStringLiteral("route"));
    QVERIFY(!options.columns.noExplicitHashKey);
    QCOMPARE(options.dataField, QString());

    // "(none)" ignores every explicit hash key column, the usual name included.
    QVERIFY(choose(hashKeyColumn, QStringLiteral("(none)")));
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(previewRows(preview), (QStringList{QStringLiteral("c1||hello|7"), QStringLiteral("c2||world|7"),
                                                QStringLiteral("c3||x|3")}));
    QVERIFY(dialog.options().columns.noExplicitHashKey);
    QCOMPARE(dialog.options().columns.explicitHashKey, QString());

    // "(usual names)" finds explicit_hash_key; an empty cell there means none.
    QVERIFY(choose(hashKeyColumn, QStringLiteral("(usual names)")));
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(previewRows(preview), (QStringList{QStringLiteral("c1|99|hello|7"), QStringLiteral("c2|98|world|7"),
                                                QStringLiteral("c3||x|3")}));
    QVERIFY(dialog.previewText().contains(QStringLiteral("explicit hash key from explicit_hash_key")));
    options = dialog.options();
    QCOMPARE(options.columns.explicitHashKey, QString());
    QVERIFY(!options.columns.noExplicitHashKey);

    import::Importer importer;
    RecordStore store;
    auto result = importer.importFile(path, store, options);
    QVERIFY(result.ok());
    QCOMPARE(test::dump(store), (QStringList{QStringLiteral("c1|hello|99"), QStringLiteral("c2|world|98"),
                                             QStringLiteral("c3|x")}));
    QVERIFY(result.value().issues.empty());
}

void TstImportDialog::setOptionsCarriesTheMapping()
{
    QTemporaryDir dir;
    const QString path = writeFile(dir, QStringLiteral("events.jsonl"),
                                   R"({"k":"a","payload":"one","h":"3"})" "\n" R"({"k":"b","payload":"two","h":4})" "\n");
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    import::ImportOptions wanted;
    wanted.partitionKeyField = QStringLiteral("k");
    wanted.keyStrategy = import::KeyStrategy::Field;
    wanted.dataField = QStringLiteral("payload");
    wanted.explicitHashKeyField = QStringLiteral("h");
    dialog.setOptions(wanted);
    // Before the format is known, both mappings are as given.
    QCOMPARE(dialog.options().dataField, QStringLiteral("payload"));
    QCOMPARE(dialog.options().explicitHashKeyField, QStringLiteral("h"));
    QTRY_VERIFY(!dialog.isPreviewing());
    const import::ImportOptions options = dialog.options();
    QCOMPARE(options.dataField, QStringLiteral("payload"));
    QCOMPARE(options.explicitHashKeyField, QStringLiteral("h"));
    QVERIFY(options.columns.isEmpty()); // JSON: no CSV columns
    QCOMPARE(dialog.findChild<QComboBox *>(QStringLiteral("dataField"))->currentText(), QStringLiteral("payload"));
    QCOMPARE(previewRows(dialog.findChild<QTableWidget *>(QStringLiteral("preview"))),
             (QStringList{QStringLiteral("a|3|one|4"), QStringLiteral("b|4|two|4")}));
}

void TstImportDialog::previewRowsAreOneLineEach()
{
    // The preview's rows are one text line each, as in the records table, so the dialog at its
    // opening size shows most of the 20 preview records (it showed 6 with rows twice as tall).
    QTemporaryDir dir;
    QByteArray lines;
    for (int i = 0; i < 30; ++i)
        lines += "{\"userId\":\"user-" + QByteArray::number(i) + "\",\"n\":" + QByteArray::number(i) + "}\n";
    const QString path = writeFile(dir, QStringLiteral("users.jsonl"), lines);
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QTRY_VERIFY(!dialog.isPreviewing());
    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
    dialog.findChild<QComboBox *>(QStringLiteral("keyField"))->setCurrentText(QStringLiteral("userId"));
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == ImportDialog::kPreviewRecords);
    auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QVERIFY(preview->rowCount() >= 12);
    const int line = preview->fontMetrics().height();
    for (int row = 0; row < preview->rowCount(); ++row)
        QVERIFY2(preview->rowHeight(row) <= line + 8, qPrintable(QString::number(preview->rowHeight(row))));
    const int lastShown = preview->rowAt(preview->viewport()->height() - 1);
    const int shown = lastShown < 0 ? preview->rowCount() : lastShown + 1;
    QVERIFY2(shown >= 10, qPrintable(QStringLiteral("%1 rows shown").arg(shown)));
}

void TstImportDialog::wideTextIsNamed()
{
    // A UTF-16BE .json file (Qt's encoder writes it, no byte-order mark): the preview says what
    // it is and how to convert it, instead of showing one binary record.
    QTemporaryDir dir;
    QStringEncoder encoder(QStringEncoder::Utf16BE);
    const QByteArray wide = encoder(QStringLiteral("{\"PartitionKey\":\"a\",\"Data\":\"x\"}\n"));
    const QString path = writeFile(dir, QStringLiteral("wide.json"), wide);
    QVERIFY(!path.isEmpty());
    ImportDialog dialog(path, false);
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(dialog.previewRecordCount(), 0);
    QVERIFY2(dialog.previewText().contains(QStringLiteral("UTF-16BE")), qPrintable(dialog.previewText()));
    QVERIFY2(dialog.previewText().contains(QStringLiteral("iconv -f UTF-16BE -t UTF-8")), qPrintable(dialog.previewText()));
}

QTEST_MAIN(TstImportDialog)
#include "tst_importdialog.moc"
