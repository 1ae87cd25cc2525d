// Renders the screenshots of the README, the user guide and the AppStream metainfo: the real
// main window on the built-in sandbox, driven through the states a new user goes through, one
// PNG per state. Not a unit test: docs/screenshots/render.sh runs it under Xvfb (xcb) to
// refresh docs/screenshots/, and the CTest test render_screenshots runs it offscreen into a
// temporary folder, then checks the files with --verify.
//
//   render_screenshots [--port N] OUTPUT_DIR    render the five PNGs into OUTPUT_DIR
//   render_screenshots --verify DIR             check them: size, not blank, all different
//
// Settings and caches go to a temporary folder (never the user's), keys to memory. The sandbox
// follows a clock of its own that moves a quarter of a second per request (and when this program
// lets "a moment" pass), so its one-second throttling windows hold the same records on every
// run. The style, palette, font and locale are fixed. Two runs give the same pictures, but for
// the times of day in the request log and the record editor.
#include "MainWindow.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/LiveStreamController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/PresenterMode.h"
#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "dialogs/ImportDialog.h"
#include "models/LiveRecordsModel.h"
#include "models/RecordColumn.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/JourneyPanel.h"
#include "views/LiveStreamPanel.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardBarWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QItemSelectionModel>
#include <QPainter>
#include <QScrollArea>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStyle>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "views/GeneratePanel.h"
#include "dialogs/ConsumerViewDialog.h"
#include "kpl/Aggregator.h"
#include "net/KinesisClient.h"

#include <QComboBox>
#include <QPushButton>

#include <QScrollBar>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <initializer_list>

using namespace kwb;
using namespace kwb::ui;

