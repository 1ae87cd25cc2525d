// Presenter mode on the real main window at 1280×720: the zoom reaches the fonts of every view
// (the table's fixed-width cells and the chart included) and is kept between runs; at 150 %
// nothing is clipped (every visible label, button and combo gets at least its minimum size: a
// label that elides on purpose says so with a smaller minimum; wrapped labels their height; dock
// titles fit, no dock scrolls sideways); the chart labels every shard; and the same key brings
// the normal layout back exactly (dock state, fonts, palette, pointer).
#include "MainWindow.h"
#include "RecordStore.h"
#include "TestSupport.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/PresenterMode.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "views/FilterBar.h"
#include "views/JourneyPanel.h"
#include "views/RecordsView.h"
#include "views/ShardChartWidget.h"
#include "views/ShardMapPanel.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QStyle>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace kwb;
using namespace kwb::ui;

namespace {

MainWindowServices services(SecretStore *secrets)
{
    MainWindowServices s;
    s.secrets = secrets;
    s.environment = aws::Environment::fromMap({}, QString());
    return s;
}

/// Widgets a user can see: shown, inside the window, not behind a dock tab.
bool onShow(QWidget *w)
{
    return w->isVisible() && !w->visibleRegion().isEmpty() && w->width() > 0 && w->height() > 0;
}

QStringList clipped(QWidget *window)
{
    QStringList problems;
    const auto name = [](QWidget *w) {
        return QStringLiteral("%1 '%2'").arg(QString::fromLatin1(w->metaObject()->className()),
                                              w->objectName().isEmpty() ? w->parentWidget()->objectName() : w->objectName());
    };
    for (QLabel *label : window->findChildren<QLabel *>()) {
        if (!onShow(label) || label->text().isEmpty())
            continue;
        if (label->wordWrap()) {
            if (label->heightForWidth(label->width()) > label->height() + 1)
                problems << QStringLiteral("%1 \"%2\": needs %3 px of height, has %4")
                                .arg(name(label), label->text().left(40))
                                .arg(label->heightForWidth(label->width()))
                                .arg(label->height());
        } else if (label->minimumSizeHint().width() > label->width() + 1 || label->minimumSizeHint().height() > label->height() + 1) {
            problems << QStringLiteral("%1 \"%2\": needs %3×%4, has %5×%6")
                            .arg(name(label), label->text().left(40))
                            .arg(label->minimumSizeHint().width())
                            .arg(label->minimumSizeHint().height())
                            .arg(label->width())
                            .arg(label->height());
        }
    }
    for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
        if (!onShow(button) || button->text().isEmpty())
            continue;
        if (button->minimumSizeHint().width() > button->width() + 1 || button->minimumSizeHint().height() > button->height() + 1)
            problems << QStringLiteral("%1 \"%2\": needs %3×%4, has %5×%6")
                            .arg(name(button), button->text())
                            .arg(button->minimumSizeHint().width())
                            .arg(button->minimumSizeHint().height())
                            .arg(button->width())
                            .arg(button->height());
    }
    for (QComboBox *combo : window->findChildren<QComboBox *>()) {
        if (!onShow(combo))
            continue;
        if (combo->sizeHint().height() > combo->height() + 1 || combo->minimumSizeHint().width() > combo->width() + 1)
            problems << QStringLiteral("%1: wants %2×%3, has %4×%5")
                            .arg(name(combo))
                            .arg(combo->minimumSizeHint().width())
                            .arg(combo->sizeHint().height())
                            .arg(combo->width())
                            .arg(combo->height());
    }
    for (QDockWidget *dock : window->findChildren<QDockWidget *>()) {
        if (!onShow(dock))
            continue;
        // The title and the float and close buttons on one line.
        const int buttons = 2 * (dock->style()->pixelMetric(QStyle::PM_DockWidgetTitleBarButtonMargin, nullptr, dock)
                                 + dock->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, dock) + 4);
        const int need = dock->fontMetrics().horizontalAdvance(dock->windowTitle()) + buttons + 8;
        if (need > dock->width())
            problems << QStringLiteral("dock title \"%1\" needs %2 px, has %3").arg(dock->windowTitle()).arg(need).arg(dock->width());
    }
    for (QScrollArea *scroll : window->findChildren<QScrollArea *>()) {
        if (onShow(scroll) && scroll->horizontalScrollBar()->isVisible())
            problems << QStringLiteral("%1 scrolls sideways").arg(name(scroll));
    }
    return problems;
}

} // namespace

