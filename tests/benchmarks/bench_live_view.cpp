// The Live stream dock stays responsive with 50,000 records/s arriving. The panel (offscreen, at
// 1280x720, the table following the newest record) is fed from a producer thread through the
// controller's delivery path, as the reader's thread feeds it: batches of 500 records every 10 ms
// (100-byte data, 36-character keys, 56-digit sequence numbers, 4 shards) for kSeconds, first
// unfiltered, then with a filter on. The model keeps its default 100,000 records, so the oldest
// leave all the time.
//
// A probe on the GUI thread, a 5 ms precise timer, records the gap between its ticks: the longest
// gap is the longest the window could not react to input or paint. Target per phase (the rule of
// bench_gui_responsiveness): no gap over 50 ms. Also checked: every record delivered was received,
// the model holds its capacity, and the resident memory the kept records add stays bounded.
//
// Usage: bench_live_view [seconds]
#include "BenchSupport.h"
#include "controllers/LiveStreamController.h"
#include "models/LiveRecordsModel.h"
#include "views/LiveStreamPanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

using namespace kwb;
using namespace kwb::ui;

namespace {

constexpr int kTickMs = 5;
constexpr double kMaxStallMs = 50;
constexpr int kRecordsPerSecond = 50000;
constexpr int kBatch = 500;
constexpr int kSeconds = 5;
/// What a kept record may add to the process: its data (100), key (2 × 36), sequence number
/// (2 × 56), shard id (shared), the ReadRecord itself and the deque's slots; the rest is allocator
/// allowance.
constexpr double kMaxBytesPerRecord = 700;

/// The longest gap between ticks of a 5 ms timer on the GUI thread.
class StallProbe : public QObject
{
public:
    StallProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(kTickMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double gap = double(now - m_last) / 1e6;
            m_maxGapMs = std::max(m_maxGapMs, gap);
            if (gap > 25)
                std::printf("  a %.1f ms gap at %.2f s\n", gap, double(now) / 1e9);
            m_last = now;
        });
    }
    void start()
    {
        m_maxGapMs = 0;
        m_clock.start();
        m_last = 0;
        m_timer.start();
    }
    double stop()
    {
        m_timer.stop();
        m_maxGapMs = std::max(m_maxGapMs, double(m_clock.nsecsElapsed() - m_last) / 1e6);
        return m_maxGapMs;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    double m_maxGapMs = 0;
};

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
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
    if (!done())
        loop.exec();
    return done();
}