namespace {

/// Every picture's size: a window on a 1366×768 laptop screen (tst_windowsize checks that the
/// window's minimum size fits 1280×720 in these states).
constexpr QSize kWindowSize(1280, 760);
constexpr int kWaitMs = 30000;
/// The sandbox time each request takes.
constexpr qint64 kRequestMs = 250;
/// A blank or nearly blank grab has a few dozen colours; the window with text has over a thousand.
constexpr int kMinColours = 400;
/// No single colour (the window background) may cover more of a picture than this.
constexpr double kMaxDominantShare = 0.6;

const char *const kNames[] = {"main-window", "import-preview", "shard-map", "throttling", "results", "live-view", "journey",
                              "presenter-mode", "generate", "aggregation", "live-aggregated"};

void fail(const QString &what)
{
    std::fprintf(stderr, "render_screenshots: %s\n", qPrintable(what));
}

/// Processes events until `ready` holds; false (with a message) after kWaitMs.
bool waitFor(const char *what, const std::function<bool()> &ready)
{
    if (QTest::qWaitFor(ready, kWaitMs))
        return true;
    fail(QStringLiteral("timed out waiting for %1").arg(QLatin1String(what)));
    return false;
}

/// Lets pending layouts, the models' ~50 ms flushes and repaints happen before a grab.
void settle()
{
    QTest::qWait(400);
}

/// The window as the user sees it. A dialog, when given, is drawn over it, centred as QDialog
/// places itself, with its title in a strip in lieu of the window manager's frame, and the
/// window behind it dimmed a little.
QImage capture(QWidget *window, QWidget *dialog = nullptr)
{
    QImage image = window->grab().toImage().convertToFormat(QImage::Format_RGB32);
    if (!dialog)
        return image;
    const QImage content = dialog->grab().toImage().convertToFormat(QImage::Format_RGB32);
    QFont titleFont = dialog->font();
    titleFont.setBold(true);
    const int titleHeight = QFontMetrics(titleFont).height() + 12;
    const QSize size(content.width(), content.height() + titleHeight);
    const QPoint at((image.width() - size.width()) / 2, (image.height() - size.height()) / 2);
    const QPalette palette = dialog->palette();

    QPainter painter(&image);
    painter.fillRect(image.rect(), QColor(0, 0, 0, 48));
    const QRect title(at, QSize(size.width(), titleHeight));
    painter.fillRect(title, palette.color(QPalette::Window).darker(112));
    painter.setFont(titleFont);
    painter.setPen(palette.color(QPalette::WindowText));
    painter.drawText(title, Qt::AlignCenter, dialog->windowTitle());
    painter.drawImage(at + QPoint(0, titleHeight), content);
    painter.setPen(palette.color(QPalette::Shadow));
    painter.drawRect(QRect(at, size).adjusted(-1, -1, 0, 0));
    return image;
}

bool save(QWidget *window, const QImage &image, const QDir &dir, const char *name)
{
    const QString path = dir.filePath(QLatin1String(name) + QLatin1String(".png"));
    if (image.size() != kWindowSize) {
        const QSize minimum = window->minimumSizeHint().expandedTo(window->minimumSize());
        fail(QStringLiteral("%1 would be %2×%3, not %4×%5: the window's minimum size is %6×%7")
                 .arg(path)
                 .arg(image.width())
                 .arg(image.height())
                 .arg(kWindowSize.width())
                 .arg(kWindowSize.height())
                 .arg(minimum.width())
                 .arg(minimum.height()));
        return false;
    }
    if (!image.save(path, "PNG")) {
        fail(QStringLiteral("cannot write %1").arg(path));
        return false;
    }
    std::printf("wrote %s\n", qPrintable(QDir::toNativeSeparators(path)));
    return true;
}

/// Checks the pictures in `dir`: each exists, is kWindowSize, is not blank (many colours, none
/// covering most of it), and no two are the same picture. 0 when all is well.
int verify(const QDir &dir)
{
    int problems = 0;
    QSet<QByteArray> digests;
    for (const char *name : kNames) {
        const QString path = dir.filePath(QLatin1String(name) + QLatin1String(".png"));
        QImageReader reader(path);
        const QImage image = reader.read().convertToFormat(QImage::Format_RGB32);
        if (image.isNull()) {
            fail(QStringLiteral("%1: %2").arg(path, reader.errorString()));
            ++problems;
            continue;
        }
        if (image.size() != kWindowSize) {
            fail(QStringLiteral("%1 is %2×%3, expected %4×%5")
                     .arg(path)
                     .arg(image.width())
                     .arg(image.height())
                     .arg(kWindowSize.width())
                     .arg(kWindowSize.height()));
            ++problems;
        }
        QHash<QRgb, qint64> counts;
        for (int y = 0; y < image.height(); ++y) {
            const auto *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = 0; x < image.width(); ++x)
                ++counts[line[x]];
        }
        qint64 commonest = 0;
        for (qint64 n : std::as_const(counts))
            commonest = std::max(commonest, n);
        const double share = double(commonest) / (double(image.width()) * image.height());
        std::printf("%s: %d×%d, %lld colours, the commonest covers %d%%\n", qPrintable(path), image.width(),
                    image.height(), qint64(counts.size()), qRound(share * 100));
        // Presenter mode's high-contrast palette paints large plain areas on purpose (about 60 %);
        // a blank capture is one colour nearly everywhere, still well over this.
        const double maxShare = path.endsWith(QLatin1String("presenter-mode.png")) ? 0.75 : kMaxDominantShare;
        if (counts.size() < kMinColours || share > maxShare) {
            fail(QStringLiteral("%1 looks blank: %2 colours, one of them covers %3%")
                     .arg(path)
                     .arg(counts.size())
                     .arg(qRound(share * 100)));
            ++problems;
        }
        const QByteArray digest = QCryptographicHash::hash(
            QByteArrayView(reinterpret_cast<const char *>(image.constBits()), image.sizeInBytes()), QCryptographicHash::Sha256);
        if (digests.contains(digest)) {
            fail(QStringLiteral("%1 is the same picture as another one").arg(path));
            ++problems;
        }
        digests.insert(digest);
    }
    return problems == 0 ? 0 : 1;
}

