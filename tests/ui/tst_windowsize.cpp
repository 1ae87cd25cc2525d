// The main window fits a 1366×768 laptop screen (with a panel and a title bar: 1280×720 for the
// window) in every state a user meets on the first day: the sample loaded on the built-in
// sandbox's demo stream, after a send that was throttled (counters, failed rows, the editor
// showing a throttled row's outcome and attempts), with each of the right docks' tabs raised, and
// after retrying (the row's sequence number in the editor).
// Both the window's minimumSizeHint() and its layout's minimum size are checked, at one device
// pixel per pixel (QT_SCALE_FACTOR unset).
#include "MainWindow.h"
#include "TestSupport.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/ConnectionBar.h"
#include "views/FilterBar.h"
#include "views/RecordEditorPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLayout>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace kwb;
using namespace kwb::ui;

namespace {

/// 1366×768 less a desktop panel and a title bar.
constexpr QSize kMaxMinimum(1280, 720);
constexpr int kSendTimeoutMs = 30000;

QString sizeText(QSize s)
{
    return QStringLiteral("%1×%2").arg(s.width()).arg(s.height());
}

/// What takes the room, for the message when the window does not fit.
QString parts(MainWindow &w)
{
    QStringList list;
    const auto add = [&](const QString &name, QWidget *widget) {
        if (widget && widget->isVisibleTo(&w))
            list << QStringLiteral("%1 %2").arg(name, sizeText(widget->minimumSizeHint().expandedTo(widget->minimumSize())));
    };
    add(QStringLiteral("menu bar"), w.menuBar());
    add(QStringLiteral("connection bar"), w.connectionBar());
    add(QStringLiteral("filter bar"), w.filterBar());
    add(QStringLiteral("send bar"), w.sendBar());
    add(QStringLiteral("status bar"), w.statusBar());
    for (const char *name : {"editorDock", "shardDock", "sandboxDock", "logDock"})
        add(QLatin1String(name), w.findChild<QDockWidget *>(QLatin1String(name)));
    return list.join(QStringLiteral(", "));
}

} // namespace

class TstWindowSize : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void fitsALaptopScreen();

private:
    /// Checks the window's minimum size now (`step` names the state); what does not fit is
    /// added to m_problems, so one run measures every step.
    void checkFits(MainWindow &w, const char *step);

    QStringList m_problems;

    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    QUrl m_url;
};

void TstWindowSize::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_windowsize"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    m_sandbox = std::make_unique<sandbox::SandboxServer>(options);
    auto url = m_sandbox->start(0);
    KWB_VERIFY_OK(url);
    m_url = url.value();
    qInfo("font %s, %d px; the screen %s at %.2f device pixels per pixel", qPrintable(QApplication::font().family()),
          QFontMetrics(QApplication::font()).height(), qPrintable(sizeText(QApplication::primaryScreen()->size())),
          qApp->devicePixelRatio());
}

void TstWindowSize::checkFits(MainWindow &w, const char *step)
{
    // Labels and lists changed just now: their layouts update on posted requests.
    for (int i = 0; i < 4; ++i)
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QSize hint = w.minimumSizeHint();
    const QSize layout = w.layout()->minimumSize();
    qInfo("%s: minimumSizeHint %s, layout minimum %s", step, qPrintable(sizeText(hint)), qPrintable(sizeText(layout)));
    const QString why = QStringLiteral("%1: minimumSizeHint %2, layout minimum %3 (%4)")
                            .arg(QLatin1String(step), sizeText(hint), sizeText(layout), parts(w));
    if (hint.expandedTo(layout).expandedTo(kMaxMinimum) != kMaxMinimum)
        m_problems << why;
}

