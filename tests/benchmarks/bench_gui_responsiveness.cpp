// The workbench window stays responsive with 1,000,000 records. The real MainWindow (offscreen,
// on the built-in sandbox as the app wires it) imports a generated JSON Lines file (UUID-like
// keys, 100-byte data) with openFile(), shows the shard preview and predicts again for another
// stream and for a virtual stream of another size, scrolls the table from top to bottom (scroll
// bar steps and key presses), types a key search and switches the state and shard filters, then
// sends every row to the sandbox (limits off) while the table is scrolled, until all succeeded.
//
// A probe on the GUI thread, a 5 ms precise timer, records the gap between its ticks: the
// longest gap is the longest the window could not react to input or paint. It also posts an
// event on each tick and times its delivery. Target per phase: no gap over 50 ms. To name a
// stall, every event delivery over 25 ms is listed with its receiver and event type.
// Memory: RSS (VmRSS, VmHWM) before the import, after it and after the send; the target is on
// what the rows add (see kMaxBytesPerRow). The sandbox runs in this process, so it keeps at most
// kSandboxBytesPerShard per shard (oldest records trimmed) and its copy of the records stays out
// of the figure.
//
// Usage: bench_gui_responsiveness [records]
#include "BenchSupport.h"
#include "MainWindow.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "controllers/StatsController.h"
#include "models/RecordsModel.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/ConnectionBar.h"
#include "views/FilterBar.h"
#include "views/RecordsView.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QEventLoop>
#include <QFile>
#include <QLineEdit>
#include <QMetaEnum>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <malloc.h>
#include <utility>
#include <vector>

using namespace kwb;
using namespace kwb::ui;

namespace {

constexpr int kTickMs = 5;
constexpr double kMaxStallMs = 50;
/// What a row may add to the process after the send. The columns hold ~314 bytes a row: data
/// and key in the store's arena (136), its index entry (32), hash key (16), its row id (8),
/// outcome columns (~34), the 56-digit sequence number (56) and one attempt record (32); an
/// explicit-key slot (16) only for rows that have one (none here). The rest is allowance for the
/// allocator, Qt's per-row structures (the table's header) and the ends of partly filled chunks.
constexpr double kMaxBytesPerRow = 400;
constexpr qint64 kSandboxBytesPerShard = 1024 * 1024;

/// Times each event the GUI thread delivers (outermost deliveries only), so a stall can be named:
/// the events that took longer than kSlowEventMs, with their receiver, are listed per phase.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    struct SlowEvent
    {
        double atSeconds;
        double ms;
        QByteArray what;
    };

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth++ > 0 || !m_clock.isValid()) {
            const bool done = QApplication::notify(receiver, event);
            --m_depth;
            return done;
        }
        const qint64 start = m_clock.nsecsElapsed();
        // The receiver may be gone afterwards (DeferredDelete): name it first.
        const QEvent::Type type = event->type();
        const QByteArray name = describe(receiver);
        const bool done = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(m_clock.nsecsElapsed() - start) / 1e6;
        if (ms > kSlowEventMs)
            m_slow.push_back(SlowEvent{double(start) / 1e9, ms, name + ", " + typeName(type)});
        return done;
    }

    void startClock() { m_clock.start(); }
    /// The slow events since the last call.
    std::vector<SlowEvent> takeSlowEvents() { return std::exchange(m_slow, {}); }

    static constexpr double kSlowEventMs = 25;

private:
    static QByteArray typeName(QEvent::Type type)
    {
        const char *key = QMetaEnum::fromType<QEvent::Type>().valueToKey(int(type));
        return key ? QByteArray(key) : "event " + QByteArray::number(int(type));
    }

    static QByteArray describe(QObject *o)
    {
        QByteArray text = o->metaObject()->className();
        if (!o->objectName().isEmpty())
            text += " \"" + o->objectName().toUtf8() + '"';
        if (QObject *p = o->parent())
            text += QByteArray(" in ") + p->metaObject()->className();
        return text;
    }

    QElapsedTimer m_clock;
    int m_depth = 0;
    std::vector<SlowEvent> m_slow;
};

/// Per phase: the gaps between the probe's ticks and how late posted events were delivered.
struct Phase
{
    const char *name = "";
    std::vector<double> gapsMs;
    double maxPostedMs = 0;
    double seconds = 0;
    std::vector<TimedApplication::SlowEvent> slowEvents;
};