QDockWidget *dock(MainWindow &window, const char *name)
{
    return window.findChild<QDockWidget *>(QLatin1String(name));
}

/// What one would scroll to in the record editor when the dock is short: the row's outcome and
/// its attempts.
void showOutcome(MainWindow &window)
{
    auto *scroll = window.findChild<QScrollArea *>(QStringLiteral("editorScroll"));
    auto *attempts = window.findChild<QTreeWidget *>(QStringLiteral("attemptsList"));
    if (scroll && attempts)
        scroll->ensureWidgetVisible(attempts, 0, 0);
}

/// The sandbox's time: a fixed morning, kRequestMs more at each request (the sandbox reads its
/// clock once per request, on its own thread), and the next whole second when a moment passes.
std::atomic<qint64> sandboxNow{QDateTime(QDate(2024, 11, 25), QTime(10, 30), Qt::UTC).toMSecsSinceEpoch()};

void letAMomentPass()
{
    sandboxNow = (sandboxNow.load() / 1000 + 1) * 1000;
}

/// 10. live-aggregated: another producer writes KPL aggregated records (sensor readings, a dozen
///     per Kinesis record), a plain record and one whose MD5 no longer matches; the Live stream
///     dock shows each user record with its sub-sequence number, the broken one with its reason,
///     and "What will my consumer see?" is open for a user record.
int renderLiveAggregated(MainWindow &window, const QUrl &sandbox, const QDir &out)
{
    QDockWidget *liveDock = dock(window, "liveDock");
    LiveStreamPanel *live = window.livePanel();
    // The Live dock under the table, across the window: the right column's docks step aside.
    for (const char *name : {"editorDock", "shardDock", "journeyDock", "generateDock", "logDock"})
        if (QDockWidget *d = window.findChild<QDockWidget *>(QLatin1String(name)))
            d->hide();
    auto *from = live->findChild<QComboBox *>(QStringLiteral("liveFrom"));
    auto *dataView = live->findChild<QComboBox *>(QStringLiteral("liveDataView"));
    window.action(QStringLiteral("showLiveDock"))->trigger();
    live->clear();
    from->setCurrentIndex(0); // Latest: only what is written from now on
    dataView->setCurrentIndex(0);
    if (!live->startReading() || !waitFor("the live reading", [&] { return live->controller()->shardsReading().size() == 4; }))
        return 1;

    // Another producer: a client of its own, with the window's endpoint and keys.
    if (!window.connection()->client() || window.connection()->client()->options().endpoint.port() != sandbox.port()) {
        fail(QStringLiteral("the window is not connected to the sandbox"));
        return 1;
    }
    net::KinesisClient producer(window.connection()->client()->options());
    std::vector<Record> records;
    records.push_back({QStringLiteral("gateway-7"), "{\"status\":\"online\"}", std::nullopt});
    for (int k = 0; k < 3; ++k) {
        RecordStore users;
        std::vector<int> rows;
        for (int i = 0; i < 12; ++i) {
            const QByteArray key = QStringLiteral("sensor-%1").arg(k * 12 + i, 3, 10, QLatin1Char('0')).toUtf8();
            rows.push_back(users.append(key, QByteArray("{\"sensor\":\"") + key + "\",\"celsius\":"
                                                 + QByteArray::number(18.5 + (k * 12 + i) % 7 * 0.5) + '}'));
        }
        records.push_back({users.partitionKey(0), kpl::Aggregator::encode(users, rows), std::nullopt});
    }
    Record broken = records[2];
    broken.data[40] = char(broken.data[40] ^ 0x20); // changed after its MD5 was taken
    records.push_back(broken);
    bool done = false;
    producer.putRecords(QStringLiteral("demo"), records, &window, [&](const Result<net::PutRecordsResult> &) { done = true; });
    if (!waitFor("the producer's records", [&] { return done; }))
        return 1;
    if (!waitFor("the aggregated records", [&] { return live->model()->rowCount() >= 1 + 36 + 1; }))
        return 1;
    window.resizeDocks({liveDock}, {360}, Qt::Vertical);
    const int shown = std::min(5, live->model()->rowCount() - 1);
    live->table()->selectRow(shown);
    live->table()->setFocus();
    settle();
    window.findChild<QAction *>(QStringLiteral("consumerView"))->trigger();
    auto *dialog = window.findChild<ConsumerViewDialog *>(QStringLiteral("consumerViewDialog"));
    if (!dialog) {
        fail(QStringLiteral("What will my consumer see? did not open"));
        return 1;
    }
    dialog->resize(760, 520);
    dialog->tabs()->setCurrentIndex(ConsumerViewDialog::KclTab);
    settle();
    const bool saved = save(&window, capture(&window, dialog), out, "live-aggregated");
    dialog->close();
    live->stopReading();
    liveDock->hide();
    return saved ? 0 : 1;
}