void TstWindowSize::fitsALaptopScreen()
{
    MemorySecretStore secrets;
    MainWindowServices services;
    services.secrets = &secrets;
    services.environment = aws::Environment::fromMap({}, QString());
    services.restoreSession = false;
    MainWindow w(services);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    checkFits(w, "empty");

    // What main() does: the built-in sandbox with its demo stream, and its dock.
    w.setSandbox(m_url);
    w.setSandboxServer(m_sandbox.get());
    auto *shardDock = w.findChild<QDockWidget *>(QStringLiteral("shardDock"));
    auto *sandboxDock = w.findChild<QDockWidget *>(QStringLiteral("sandboxDock"));
    QVERIFY(shardDock && sandboxDock);
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QTRY_VERIFY(w.workspace()->streamName() == QLatin1String("demo") && w.workspace()->hasStreamMap());
    w.loadSample();
    QTRY_VERIFY(w.workspace()->rowCount() == 50 && !w.importer()->isRunning());
    w.recordsView()->selectStoreRow(2);
    QTRY_COMPARE(w.recordsView()->currentStoreRow(), 2);
    checkFits(w, "sample on the demo stream");

    // A shard clicked on the map: the table shows its rows, all of them selected.
    w.filterBar()->showShard(w.workspace()->shardMap().openShard(0).shardId, RowFilter::ShardSource::Predicted);
    QTRY_VERIFY(!w.recordsModel()->isOrdering() && w.recordsModel()->rowCount() < 50);
    w.recordsView()->selectAll();
    checkFits(w, "one shard's rows selected");
    w.filterBar()->setFilter(RowFilter());
    QTRY_VERIFY(!w.recordsModel()->isOrdering() && w.recordsModel()->rowCount() == 50);

    // Ten records/s per shard: most of the sample comes back throttled, retries give up (with
    // flow control off and 3 attempts; by default the send would pace and finish every row).
    m_sandbox->setLimitScale(0.01);
    send::SendOptions unpaced = w.sendBar()->options();
    unpaced.flowControl = false;
    unpaced.maxAttempts = 3;
    w.sendBar()->setOptions(unpaced);
    w.recordsView()->clearSelection();
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().attempted > 0, kSendTimeoutMs);
    QVERIFY(w.sender()->counters().throttled > 0);
    QTRY_VERIFY(w.sender()->failedRows() > 0);
    QVERIFY(!w.sendBar()->countersText().isEmpty());
    checkFits(w, "after a throttled send");

    int throttledRow = -1;
    for (int r = 0; r < w.workspace()->rowCount() && throttledRow < 0; ++r)
        if (w.workspace()->results().status(r) == send::RowStatus::Failed
            && w.workspace()->results().errorCode(r) == QLatin1String("ProvisionedThroughputExceededException"))
            throttledRow = r;
    QVERIFY(throttledRow >= 0);
    QVERIFY(w.recordsView()->selectStoreRow(throttledRow));
    auto *attempts = w.editor()->findChild<QTreeWidget *>(QStringLiteral("attemptsList"));
    QVERIFY(attempts);
    QTRY_VERIFY(attempts->isVisibleTo(&w) && attempts->topLevelItemCount() >= 2);
    checkFits(w, "a throttled row in the editor");

    shardDock->raise();
    QTRY_VERIFY(!shardDock->visibleRegion().isEmpty());
    checkFits(w, "shard map raised");
    sandboxDock->raise();
    QTRY_VERIFY(!sandboxDock->visibleRegion().isEmpty());
    checkFits(w, "sandbox raised");

    // The limits back to AWS's, Retry failed: the row's outcome now has a long sequence number.
    m_sandbox->setLimitScale(1);
    w.action(QStringLiteral("retryFailed"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->failedRows() == 0, kSendTimeoutMs);
    QTRY_VERIFY(attempts->topLevelItemCount() >= 4);
    checkFits(w, "the row retried, with its sequence number");
    QVERIFY2(m_problems.isEmpty(), qPrintable(QStringLiteral("the window does not fit %1:\n%2")
                                                  .arg(sizeText(kMaxMinimum), m_problems.join(QLatin1Char('\n')))));
}

int main(int argc, char *argv[])
{
    // Before QApplication: sizes in device pixels, whatever the environment asks.
    qunsetenv("QT_SCALE_FACTOR");
    qunsetenv("QT_SCREEN_SCALE_FACTORS");
    QApplication app(argc, argv);
    TstWindowSize test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowsize.moc"