/// Measures how long the GUI thread goes without reacting, per phase. GUI thread.
class StallProbe : public QObject
{
public:
    StallProbe()
        : m_postedType(QEvent::Type(QEvent::registerEventType()))
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
        m_clock.start();
    }

    void startPhase(const char *name)
    {
        m_phases.push_back(Phase{name, {}, 0, 0, {}});
        m_phaseStartNs = m_clock.nsecsElapsed();
        m_lastNs = m_phaseStartNs;
        m_timer.start();
        std::printf("-- %s\n", name);
        std::fflush(stdout);
    }

    void endPhase(std::vector<TimedApplication::SlowEvent> slowEvents)
    {
        tick(); // a stall just before the end counts too
        m_timer.stop();
        m_phases.back().seconds = double(m_clock.nsecsElapsed() - m_phaseStartNs) / 1e9;
        m_phases.back().slowEvents = std::move(slowEvents);
    }

    const std::vector<Phase> &phases() const { return m_phases; }

protected:
    bool event(QEvent *e) override
    {
        if (e->type() != m_postedType)
            return QObject::event(e);
        m_posted = false;
        if (!m_phases.empty())
            m_phases.back().maxPostedMs = std::max(m_phases.back().maxPostedMs, double(m_clock.nsecsElapsed() - m_postedAtNs) / 1e6);
        return true;
    }

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        m_phases.back().gapsMs.push_back(double(now - m_lastNs) / 1e6);
        m_lastNs = now;
        if (!m_posted) {
            m_posted = true;
            m_postedAtNs = now;
            QCoreApplication::postEvent(this, new QEvent(m_postedType));
        }
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    QEvent::Type m_postedType;
    qint64 m_lastNs = 0;
    qint64 m_phaseStartNs = 0;
    qint64 m_postedAtNs = 0;
    bool m_posted = false;
    std::vector<Phase> m_phases;
};

/// Runs the event loop (a real one, no sleeps) until `done` holds or `timeoutMs` passed.
bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(2);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start();
    loop.exec();
    return done();
}

void spin(int ms)
{
    waitFor([] { return false; }, ms);
}

bool check(bool ok, const char *what)
{
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        std::fflush(stdout);
    }
    return ok;
}

/// JSON Lines records as the AWS CLI shape without base64: {"PartitionKey": UUID, "Data": 100 chars}.
bool generate(const QString &path, int records)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    QRandomGenerator random(20261125);
    static const char hex[] = "0123456789abcdef";
    static const char text[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_";
    QByteArray chunk;
    chunk.reserve(8 * 1024 * 1024);
    char key[36];
    char data[100];
    for (int i = 0; i < records; ++i) {
        for (int c = 0; c < 36; ++c)
            key[c] = (c == 8 || c == 13 || c == 18 || c == 23) ? '-' : hex[random.bounded(16)];
        key[14] = '4';
        for (char &c : data)
            c = text[random.bounded(int(sizeof text - 1))];
        chunk += "{\"PartitionKey\":\"";
        chunk.append(key, 36);
        chunk += "\",\"Data\":\"";
        chunk.append(data, 100);
        chunk += "\"}\n";
        if (chunk.size() > 7 * 1024 * 1024) {
            file.write(chunk);
            chunk.clear();
        }
    }
    file.write(chunk);
    return file.error() == QFile::NoError;
}

void chooseStreamInBar(MainWindow &w, const QString &stream)
{
    QComboBox *box = w.connectionBar()->streamBox();
    const int index = box->findData(stream);
    box->setCurrentIndex(index);
    Q_EMIT box->activated(index);
}

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(std::ceil(p * double(values.size()))) - 1)];
}

} // namespace