int render(const QDir &out, quint16 port, const QString &workDir)
{
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    sandbox::SandboxServer server(options);
    server.setClock([] { return sandboxNow.fetch_add(kRequestMs); });

    MemorySecretStore secrets;
    MainWindowServices services;
    services.secrets = &secrets;
    services.environment = aws::Environment::fromMap({}, QString()); // no AWS profiles or keys
    services.restoreSession = false;
    MainWindow window(services);
    window.sender()->setRandom([] { return 0.5; }); // the same backoff every run
    window.resize(kWindowSize);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) {
        fail(QStringLiteral("the window was never shown"));
        return 1;
    }

    // What main() does: start the sandbox with its demo stream and hand it to the window.
    auto url = server.start(port);
    if (!url.ok() && port != 0) {
        std::fprintf(stderr, "render_screenshots: port %u is taken, using a free one\n", unsigned(port));
        url = server.start(0);
    }
    if (!url.ok()) {
        fail(QStringLiteral("the sandbox did not start: %1").arg(url.error().message));
        return 1;
    }
    window.setSandbox(url.value());
    window.setSandboxServer(&server);
    if (!waitFor("the sandbox's demo stream", [&] {
            return window.connection()->state() == ConnectionController::State::Connected
                && window.workspace()->streamName() == QLatin1String("demo") && window.workspace()->hasStreamMap();
        }))
        return 1;
    QDockWidget *editorDock = dock(window, "editorDock");
    QDockWidget *shardDock = dock(window, "shardDock");
    QDockWidget *sandboxDock = dock(window, "sandboxDock");
    QDockWidget *logDock = dock(window, "logDock");
    if (!editorDock || !shardDock || !sandboxDock || !logDock) {
        fail(QStringLiteral("a dock is missing"));
        return 1;
    }
    // 1. main-window: the first start: sample records on the demo stream, a row selected.
    window.loadSample();
    if (!waitFor("the sample records", [&] { return window.workspace()->rowCount() == 50 && !window.importer()->isRunning(); })
        || !waitFor("the shard counts", [&] { return window.stats()->stats().records == 50; }))
        return 1;
    window.recordsView()->selectStoreRow(2);
    if (!waitFor("the selected row", [&] { return window.recordsView()->currentStoreRow() == 2; }))
        return 1;
    // The first-launch layout as it is: the record (its route and data) above the shard map.
    settle();
    if (!save(&window, capture(&window), out, "main-window"))
        return 1;

    // 2. import-preview: File › Open on the sample file, partition keys from its userId field.
    const QString samplePath = QDir(workDir).filePath(QStringLiteral("orders-and-clicks.jsonl"));
    if (!QFile::copy(QStringLiteral(":/samples/orders-and-clicks.jsonl"), samplePath)) {
        fail(QStringLiteral("cannot copy the sample records to %1").arg(samplePath));
        return 1;
    }
    window.showImportDialog(samplePath, false);
    ImportDialog *dialog = window.importDialog();
    if (!dialog || !waitFor("the import dialog", [&] { return dialog->isVisible() && !dialog->isPreviewing(); }))
        return 1;
    {
        QSignalSpy previewed(dialog, &ImportDialog::previewReady);
        auto *keys = dialog->findChild<QComboBox *>(QStringLiteral("keyStrategy"));
        auto *field = dialog->findChild<QComboBox *>(QStringLiteral("keyField"));
        if (!keys || !field) {
            fail(QStringLiteral("the import dialog has no partition key choice"));
            return 1;
        }
        // The dialog proposes an id-like field of its own; the picture shows userId.
        const bool proposed = dialog->options().partitionKeyField == QLatin1String("userId");
        keys->setCurrentIndex(keys->findData(int(import::KeyStrategy::Field)));
        field->setCurrentText(QStringLiteral("userId"));
        if (!waitFor("the import preview", [&] {
                return (proposed || !previewed.isEmpty()) && !dialog->isPreviewing()
                    && dialog->previewRecordCount() == ImportDialog::kPreviewRecords;
            }))
            return 1;
    }
    settle();
    if (!save(&window, capture(&window, dialog), out, "import-preview"))
        return 1;
    dialog->reject();
    if (!waitFor("the import dialog to close", [&] { return !window.importDialog() || !window.importDialog()->isVisible(); }))
        return 1;

    // 3. shard-map: a roomier dock; at 2,500 records/s overall the busiest shard would go over
    //    its limit. Clicking it filters the table to its rows, marked on the bar once selected.
    window.resizeDocks({shardDock}, {640}, Qt::Horizontal);
    window.resizeDocks({editorDock, shardDock}, {1, 10000}, Qt::Vertical);
    ShardMapPanel *shards = window.shardPanel();
    auto *rate = shards->findChild<QSpinBox *>(QStringLiteral("chartRate"));
    if (!rate) {
        fail(QStringLiteral("the shard map has no rate box"));
        return 1;
    }
    rate->setValue(2500);
    if (!waitFor("a hot shard", [&] { return shards->warningText().contains(QLatin1String("Hot shard")); }))
        return 1;
    {
        const std::vector<qint64> perShard = window.stats()->stats().shardRecords;
        const int busiest = int(std::max_element(perShard.begin(), perShard.end()) - perShard.begin());
        const Shard &shard = window.workspace()->shardMap().openShard(busiest);
        ShardBarWidget *bar = shards->bar();
        const int x = int(bar->xOf(shard.startingHashKey + (shard.endingHashKey - shard.startingHashKey) / 2));
        QTest::mouseClick(bar, Qt::LeftButton, {}, QPoint(x, bar->height() / 2));
        if (!waitFor("the shard filter", [&] {
                return !window.recordsModel()->isOrdering() && window.recordsModel()->filter().shardId == shard.shardId;
            }))
            return 1;
        window.recordsView()->selectAll();
        window.recordsView()->selectionModel()->setCurrentIndex(window.recordsModel()->index(0, 0), QItemSelectionModel::NoUpdate);
    }
    settle();
    if (!save(&window, capture(&window), out, "shard-map"))
        return 1;

    // 4. throttling: the Sandbox dock lowers the limits to 10 records/s per shard, then Send all
    //    with flow control off and 3 attempts (as the user guide's first run): the three attempts
    //    of each row fall in one second, so what did not fit at first fails.
    //    The columns that matter here: status, the error and the attempts; the record editor is
    //    scrolled to the row's outcome and attempts.
    window.action(QStringLiteral("clearFilter"))->trigger();
    rate->setValue(1000);
    window.resizeDocks({shardDock}, {480}, Qt::Horizontal);
    sandboxDock->raise();
    auto *scale = sandboxDock->findChild<QDoubleSpinBox *>(QStringLiteral("sandboxScale"));
    if (!scale) {
        fail(QStringLiteral("the Sandbox dock has no limit scale"));
        return 1;
    }
    scale->setValue(0.01);
    if (!waitFor("all rows again", [&] { return !window.recordsModel()->isOrdering() && window.recordsModel()->rowCount() == 50; }))
        return 1;
    window.recordsView()->clearSelection();
    send::SendOptions unpaced = window.sendBar()->options();
    unpaced.flowControl = false;
    unpaced.maxAttempts = 3;
    window.sendBar()->setOptions(unpaced);
    letAMomentPass();
    window.action(QStringLiteral("sendAll"))->trigger();
    if (!waitFor("the send", [&] { return !window.sender()->isRunning() && window.sender()->counters().attempted > 0; }))
        return 1;
    if (window.sender()->failedRows() == 0 || !window.action(QStringLiteral("retryFailed"))->isEnabled()) {
        fail(QStringLiteral("the send was not throttled"));
        return 1;
    }
    // The default columns: each row's shard and result (the error code) next to its key.
    window.recordsView()->resetColumns();
    int throttledRow = -1;
    for (int r = 0; r < window.workspace()->rowCount() && throttledRow < 0; ++r)
        if (window.workspace()->results().status(r) == send::RowStatus::Failed)
            throttledRow = r;
    window.recordsView()->selectStoreRow(throttledRow);
    window.recordsView()->scrollTo(window.recordsView()->currentIndex(), QAbstractItemView::PositionAtCenter);
    window.resizeDocks({editorDock, sandboxDock}, {10000, 1}, Qt::Vertical);
    settle();
    showOutcome(window);
    settle();
    if (!save(&window, capture(&window), out, "throttling"))
        return 1;

    // 5. results: Retry failed with the defaults (flow control at the sandbox's limits, automatic
    //    attempts): one action and every row succeeds. The columns that matter now: actual
    //    shard and sequence number (whole in the record editor's outcome).
    window.sendBar()->setOptions(send::SendOptions{});
    for (int round = 0; round < 10 && window.sender()->failedRows() > 0; ++round) {
        letAMomentPass();
        const qint64 before = window.sender()->counters().attempted;
        window.action(QStringLiteral("retryFailed"))->trigger();
        if (!waitFor("a retry", [&] { return !window.sender()->isRunning() && window.sender()->counters().attempted != before; }))
            return 1;
    }
    if (window.sender()->failedRows() > 0) {
        fail(QStringLiteral("%1 rows still failed after retrying").arg(window.sender()->failedRows()));
        return 1;
    }
    // The default columns again: every row's shard and the tail of its sequence number, without
    // scrolling (the whole number is in the record editor's outcome).
    window.recordsView()->resetColumns();
    shardDock->raise();
    window.resizeDocks({editorDock, shardDock}, {10000, 1}, Qt::Vertical);
    window.recordsView()->selectStoreRow(throttledRow);
    settle();
    showOutcome(window);
    settle();
    if (!save(&window, capture(&window), out, "results"))
        return 1;

    // 6. live-view: View › Live stream reads the demo stream from its start (trim horizon): the
    //    records just sent, each linked to its row; the throttled row's record selected (from
    //    the table), its data as pretty JSON.
    window.action(QStringLiteral("showLiveDock"))->trigger();
    QDockWidget *liveDock = dock(window, "liveDock");
    LiveStreamPanel *live = window.livePanel();
    auto *from = live ? live->findChild<QComboBox *>(QStringLiteral("liveFrom")) : nullptr;
    auto *dataView = live ? live->findChild<QComboBox *>(QStringLiteral("liveDataView")) : nullptr;
    if (!liveDock || !from || !dataView) {
        fail(QStringLiteral("the Live stream dock is missing"));
        return 1;
    }
    from->setCurrentIndex(1);
    if (!live->startReading())
        return 1;
    if (!waitFor("the live records", [&] { return live->model()->rowCount() >= 50; }))
        return 1;
    window.resizeDocks({liveDock}, {330}, Qt::Vertical);
    dataView->setCurrentIndex(1);
    // Selected already: a row chosen again is what links it.
    window.recordsView()->selectStoreRow(throttledRow == 0 ? 1 : 0);
    window.recordsView()->selectStoreRow(throttledRow);
    if (!waitFor("the linked live record", [&] { return live->table()->currentIndex().isValid(); }))
        return 1;
    settle();
    if (!save(&window, capture(&window), out, "live-view"))
        return 1;
    live->stopReading();
    liveDock->hide();

    // 7. journey: the throttled row's journey, every step shown, in the dock beside the record.
    QDockWidget *journeyDock = dock(window, "journeyDock");
    if (!journeyDock) {
        fail(QStringLiteral("the Journey dock is missing"));
        return 1;
    }
    window.action(QStringLiteral("showJourneyDock"))->trigger();
    window.journey()->showAllSteps();
    window.resizeDocks({journeyDock, shardDock}, {10000, 1}, Qt::Vertical);
    settle();
    if (!save(&window, capture(&window), out, "journey"))
        return 1;

    // 8. presenter-mode: F11 at the default zoom (150 %), the journey up to the request.
    window.presenter()->setActive(true);
    window.journey()->firstStep();
    for (int step = 1; step < JourneyStep::Request + 1; ++step)
        window.journey()->nextStep();
    settle();
    if (!save(&window, capture(&window), out, "presenter-mode"))
        return 1;
    window.presenter()->setActive(false);
    settle(); // the normal layout comes back once the event loop runs

    // 9. generate: the Generate dock with the hot-shard sample, its preview's predicted shards,
    //    the forecast at 1,500 records/s (the customer-0001 shard over its limit) and the run at
    //    that rate a few seconds in: flow control holds the hot shard at its limit, so it falls behind;
    //    the live chart has a few seconds of points, and the table the run's newest rows.
    scale->setValue(1.0);
    QDockWidget *generateDock = dock(window, "generateDock");
    GeneratePanel *generate = window.generatePanel();
    if (!generateDock || !generate) {
        fail(QStringLiteral("the window has no Generate dock"));
        return 1;
    }
    generateDock->raise();
    window.resizeDocks({generateDock}, {760}, Qt::Horizontal);
    window.resizeDocks({editorDock, generateDock}, {1, 10000}, Qt::Vertical);
    generate->loadSample(QStringLiteral("hot-shard"));
    generate->setSeed(2026);
    generate->refreshNow();
    auto *genRate = generate->findChild<QSpinBox *>(QStringLiteral("generateRate"));
    auto *genEnd = generate->findChild<QComboBox *>(QStringLiteral("generateEnd"));
    if (!genRate || !genEnd) {
        fail(QStringLiteral("the Generate dock has no run controls"));
        return 1;
    }
    genEnd->setCurrentIndex(2);
    genRate->setValue(1500);
    if (!generate->startRun()) {
        fail(QStringLiteral("the generator run did not start"));
        return 1;
    }
    QTest::qWait(6500);
    // The run's part of the dock: the forecast, the counters and the chart.
    if (auto *scroll = generateDock->findChild<QScrollArea *>(QStringLiteral("generateScroll")))
        scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum());
    settle();
    if (!save(&window, capture(&window), out, "generate"))
        return 1;
    generate->findChild<QPushButton *>(QStringLiteral("generateStop"))->click();
    if (!waitFor("the run to stop", [&] { return generate->findChild<QPushButton *>(QStringLiteral("generateStart"))->isEnabled(); }))
        return 1;

    // 10. aggregation: 400 small sensor readings sent with Aggregate (KPL format) on, up to
    //     4 KiB: each row's Kinesis record and sub-sequence number beside its shard and result,
    //     the record editor saying it in words, and the shard map comparing the load at 4,000
    //     records/s sent plain and aggregated.
    RecordStore readings;
    for (int i = 0; i < 400; ++i)
        readings.append("sensor-" + QByteArray::number(i % 16),
                        "{\"sensor\":" + QByteArray::number(i % 16) + ",\"celsius\":" + QByteArray::number(180 + (i * 7) % 90) + "}");
    window.workspace()->loadRecords(std::move(readings));
    if (!waitFor("the readings", [&] { return !window.recordsModel()->isOrdering() && window.recordsModel()->rowCount() == 400; }))
        return 1;
    window.sendBar()->findChild<QCheckBox *>(QStringLiteral("aggregate"))->setChecked(true);
    window.sendBar()->findChild<QSpinBox *>(QStringLiteral("aggregateMaxKiB"))->setValue(4);
    letAMomentPass();
    window.action(QStringLiteral("sendAll"))->trigger();
    if (!waitFor("the aggregated send", [&] { return !window.sender()->isRunning() && window.sender()->counters().succeeded == 400; }))
        return 1;
    window.recordsView()->resetColumns();
    window.recordsView()->setColumnHidden(int(RecordColumn::Data), true);
    window.recordsView()->setColumnHidden(int(RecordColumn::KinesisRecord), false);
    window.recordsView()->setColumnHidden(int(RecordColumn::SubSequence), false);
    generateDock->hide();
    shardDock->raise();
    window.resizeDocks({shardDock}, {560}, Qt::Horizontal);
    window.resizeDocks({editorDock, shardDock}, {1, 2}, Qt::Vertical);
    rate->setValue(4000);
    if (!waitFor("the comparison", [&] { return shards->loadComparison().userRecords == 400; }))
        return 1;
    window.recordsView()->selectStoreRow(37);
    settle();
    showOutcome(window);
    settle();
    if (!save(&window, capture(&window), out, "aggregation"))
        return 1;

    if (renderLiveAggregated(window, url.value(), out) != 0)
        return 1;

    window.close();
    return verify(out);
}

} // namespace