class TstPresenterMode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void zoomChangesTheFontsOfEveryView();
    void nothingIsClippedAt1280x720At150_data();
    void nothingIsClippedAt1280x720At150();
    void theSameKeyRestoresTheLayout();
    void theShortcutListHasTheNewKeys();

private:
    QTemporaryDir m_dir;
};

void TstPresenterMode::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_presentermode"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
}

void TstPresenterMode::init()
{
    QSettings().clear();
}

void TstPresenterMode::zoomChangesTheFontsOfEveryView()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.loadSample();
    QTRY_VERIFY(w.workspace()->rowCount() > 0);
    QVERIFY(w.recordsView()->selectStoreRow(0));

    // Every widget's font before, and the table's fixed-width cells.
    QHash<QWidget *, double> before;
    const QList<QWidget *> widgets = w.findChildren<QWidget *>();
    for (QWidget *widget : widgets)
        before.insert(widget, widget->font().pointSizeF());
    const double cellsBefore = w.recordsModel()->fixedFont().pointSizeF();
    const int rowBefore = w.recordsView()->verticalHeader()->defaultSectionSize();

    QAction *toggle = w.findChild<QAction *>(QStringLiteral("presenterMode"));
    QVERIFY(toggle);
    QCOMPARE(toggle->shortcut(), QKeySequence(Qt::Key_F11));
    QTest::keyClick(&w, Qt::Key_F11);
    PresenterMode *presenter = w.presenter();
    QVERIFY(presenter->isActive());
    QCOMPARE(presenter->zoom(), 150);
    const auto checkScale = [&](double factor) {
        int checked = 0;
        for (QWidget *widget : widgets) {
            // What is on show (a hidden widget takes its font when it is shown).
            if (!before.contains(widget) || before.value(widget) <= 0 || !widget->isVisible())
                continue;
            const double ratio = widget->font().pointSizeF() / before.value(widget);
            if (std::abs(ratio - factor) > 0.02)
                return QStringLiteral("%1 %2: %3 pt, was %4")
                    .arg(QString::fromLatin1(widget->metaObject()->className()), widget->objectName())
                    .arg(widget->font().pointSizeF())
                    .arg(before.value(widget));
            ++checked;
        }
        if (checked < 40)
            return QStringLiteral("only %1 widgets checked").arg(checked);
        if (std::abs(w.recordsModel()->fixedFont().pointSizeF() / cellsBefore - factor) > 0.02)
            return QStringLiteral("the table's fixed-width cells stayed at %1 pt").arg(w.recordsModel()->fixedFont().pointSizeF());
        return QString();
    };
    QString problem = checkScale(1.5);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(w.recordsView()->verticalHeader()->defaultSectionSize() > rowBefore);
    QVERIFY(w.shardPanel()->chart()->isPresenting());

    // Ctrl+= and Ctrl+- by steps of 10 %, kept between runs.
    QTest::keyClick(&w, Qt::Key_Equal, Qt::ControlModifier);
    QCOMPARE(presenter->zoom(), 160);
    problem = checkScale(1.6);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(QSettings().value(QStringLiteral("presenter/zoom")).toInt(), 160);
    QTest::keyClick(&w, Qt::Key_Minus, Qt::ControlModifier);
    QTest::keyClick(&w, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(presenter->zoom(), 140);
    problem = checkScale(1.4);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    {
        MainWindow again(services(&secrets));
        QCOMPARE(again.presenter()->zoom(), 140);
        QVERIFY(!again.presenter()->isActive());
    }

    // Back: every font as it was.
    QTest::keyClick(&w, Qt::Key_F11);
    QVERIFY(!presenter->isActive());
    problem = checkScale(1.0);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(w.recordsView()->verticalHeader()->defaultSectionSize(), rowBefore);
    QVERIFY(!w.shardPanel()->chart()->isPresenting());
    // The zoom keys do nothing outside presenter mode.
    QVERIFY(!w.findChild<QAction *>(QStringLiteral("presenterZoomIn"))->isEnabled());
}

void TstPresenterMode::nothingIsClippedAt1280x720At150_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("1280x720") << QSize(1280, 720);
    QTest::newRow("1920x1080") << QSize(1920, 1080);
}