/// Feeds kRecordsPerSecond records for `seconds` from a thread of its own; returns how many.
qint64 feed(const std::function<void(const QList<stream::ReadRecord> &)> &deliver, int seconds, qint64 firstNumber)
{
    std::atomic<qint64> fed{0};
    std::thread producer([&] {
        static const char text[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:-_";
        const qint64 total = qint64(kRecordsPerSecond) * seconds;
        QElapsedTimer clock;
        clock.start();
        // A reader hands out its shards' ids as shared strings.
        const QString shards[4] = {QStringLiteral("shardId-000000000000"), QStringLiteral("shardId-000000000001"),
                                   QStringLiteral("shardId-000000000002"), QStringLiteral("shardId-000000000003")};
        qint64 n = firstNumber;
        for (qint64 sent = 0; sent < total; sent += kBatch) {
            QList<stream::ReadRecord> batch;
            batch.reserve(kBatch);
            for (int i = 0; i < kBatch; ++i, ++n) {
                stream::ReadRecord r;
                r.shardId = shards[n % 4];
                r.sequenceNumber = QStringLiteral("4961234567890123456789012345678901234567890%1").arg(n, 13, 10, QLatin1Char('0'));
                r.partitionKey = QStringLiteral("%1-4a1b-4c2d-8e3f-%2").arg(n % 100000, 8, 16, QLatin1Char('0')).arg(n, 12, 10, QLatin1Char('0'));
                QByteArray data(100, Qt::Uninitialized);
                for (int c = 0; c < 100; ++c)
                    data[c] = text[(n * 7 + c) % (sizeof text - 1)];
                r.data = data;
                r.arrivalMs = 1765000000000 + n / 50;
                batch.append(std::move(r));
            }
            deliver(batch);
            fed += kBatch;
            // Paced to the rate: the batch's due time from the start.
            const qint64 dueMs = (sent + kBatch) * 1000 / kRecordsPerSecond;
            const qint64 ahead = dueMs - clock.elapsed();
            if (ahead > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(ahead));
        }
    });
    // The GUI thread runs its event loop while the producer works.
    waitFor([&] { return fed.load() >= qint64(kRecordsPerSecond) * seconds; }, (seconds + 30) * 1000);
    producer.join();
    return fed.load();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QTemporaryDir dir;
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchBench"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    const int seconds = argc > 1 ? std::max(1, atoi(argv[1])) : kSeconds;

    LiveStreamPanel panel;
    panel.resize(1280, 720);
    panel.show();
    LiveRecordsModel *model = panel.model();
    StallProbe probe;
    bool ok = true;
    const qint64 rssBefore = bench::procStatusBytes("VmRSS");

    struct PhaseResult
    {
        const char *name;
        double maxGapMs;
        qint64 fed;
        double seconds;
    };
    std::vector<PhaseResult> results;
    qint64 number = 0;
    for (const char *phase : {"unfiltered", "filter \"4a1b-4c2d-8e3f-0000000\""}) {
        if (std::strncmp(phase, "filter", 6) == 0)
            panel.findChild<QLineEdit *>(QStringLiteral("liveFilter"))->setText(QStringLiteral("4a1b-4c2d-8e3f-0000000"));
        const auto deliver = panel.controller()->startFeed();
        const qint64 receivedBefore = model->received();
        QElapsedTimer clock;
        clock.start();
        probe.start();
        const qint64 fed = feed(deliver, seconds, number);
        number += fed;
        // The last batch is handed over by the next tick of the controller's timer.
        waitFor([&] { return model->received() - receivedBefore >= fed; }, 5000);
        const double gap = probe.stop();
        results.push_back({phase, gap, fed, double(clock.elapsed()) / 1000});
        std::printf("%-40s %8lld records in %.2f s (%.0f records/s), longest GUI stall %.1f ms (target < %.0f ms)\n", phase,
                    (long long)fed, double(clock.elapsed()) / 1000, fed / (double(clock.elapsed()) / 1000), gap, kMaxStallMs);
        if (model->received() - receivedBefore != fed) {
            std::printf("FAILED: %lld records delivered, %lld received\n", (long long)fed, (long long)(model->received() - receivedBefore));
            ok = false;
        }
        if (gap > kMaxStallMs) {
            std::printf("FAILED: the GUI thread stalled %.1f ms\n", gap);
            ok = false;
        }
        panel.controller()->stop();
    }
    if (model->kept() != model->capacity()) {
        std::printf("FAILED: %lld records kept, capacity %lld\n", (long long)model->kept(), (long long)model->capacity());
        ok = false;
    }
    const qint64 rssAfter = bench::procStatusBytes("VmRSS");
    const double perRecord = double(rssAfter - rssBefore) / double(model->kept());
    std::printf("memory: %.1f MiB resident added for %lld kept records (%.0f bytes per record, target < %.0f)\n",
                double(rssAfter - rssBefore) / (1024.0 * 1024.0), (long long)model->kept(), perRecord, kMaxBytesPerRecord);
    if (perRecord > kMaxBytesPerRecord) {
        std::printf("FAILED: %.0f bytes per kept record\n", perRecord);
        ok = false;
    }
    std::printf("%s\n", ok ? "bench_live_view: all targets met" : "bench_live_view: a target was missed");
    return ok ? 0 : 1;
}