int main(int argc, char *argv[])
{
    // Before QApplication: one device pixel per pixel, whatever the screen says.
    qputenv("QT_ENABLE_HIGHDPI_SCALING", "0");
    qunsetenv("QT_SCALE_FACTOR");
    QTemporaryDir work;
    if (!work.isValid()) {
        fail(QStringLiteral("no temporary folder"));
        return 1;
    }
    // Settings, caches and runtime files in the temporary folder, never the user's.
    for (const char *variable : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"}) {
        const QString path = work.filePath(QLatin1String(variable));
        QDir().mkpath(path);
        QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        qputenv(variable, QFile::encodeName(path));
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Kinesis Workbench"));
    QApplication::setOrganizationName(QStringLiteral("KinesisWorkbench"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, work.path());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, work.path());

    QStringList args = QApplication::arguments().mid(1);
    if (args.size() == 2 && args[0] == QLatin1String("--verify"))
        return verify(QDir(args[1]));
    quint16 port = 0;
    if (args.size() == 3 && args[0] == QLatin1String("--port")) {
        port = quint16(args[1].toUInt());
        args = args.mid(2);
    }
    if (args.size() != 1 || args[0].startsWith(QLatin1Char('-'))) {
        std::fprintf(stderr, "usage: render_screenshots [--port N] OUTPUT_DIR\n"
                             "       render_screenshots --verify DIR\n");
        return 2;
    }
    const QDir out(args[0]);
    if (!QDir().mkpath(out.path())) {
        fail(QStringLiteral("cannot create %1").arg(out.path()));
        return 1;
    }

    // The same look on every machine: Fusion and its light palette, DejaVu Sans (9 pt at 96 dpi),
    // US English numbers.
    QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setPalette(QApplication::style()->standardPalette());
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(12);
    QApplication::setFont(font);
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));

    return render(out, port, work.path());
}