void TstPresenterMode::nothingIsClippedAt1280x720At150()
{
    QFETCH(QSize, size);
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.resize(size);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.loadSample();
    QTRY_VERIFY(w.workspace()->rowCount() > 0);
    QVERIFY(w.recordsView()->selectStoreRow(3));
    w.presenter()->setActive(true);
    QCOMPARE(w.presenter()->zoom(), 150);
    w.journey()->showAllSteps();
    QCOMPARE(w.size(), size);
    // The calm layout: the table, the journey and the shard map.
    QTRY_VERIFY(onShow(w.journey()));
    QVERIFY(onShow(w.shardPanel()));
    QVERIFY(onShow(w.recordsView()));
    QVERIFY(!w.findChild<QDockWidget *>(QStringLiteral("logDock"))->isVisible());
    QVERIFY(!w.findChild<QDockWidget *>(QStringLiteral("editorDock"))->isVisible());
    QVERIFY(!w.filterBar()->isVisible()); // calm: the table, not its filters
    QStringList problems;
    QTRY_VERIFY2((problems = clipped(&w)).isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TstPresenterMode::theSameKeyRestoresTheLayout()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.resize(1280, 720);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.action(QStringLiteral("showLogDock"))->trigger(); // a layout of the user's own
    const QByteArray state = w.saveState();
    QHash<QString, bool> visible;
    QHash<QString, QRect> geometry;
    for (QDockWidget *dock : w.findChildren<QDockWidget *>()) {
        visible.insert(dock->objectName(), dock->isVisible());
        geometry.insert(dock->objectName(), dock->geometry());
    }
    const QPalette palette = QApplication::palette();
    const QFont font = QApplication::font();
    const Qt::CursorShape shape = w.cursor().shape();

    QTest::keyClick(&w, Qt::Key_F11);
    QVERIFY(w.presenter()->isActive());
    QVERIFY(w.testAttribute(Qt::WA_SetCursor));
    QVERIFY(w.cursor().pixmap().width() >= 48);
    QVERIFY(QApplication::palette().color(QPalette::Highlight) != palette.color(QPalette::Highlight));
    QVERIFY(w.saveState() != state);

    QTest::keyClick(&w, Qt::Key_F11);
    QVERIFY(!w.presenter()->isActive());
    QTRY_COMPARE(w.saveState(), state);
    for (QDockWidget *dock : w.findChildren<QDockWidget *>()) {
        QCOMPARE(dock->isVisible(), visible.value(dock->objectName()));
        if (onShow(dock))
            QTRY_COMPARE(dock->geometry(), geometry.value(dock->objectName()));
    }
    QCOMPARE(QApplication::palette(), palette);
    QCOMPARE(QApplication::font(), font);
    QCOMPARE(w.cursor().shape(), shape);
    QVERIFY(w.cursor().pixmap().isNull());

    // Closing in presenter mode saves the normal layout.
    QTest::keyClick(&w, Qt::Key_F11);
    QVERIFY(w.close());
    QVERIFY(!w.presenter()->isActive());
}

void TstPresenterMode::theShortcutListHasTheNewKeys()
{
    MemorySecretStore secrets;
    MainWindow w(services(&secrets));
    w.show();
    w.action(QStringLiteral("shortcuts"))->trigger();
    auto *table = w.findChild<QTableWidget *>(QStringLiteral("shortcuts"));
    QVERIFY(table);
    QHash<QString, QString> keys;
    for (int row = 0; row < table->rowCount(); ++row)
        keys.insert(table->item(row, 0)->text(), table->item(row, 1)->text());
    QCOMPARE(keys.value(QStringLiteral("Presenter mode")), QStringLiteral("F11"));
    QVERIFY2(keys.value(QStringLiteral("Zoom in")).startsWith(QStringLiteral("Ctrl+=")), qPrintable(keys.value(QStringLiteral("Zoom in"))));
    QCOMPARE(keys.value(QStringLiteral("Zoom out")), QStringLiteral("Ctrl+-"));
    QCOMPARE(keys.value(QStringLiteral("Reset zoom")), QStringLiteral("Ctrl+0"));
    QCOMPARE(keys.value(QStringLiteral("Journey")), QStringLiteral("Ctrl+J"));
    QCOMPARE(keys.value(QStringLiteral("Journey: next step")), QStringLiteral("Alt+Right"));
    QCOMPARE(keys.value(QStringLiteral("Journey: previous step")), QStringLiteral("Alt+Left"));
    QCOMPARE(keys.value(QStringLiteral("Journey: show all steps")), QStringLiteral("Alt+End"));
    // No key twice.
    QSet<QString> seen;
    for (const QString &key : std::as_const(keys)) {
        for (const QString &one : key.split(QStringLiteral(", "))) {
            QVERIFY2(!seen.contains(one), qPrintable(one));
            seen.insert(one);
        }
    }
}

QTEST_MAIN(TstPresenterMode)
#include "tst_presentermode.moc"