int main(int argc, char *argv[])
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    const int records = argc > 1 ? std::max(1000, atoi(argv[1])) : 1000000;

    QTemporaryDir dir;
    // The window writes recent files to QSettings: keep them out of the user's.
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchBench"));
    QCoreApplication::setApplicationName(QStringLiteral("bench_gui_responsiveness"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());

    const QString input = dir.filePath(QStringLiteral("records.jsonl"));
    if (!check(generate(input, records), "writing the input file"))
        return 2;
    bench::info("input: JSON Lines, UUID keys, 100-byte data", double(QFile(input).size()) / 1e6, "MB");

    // As app/gui/main.cpp starts it, with a second stream to switch to; limits off so a million
    // rows go through in seconds.
    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}, sandbox::InitialStream{QStringLiteral("wide"), 16}};
    options.limitsEnabled = false;
    options.maxBytesPerShard = kSandboxBytesPerShard;
    sandbox::SandboxServer server(options);

    MemorySecretStore secrets;
    MainWindowServices services;
    services.secrets = &secrets;
    services.environment = aws::Environment::fromMap({}, QString());
    services.restoreSession = false;
    MainWindow w(services);
    const auto url = server.start(0);
    if (!check(url.ok(), "starting the sandbox"))
        return 2;
    w.setSandbox(url.value());
    w.setSandboxServer(&server);
    w.show();
    if (!check(QTest::qWaitForWindowExposed(&w), "showing the window"))
        return 2;
    if (!check(waitFor([&] { return w.workspace()->streamName() == QLatin1String("demo"); }, 30000), "connecting to the sandbox's demo stream"))
        return 2;
    spin(500);

    Workspace *workspace = w.workspace();
    RecordsModel *model = w.recordsModel();
    RecordsView *view = w.recordsView();
    QScrollBar *scroll = view->verticalScrollBar();
    int statsUpdates = 0;
    QObject::connect(w.stats(), &StatsController::statsChanged, &w, [&statsUpdates] { ++statsUpdates; });
    const auto statsFor = [&](int shards) {
        const WorkspaceStats &s = w.stats()->stats();
        qint64 sum = 0;
        for (qint64 n : s.shardRecords)
            sum += n;
        return !w.stats()->isBusy() && s.records == records && int(s.shardRecords.size()) == shards && sum == records;
    };
    /// After a routing change: the map is in place, then a count made after it arrives.
    const auto waitForPrediction = [&](const std::function<bool()> &mapReady, int shards) {
        if (!waitFor(mapReady, 30000))
            return false;
        const int seen = statsUpdates;
        return waitFor([&] { return statsUpdates > seen && statsFor(shards); }, 60000);
    };
    const auto predictionsShown = [&] {
        // The visible rows' predicted shard column agrees with the map.
        const int top = view->rowAt(0);
        for (int r = std::max(0, top); r < std::min(model->rowCount(), std::max(0, top) + 20); ++r) {
            const int row = model->storeRow(r);
            const QString shown = model->data(model->index(r, int(RecordColumn::PredictedShard))).toString();
            if (shown != workspace->shardMap().shardFor(workspace->store().hashKey(row))->shardId)
                return false;
        }
        return true;
    };

    const qint64 rssBefore = bench::procStatusBytes("VmRSS");
    const auto allocated = [] {
        const struct mallinfo2 heap = mallinfo2();
        return qint64(heap.uordblks + heap.hblkhd);
    };
    const qint64 allocatedBefore = allocated();
    bool ok = true;
    StallProbe probe;

    // 1. Import.
    app.startClock();
    probe.startPhase("import");
    w.openFile(input);
    ok &= check(waitFor([&] { return !w.importer()->isRunning() && workspace->rowCount() == records; }, 300000), "import of every record");
    probe.endPhase(app.takeSlowEvents());
    if (!ok)
        return 1;

    // 2. Shard preview of every row, for the stream, another stream and virtual streams.
    app.takeSlowEvents();
    probe.startPhase("shard preview");
    ok &= check(waitFor([&] { return statsFor(4); }, 60000), "shard counts of the demo stream");
    ok &= check(predictionsShown(), "predicted shards shown (demo)");
    chooseStreamInBar(w, QStringLiteral("wide"));
    ok &= check(waitForPrediction([&] { return workspace->streamName() == QLatin1String("wide")
                                                   && workspace->shardMap().openShardCount() == 16; }, 16),
                "shard counts of the wide stream");
    ok &= check(predictionsShown(), "predicted shards shown (wide)");
    w.chooseStream(QString());
    ok &= check(waitForPrediction([&] { return !workspace->hasStreamMap() && workspace->shardMap().openShardCount() == 4; }, 4),
                "shard counts of a virtual stream of 4");
    w.shardPanel()->findChild<QSpinBox *>(QStringLiteral("virtualShards"))->setValue(8);
    ok &= check(waitForPrediction([&] { return workspace->shardMap().openShardCount() == 8; }, 8), "shard counts of a virtual stream of 8");
    ok &= check(predictionsShown(), "predicted shards shown (virtual)");
    chooseStreamInBar(w, QStringLiteral("demo"));
    ok &= check(waitForPrediction([&] { return workspace->streamName() == QLatin1String("demo")
                                                   && workspace->shardMap().openShardCount() == 4; }, 4),
                "shard counts of the demo stream again");
    probe.endPhase(app.takeSlowEvents());
    const qint64 rssImported = bench::procStatusBytes("VmRSS");
    // How long a count of every row takes, in its slices, with nothing else going on.
    double countMs = 0;
    {
        const int seen = statsUpdates;
        QElapsedTimer countClock;
        countClock.start();
        w.stats()->updateNow();
        ok &= check(waitFor([&] { return statsUpdates > seen && statsFor(4); }, 60000), "a count of every row");
        countMs = double(countClock.nsecsElapsed()) / 1e6;
    }

    // 3a. Scrolling from top to bottom: scroll bar steps, then the keyboard.
    app.takeSlowEvents();
    probe.startPhase("scroll");
    view->setFocus();
    constexpr int kSteps = 200;
    for (int i = 0; i <= kSteps; ++i) {
        scroll->setValue(int(qint64(scroll->maximum()) * i / kSteps));
        spin(10);
    }
    view->selectStoreRow(0);
    for (int i = 0; i < 20; ++i) {
        QTest::keyClick(view, Qt::Key_PageDown);
        spin(20);
    }
    QTest::keyClick(view, Qt::Key_End, Qt::ControlModifier);
    spin(50);
    ok &= check(view->currentStoreRow() == records - 1, "Ctrl+End reaches the last row");
    QTest::keyClick(view, Qt::Key_Home, Qt::ControlModifier);
    spin(50);
    probe.endPhase(app.takeSlowEvents());
    // What one full repaint of the table costs (the floor under every phase's stalls).
    std::vector<double> repaintsMs;
    for (int i = 0; i < 21; ++i) {
        scroll->setValue(int(qint64(scroll->maximum()) * (i * 7 % 21) / 21));
        QElapsedTimer repaintClock;
        repaintClock.start();
        view->viewport()->repaint();
        repaintsMs.push_back(double(repaintClock.nsecsElapsed()) / 1e6);
        spin(10);
    }
    const double repaintMs = percentile(repaintsMs, 0.5);

    // 3b. Filtering: a key search typed, then the state and shard filters.
    app.takeSlowEvents();
    probe.startPhase("filter");
    auto *search = w.filterBar()->findChild<QLineEdit *>(QStringLiteral("keySearch"));
    auto *status = w.filterBar()->findChild<QComboBox *>(QStringLiteral("statusFilter"));
    auto *shard = w.filterBar()->findChild<QComboBox *>(QStringLiteral("shardFilter"));
    search->setFocus();
    for (const char c : {'a', 'b', '1'}) {
        QTest::keyClick(search, c);
        spin(120);
    }
    ok &= check(waitFor([&] { return model->filter().keyText == QLatin1String("ab1") && !model->isOrdering(); }, 60000),
                "key search applied");
    ok &= check(model->rowCount() > 0 && model->rowCount() < records, "key search narrows the rows");
    for (int i = 0; i <= 20; ++i) {
        scroll->setValue(scroll->maximum() * i / 20);
        spin(10);
    }
    for (int i = 0; i < 3; ++i) {
        QTest::keyClick(search, Qt::Key_Backspace);
        spin(120);
    }
    ok &= check(waitFor([&] { return model->isIdentity() && !model->isOrdering(); }, 60000), "key search cleared");
    status->setCurrentIndex(status->findData(int(RowFilter::Status::Pending)));
    ok &= check(waitFor([&] { return model->filter().status == RowFilter::Status::Pending && !model->isOrdering(); }, 60000)
                    && model->rowCount() == records,
                "pending rows shown");
    status->setCurrentIndex(status->findData(int(RowFilter::Status::Failed)));
    ok &= check(waitFor([&] { return model->filter().status == RowFilter::Status::Failed && !model->isOrdering(); }, 60000)
                    && model->rowCount() == 0,
                "no failed rows");
    status->setCurrentIndex(status->findData(int(RowFilter::Status::All)));
    ok &= check(waitFor([&] { return model->isIdentity() && !model->isOrdering(); }, 60000), "state filter cleared");
    shard->setCurrentIndex(shard->findData(workspace->shardMap().openShard(1).shardId));
    ok &= check(waitFor([&] { return !model->filter().shardId.isEmpty() && !model->isOrdering(); }, 60000)
                    && model->rowCount() == w.stats()->stats().shardRecords[1],
                "the rows of one shard shown");
    for (int i = 0; i <= 20; ++i) {
        scroll->setValue(scroll->maximum() * i / 20);
        spin(10);
    }
    shard->setCurrentIndex(0);
    ok &= check(waitFor([&] { return model->isIdentity() && !model->isOrdering(); }, 60000), "shard filter cleared");
    probe.endPhase(app.takeSlowEvents());

    // 4. Sending every row to the sandbox while the table is scrolled now and then.
    app.takeSlowEvents();
    probe.startPhase("send");
    QAction *sendAll = w.action(QStringLiteral("sendAll"));
    ok &= check(waitFor([&] { return sendAll->isEnabled(); }, 30000), "Send all enabled");
    QElapsedTimer clickClock;
    clickClock.start();
    sendAll->trigger();
    const double clickMs = double(clickClock.nsecsElapsed()) / 1e6;
    QRandomGenerator random(7);
    QElapsedTimer sendClock;
    sendClock.start();
    const auto sent = [&] { return !w.sender()->isRunning() && w.sender()->counters().succeeded == records; };
    while (!sent() && sendClock.elapsed() < 600000) {
        if (waitFor(sent, 100))
            break;
        scroll->setValue(int(random.bounded(scroll->maximum() + 1)));
    }
    const double sendSeconds = double(sendClock.elapsed()) / 1000.0;
    ok &= check(sent(), "every row sent");
    ok &= check(waitFor([&] { return !w.stats()->isBusy() && w.stats()->stats().succeeded == records; }, 60000),
                "the counts show every row succeeded");
    spin(300);
    probe.endPhase(app.takeSlowEvents());
    int succeeded = 0;
    for (int row = 0; row < workspace->rowCount(); ++row)
        succeeded += workspace->results().status(row) == send::RowStatus::Succeeded;
    ok &= check(succeeded == records, "every row's outcome is Succeeded");
    const qint64 rssSent = bench::procStatusBytes("VmRSS");
    const qint64 allocatedSent = allocated();
    const qint64 peak = bench::procStatusBytes("VmHWM");

    std::printf("\n");
    for (const Phase &phase : probe.phases()) {
        const double longest = phase.gapsMs.empty() ? 0 : *std::max_element(phase.gapsMs.begin(), phase.gapsMs.end());
        const QByteArray name = "phase " + QByteArray(phase.name) + ": longest GUI stall";
        ok &= bench::report(name.constData(), longest, "ms", longest <= kMaxStallMs, "<= 50 ms");
        bench::info("  99th percentile gap between 5 ms ticks", percentile(phase.gapsMs, 0.99), "ms");
        bench::info("  longest wait of a posted event", phase.maxPostedMs, "ms");
        bench::info("  duration", phase.seconds, "s");
        for (const TimedApplication::SlowEvent &e : phase.slowEvents)
            std::printf("  slow event at %.3f s: %.1f ms, %s\n", e.atSeconds, e.ms, e.what.constData());
    }
    bench::info("shard counts of every row, wall time of their slices", countMs, "ms");
    bench::info("full repaint of the table (median of 21)", repaintMs, "ms");
    bench::info("send: Send all handled in (part of the send phase's stall)", clickMs, "ms");
    bench::info("send: wall time until every row succeeded", sendSeconds, "s");
    bench::info("  records/s", double(records) / sendSeconds, "");
    const double perRowImported = double(rssImported - rssBefore) / records;
    const double perRowSent = double(rssSent - rssBefore) / records;
    const double perRowPeak = double(peak - rssBefore) / records;
    bench::info("RSS before import", double(rssBefore) / 1e6, "MB");
    bench::info("RSS after import and preview", double(rssImported) / 1e6, "MB");
    bench::info("  per row", perRowImported, "bytes");
    bench::info("RSS after send", double(rssSent) / 1e6, "MB");
    // Below ~100,000 rows, fixed costs (fonts, buffers) outweigh the rows.
    if (records >= 100000)
        ok &= bench::report("  per row after send (RSS growth / rows)", perRowSent, "bytes", perRowSent <= kMaxBytesPerRow, "<= 400 bytes");
    else
        bench::info("  per row after send (RSS growth / rows)", perRowSent, "bytes");
    bench::info("  allocated growth per row (malloc in use; the rest is allocator slack)",
                double(allocatedSent - allocatedBefore) / records, "bytes");
    bench::info("peak RSS (VmHWM)", double(peak) / 1e6, "MB");
    bench::info("  per row (peak growth / rows)", perRowPeak, "bytes");
    return ok ? 0 : 1;
}
