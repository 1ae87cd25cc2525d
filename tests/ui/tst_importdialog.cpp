// The import dialog: previews the first records as the options would import them (in the
// thread pool), offers JSON members and CSV columns as key fields, and hands the options over.
#include "dialogs/ImportDialog.h"

#include <QComboBox>
#include <QFile>
#include <QRadioButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

class TstImportDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void plainObjectsNeedAKeyField();
    void csvColumnsAreOffered();
};

void TstImportDialog::plainObjectsNeedAKeyField()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("events.jsonl")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"user\":{\"id\":\"u-1\"},\"n\":1}\n{\"user\":{\"id\":\"u-2\"},\"n\":2}\n");
    file.close();
    ImportDialog dialog(file.fileName(), false);
    QTRY_VERIFY(!dialog.isPreviewing());
    QCOMPARE(dialog.previewRecordCount(), 0);
    QVERIFY2(dialog.previewText().contains(QStringLiteral("partition key")), qPrintable(dialog.previewText()));
    QVERIFY(dialog.previewText().contains(QStringLiteral("jsonl")));
    auto *keys = dialog.findChild<QComboBox *>(QStringLiteral("keyStrategy"));
    auto *field = dialog.findChild<QComboBox *>(QStringLiteral("keyField"));
    QVERIFY(!field->isEnabled());
    keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
    QVERIFY(field->isEnabled());
    QVERIFY(field->findText(QStringLiteral("user")) >= 0); // members of the first object
    field->setCurrentText(QStringLiteral("user.id"));
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 2);
    auto *preview = dialog.findChild<QTableWidget *>(QStringLiteral("preview"));
    QCOMPARE(preview->item(1, 0)->text(), QStringLiteral("u-2"));
    const import::ImportOptions options = dialog.options();
    QCOMPARE(options.keyStrategy, import::KeyStrategy::Field);
    QCOMPARE(options.partitionKeyField, QStringLiteral("user.id"));
    QVERIFY(!dialog.append());
    dialog.findChild<QRadioButton *>(QStringLiteral("append"))->setChecked(true);
    QVERIFY(dialog.append());
}

void TstImportDialog::csvColumnsAreOffered()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("rows.csv")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("customer,data\nc1,hello\nc2,world\n");
    file.close();
    ImportDialog dialog(file.fileName(), true);
    QTRY_VERIFY(!dialog.isPreviewing());
    QVERIFY(dialog.previewText().contains(QStringLiteral("columns: customer, data")));
    import::ImportOptions options;
    options.keyStrategy = import::KeyStrategy::Field;
    options.partitionKeyField = QStringLiteral("customer");
    dialog.setOptions(options);
    QTRY_VERIFY(!dialog.isPreviewing() && dialog.previewRecordCount() == 2);
    QVERIFY(dialog.append());
    QCOMPARE(dialog.findChild<QTableWidget *>(QStringLiteral("preview"))->item(0, 1)->text(), QStringLiteral("hello"));
}

QTEST_MAIN(TstImportDialog)
#include "tst_importdialog.moc"
