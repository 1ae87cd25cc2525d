// "Follows the system light/dark palette; high-DPI clean", checked on the real main window (the
// sample on the built-in sandbox's demo stream, after a throttled send) at two device pixels per
// pixel (QT_SCALE_FACTOR=2, set in main()):
// - the window grabs at 2×; every status icon and the actions' icons render with 32×32 device
//   pixels for 16×16 that match the SVG rendered at 32 px (read with QImageReader, not through
//   Icons), not a 16 px picture scaled up; the table and the banner paint them so; rows are the
//   font's line plus a margin, whatever the font;
// - under a light and then a dark palette (Breeze's colours, as a desktop theme sets them) the
//   table, the banner, the shard bar and the whole window paint with that palette: its
//   Base/AlternateBase and Text colours, no patch of the other palette's lightness, none of its
//   backgrounds left; no item model hard-codes a text or background colour.
// Expected colours and pictures come from the test (the palettes it sets, the SVG files), never
// from the code under test. Waits with QTRY_*, never sleeps. KWB_HIGHDPI_SAVE=<folder> saves the
// window's grabs under both palettes there, to look at.
#include "Icons.h"
#include "MainWindow.h"
#include "TestSupport.h"
#include "controllers/ConnectionController.h"
#include "controllers/ImportController.h"
#include "controllers/MemorySecretStore.h"
#include "controllers/SendController.h"
#include "models/RecordsModel.h"
#include "models/RequestLogModel.h"
#include "models/Workspace.h"
#include "sandbox/SandboxServer.h"
#include "views/Banner.h"
#include "views/RecordsView.h"
#include "views/SendBar.h"
#include "views/ShardBarWidget.h"
#include "views/ShardMapPanel.h"

#include <QAction>
#include <QApplication>
#include <QDirIterator>
#include <QDockWidget>
#include <QHash>
#include <QHeaderView>
#include <QImageReader>
#include <QLabel>
#include <QPainter>
#include <QSet>
#include <QSettings>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace kwb;
using namespace kwb::ui;

namespace {

constexpr qreal kDpr = 2.0;
constexpr QSize kIcon(16, 16);
constexpr int kSendTimeoutMs = 30000;
/// Largest per-channel difference between two renderings of the same SVG at the same size.
constexpr int kSameRendering = 8;

constexpr DisplayStatus kStatuses[] = {
    DisplayStatus::Invalid,   DisplayStatus::Pending,        DisplayStatus::Queued,    DisplayStatus::InFlight,
    DisplayStatus::Succeeded, DisplayStatus::Verified,       DisplayStatus::VerifyMismatch,
    DisplayStatus::Throttled, DisplayStatus::Failed,         DisplayStatus::Cancelled,
};

QImage argb(const QImage &image)
{
    return image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
}

/// Every SVG in :/icons rendered by the SVG image plugin straight at `px` pixels.
QHash<QString, QImage> svgRenderings(int px)
{
    QHash<QString, QImage> out;
    QDirIterator it(QStringLiteral(":/icons"), {QStringLiteral("*.svg")});
    while (it.hasNext()) {
        const QString path = it.next();
        QImageReader reader(path);
        reader.setScaledSize(QSize(px, px));
        out.insert(path, argb(reader.read()));
    }
    return out;
}

int maxDifference(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 256;
    int worst = 0;
    for (int y = 0; y < a.height(); ++y) {
        const auto *pa = reinterpret_cast<const QRgb *>(a.constScanLine(y));
        const auto *pb = reinterpret_cast<const QRgb *>(b.constScanLine(y));
        for (int x = 0; x < a.width(); ++x)
            worst = std::max({worst, std::abs(qRed(pa[x]) - qRed(pb[x])), std::abs(qGreen(pa[x]) - qGreen(pb[x])),
                              std::abs(qBlue(pa[x]) - qBlue(pb[x])), std::abs(qAlpha(pa[x]) - qAlpha(pb[x]))});
    }
    return worst;
}

/// The SVG whose 32 px rendering `image` is, empty when none is within kSameRendering.
QString matchingSvg(const QImage &image, const QHash<QString, QImage> &renderings)
{
    for (auto it = renderings.cbegin(); it != renderings.cend(); ++it)
        if (maxDifference(image, it.value()) <= kSameRendering)
            return it.key();
    return {};
}

int opaquePixels(const QImage &image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += qAlpha(image.pixel(x, y)) > 0;
    return n;
}

/// The icon at 16×16 for 2 device pixels per pixel: checks its sizes and that it is the SVG drawn
/// at 32 px (not a 16 px picture scaled up); returns the SVG's path.
QString checkSharpIcon(const QIcon &icon, const QString &what, const QHash<QString, QImage> &at32,
                       const QHash<QString, QImage> &at16)
{
    if (icon.isNull())
        return QStringLiteral("%1: no icon").arg(what);
    const QPixmap pixmap = icon.pixmap(kIcon, kDpr);
    if (pixmap.size() != kIcon * 2 || pixmap.devicePixelRatio() != kDpr || pixmap.deviceIndependentSize() != QSizeF(kIcon))
        return QStringLiteral("%1: %2×%3 device pixels at %4, not 32×32 at 2")
            .arg(what)
            .arg(pixmap.width())
            .arg(pixmap.height())
            .arg(pixmap.devicePixelRatio());
    const QImage image = argb(pixmap.toImage());
    if (opaquePixels(image) < 32)
        return QStringLiteral("%1: (nearly) transparent").arg(what);
    const QString svg = matchingSvg(image, at32);
    if (svg.isEmpty())
        return QStringLiteral("%1: not any SVG of :/icons drawn at 32 px").arg(what);
    // The check tells the two apart: the same SVG drawn at 16 px and scaled up is not a match.
    const QImage upscaled = argb(at16.value(svg).scaled(32, 32, Qt::IgnoreAspectRatio, Qt::SmoothTransformation));
    if (maxDifference(upscaled, at32.value(svg)) <= kSameRendering)
        return QStringLiteral("%1: %2 at 16 px scaled up looks the same as at 32 px").arg(what, svg);
    return svg;
}

double luma(QRgb c)
{
    return (0.299 * qRed(c) + 0.587 * qGreen(c) + 0.114 * qBlue(c)) / 255.0;
}

/// A desktop theme's palette, every role in every group: Breeze (light) or Breeze Dark.
QPalette themePalette(bool dark)
{
    QPalette p;
    const auto set = [&p](QPalette::ColorRole role, const char *color, const char *disabled = nullptr) {
        p.setColor(QPalette::All, role, QColor(QLatin1String(color)));
        if (disabled)
            p.setColor(QPalette::Disabled, role, QColor(QLatin1String(disabled)));
    };
    if (dark) {
        set(QPalette::Window, "#202326");
        set(QPalette::WindowText, "#fcfcfc", "#6e7173");
        set(QPalette::Base, "#141618");
        set(QPalette::AlternateBase, "#1d1f22");
        set(QPalette::Text, "#fcfcfc", "#656768");
        set(QPalette::PlaceholderText, "#a1a9b1");
        set(QPalette::Button, "#292c30");
        set(QPalette::ButtonText, "#fcfcfc", "#727679");
        set(QPalette::Light, "#40464c");
        set(QPalette::Midlight, "#33383d");
        set(QPalette::Mid, "#1d2023");
        set(QPalette::Dark, "#141618");
        set(QPalette::Shadow, "#0a0b0c");
        set(QPalette::ToolTipBase, "#292c30");
        set(QPalette::ToolTipText, "#fcfcfc");
        set(QPalette::BrightText, "#ffffff");
        set(QPalette::Highlight, "#3daee9", "#2a2e32");
        set(QPalette::HighlightedText, "#fcfcfc");
        set(QPalette::Link, "#1d99f3");
        set(QPalette::LinkVisited, "#9b59b6");
    } else {
        set(QPalette::Window, "#eff0f1");
        set(QPalette::WindowText, "#232629", "#a0a2a4");
        set(QPalette::Base, "#fcfcfc");
        set(QPalette::AlternateBase, "#f5f6f7");
        set(QPalette::Text, "#232629", "#aaabac");
        set(QPalette::PlaceholderText, "#70777e");
        set(QPalette::Button, "#fcfcfc");
        set(QPalette::ButtonText, "#232629", "#a8a9aa");
        set(QPalette::Light, "#ffffff");
        set(QPalette::Midlight, "#f6f7f7");
        set(QPalette::Mid, "#c4c9cd");
        set(QPalette::Dark, "#888e93");
        set(QPalette::Shadow, "#474a4c");
        set(QPalette::ToolTipBase, "#f7f7f7");
        set(QPalette::ToolTipText, "#232629");
        set(QPalette::BrightText, "#ffffff");
        set(QPalette::Highlight, "#3daee9", "#eff0f1");
        set(QPalette::HighlightedText, "#ffffff");
        set(QPalette::Link, "#2980b9");
        set(QPalette::LinkVisited, "#9b59b6");
    }
    return p;
}

/// Pixels of a region of the window's grab (device pixels).
struct Region
{
    QHash<QRgb, int> counts;
    int pixels = 0;
    double meanLuma = 0;
    int light = 0; ///< pixels of lightness over 0.7
    int dark = 0;  ///< pixels of lightness under 0.3

    int count(const QColor &c) const { return counts.value(c.rgba()); }
    double share(const QColor &c) const { return pixels ? double(count(c)) / pixels : 0; }
};

Region regionOf(const QImage &grab, const QRect &logical)
{
    Region r;
    const QRect device(logical.topLeft() * 2, logical.size() * 2);
    const QRect rect = device.intersected(grab.rect());
    for (int y = rect.top(); y <= rect.bottom(); ++y)
        for (int x = rect.left(); x <= rect.right(); ++x) {
            const QRgb c = grab.pixel(x, y);
            ++r.counts[c];
            const double l = luma(c);
            r.meanLuma += l;
            r.light += l > 0.7;
            r.dark += l < 0.3;
        }
    r.pixels = rect.width() * rect.height();
    if (r.pixels)
        r.meanLuma /= r.pixels;
    return r;
}

QRect rectIn(QWidget *window, QWidget *widget)
{
    return QRect(widget->mapTo(window, QPoint(0, 0)), widget->size());
}

} // namespace

class TstHighDpi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void windowAtTwoDevicePixels();
    void iconsAreVectorsDrawnSharp();
    void tablePaintsIconsSharp();
    void rowsFitTheFont();
    void noHardCodedItemColours();
    void bannerIconIsSharp();
    void followsLightAndDarkPalettes();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::SandboxServer> m_sandbox;
    std::unique_ptr<MemorySecretStore> m_secrets;
    std::unique_ptr<MainWindow> m_window;
};

void TstHighDpi::initTestCase()
{
    // Without this, every check below would pass at 1× and prove nothing.
    QCOMPARE(qApp->devicePixelRatio(), kDpr);
    QVERIFY(m_dir.isValid());
    QCoreApplication::setOrganizationName(QStringLiteral("KinesisWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_highdpi"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_dir.path());
    QSettings().clear();
    // The style that paints with the palette it is given (a desktop's theme sets that palette).
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(themePalette(false));

    sandbox::SandboxOptions options;
    options.initialStreams = {sandbox::InitialStream{QStringLiteral("demo"), 4}};
    m_sandbox = std::make_unique<sandbox::SandboxServer>(options);
    auto url = m_sandbox->start(0);
    KWB_VERIFY_OK(url);

    m_secrets = std::make_unique<MemorySecretStore>();
    MainWindowServices services;
    services.secrets = m_secrets.get();
    services.environment = aws::Environment::fromMap({}, QString());
    services.restoreSession = false;
    m_window = std::make_unique<MainWindow>(services);
    MainWindow &w = *m_window;
    w.resize(1280, 760);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    w.setSandbox(url.value());
    w.setSandboxServer(m_sandbox.get());
    QTRY_COMPARE(w.connection()->state(), ConnectionController::State::Connected);
    QTRY_VERIFY(w.workspace()->streamName() == QLatin1String("demo") && w.workspace()->hasStreamMap());
    w.loadSample();
    QTRY_VERIFY(w.workspace()->rowCount() == 50 && !w.importer()->isRunning());

    // Ten records/s per shard: some rows succeed, most come back throttled (two kinds of icons),
    // with flow control off and 3 attempts (by default the send would pace and finish every row).
    m_sandbox->setLimitScale(0.01);
    send::SendOptions unpaced = w.sendBar()->options();
    unpaced.flowControl = false;
    unpaced.maxAttempts = 3;
    w.sendBar()->setOptions(unpaced);
    w.action(QStringLiteral("sendAll"))->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!w.sender()->isRunning() && w.sender()->counters().attempted > 0, kSendTimeoutMs);
    QTRY_VERIFY(w.sender()->failedRows() > 0 && w.sender()->failedRows() < 50);
    w.recordsView()->clearSelection();

    auto *shardDock = w.findChild<QDockWidget *>(QStringLiteral("shardDock"));
    QVERIFY(shardDock);
    shardDock->raise();
    QTRY_VERIFY(!w.shardPanel()->bar()->visibleRegion().isEmpty());
}

void TstHighDpi::cleanupTestCase()
{
    m_window.reset();
    m_sandbox.reset();
}

void TstHighDpi::windowAtTwoDevicePixels()
{
    MainWindow &w = *m_window;
    QCOMPARE(w.devicePixelRatioF(), kDpr);
    QCOMPARE(w.recordsView()->viewport()->devicePixelRatioF(), kDpr);
    const QPixmap grab = w.grab();
    QCOMPARE(grab.devicePixelRatio(), kDpr);
    QCOMPARE(grab.size(), w.size() * 2);
    QCOMPARE(grab.deviceIndependentSize(), QSizeF(w.size()));
}

void TstHighDpi::iconsAreVectorsDrawnSharp()
{
    const QHash<QString, QImage> at32 = svgRenderings(32);
    const QHash<QString, QImage> at16 = svgRenderings(16);
    QVERIFY2(at32.size() >= 20, "the SVG image plugin reads :/icons");

    QStringList problems;
    QSet<QString> statusSvgs;
    for (DisplayStatus s : kStatuses) {
        const QString what = QStringLiteral("status %1").arg(RowCells::statusText(s));
        const QString svg = checkSharpIcon(Icons::status(s), what, at32, at16);
        if (!svg.startsWith(QLatin1String(":/icons/")))
            problems << svg;
        statusSvgs.insert(svg);
    }
    // Shape, not only colour, tells the states apart: a picture each.
    QCOMPARE(statusSvgs.size(), int(std::size(kStatuses)));

    for (const char *name : {"sendAll", "sendSelected", "retryFailed", "cancelSend", "undo", "redo", "addRow",
                             "duplicateRows", "deleteRows", "openFile", "exportResultsJsonl", "customEndpoint"}) {
        QAction *action = m_window->action(QLatin1String(name));
        const QString what = QStringLiteral("action %1").arg(QLatin1String(name));
        const QString svg = action ? checkSharpIcon(action->icon(), what, at32, at16) : QStringLiteral("no %1").arg(what);
        if (!svg.startsWith(QLatin1String(":/icons/")))
            problems << svg;
    }
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

void TstHighDpi::tablePaintsIconsSharp()
{
    // The Status cells of a succeeded and a throttled row, as painted in the table at 2×: their
    // icon is the SVG drawn at 32 px over the cell's background, pixel for pixel.
    MainWindow &w = *m_window;
    RecordsView *view = w.recordsView();
    // The Status column is in View ▸ Columns since the compact Result column took its place.
    view->setColumnHidden(int(RecordColumn::Status), false);
    view->horizontalHeader()->moveSection(view->horizontalHeader()->visualIndex(int(RecordColumn::Status)), 1);
    const QHash<QString, QImage> at32 = svgRenderings(32);
    for (DisplayStatus status : {DisplayStatus::Succeeded, DisplayStatus::Throttled}) {
        const QString file = status == DisplayStatus::Succeeded ? QStringLiteral(":/icons/status-succeeded.svg")
                                                                : QStringLiteral(":/icons/status-throttled.svg");
        QModelIndex cell;
        for (int r = 0; r < w.recordsModel()->rowCount() && !cell.isValid(); ++r) {
            const QModelIndex i = w.recordsModel()->index(r, int(RecordColumn::Status));
            if (i.data(RecordsModel::DisplayStatusRole).toInt() == int(status))
                cell = i;
        }
        QVERIFY2(cell.isValid(), qPrintable(RowCells::statusText(status)));
        view->scrollTo(cell);
        const QRect rect = view->visualRect(cell);
        QVERIFY(view->viewport()->rect().contains(rect));
        const QImage grab = argb(view->viewport()->grab(rect).toImage());
        QCOMPARE(grab.size(), rect.size() * 2);

        // The background: the cell's most common colour.
        QHash<QRgb, int> counts;
        for (int y = 0; y < grab.height(); ++y)
            for (int x = 0; x < grab.width(); ++x)
                ++counts[grab.pixel(x, y)];
        QRgb background = 0;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            if (it.value() > counts.value(background))
                background = it.key();
        const auto over = [&](const QImage &icon) {
            QImage composed(icon.size(), QImage::Format_ARGB32_Premultiplied);
            composed.fill(QColor::fromRgba(background));
            QPainter(&composed).drawImage(0, 0, icon);
            return composed;
        };
        const QImage sharp = over(at32.value(file));
        const QImage blurred = over(argb(at32.value(file).scaled(16, 16, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                                             .scaled(32, 32, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)));
        QVERIFY(!sharp.isNull());
        int bestSharp = 256;
        int bestBlurred = 256;
        for (int y = 0; y + 32 <= grab.height(); ++y)
            for (int x = 0; x + 32 <= grab.width(); ++x) {
                const QImage patch = grab.copy(x, y, 32, 32);
                bestSharp = std::min(bestSharp, maxDifference(patch, sharp));
                bestBlurred = std::min(bestBlurred, maxDifference(patch, blurred));
            }
        qInfo("%s: best match %d with the SVG at 32 px, %d with it at 16 px scaled up", qPrintable(RowCells::statusText(status)),
              bestSharp, bestBlurred);
        QVERIFY2(bestSharp <= kSameRendering, qPrintable(RowCells::statusText(status)));
        QVERIFY(bestBlurred > kSameRendering);
    }
}

void TstHighDpi::rowsFitTheFont()
{
    // Rows are as tall as the font's line plus a margin, whatever the font: a table made under a
    // font twice as large has rows taller by exactly the difference of the lines.
    RecordsView *view = m_window->recordsView();
    const int line = QFontMetrics(view->font()).height();
    const int row = view->rowHeight(0);
    QVERIFY2(row >= line + 2 && row >= kIcon.height() + 2, qPrintable(QStringLiteral("row %1, line %2").arg(row).arg(line)));
    QVERIFY(row <= line * 2);

    const QFont normal = QApplication::font();
    QFont large = normal;
    large.setPointSizeF(normal.pointSizeF() * 2);
    QApplication::setFont(large);
    const int largeRow = RecordsView().verticalHeader()->defaultSectionSize();
    // The open window's table follows the change too (a desktop font size changed while the
    // app runs), and comes back with the font.
    QTRY_COMPARE(view->rowHeight(0), largeRow);
    QApplication::setFont(normal);
    QTRY_COMPARE(view->rowHeight(0), row);
    const int largeLine = QFontMetrics(large).height();
    QVERIFY(largeLine > line);
    QCOMPARE(largeRow - row, largeLine - line);
}

void TstHighDpi::noHardCodedItemColours()
{
    // Text and backgrounds come from the palette: no role says a colour, for any row (succeeded
    // or throttled by the send) or request in the log.
    const auto check = [](const QAbstractItemModel *model) {
        QVERIFY(model->rowCount() > 0);
        for (int r = 0; r < model->rowCount(); ++r)
            for (int c = 0; c < model->columnCount(); ++c)
                for (int role : {int(Qt::ForegroundRole), int(Qt::BackgroundRole)}) {
                    const QVariant v = model->index(r, c).data(role);
                    QVERIFY2(!v.isValid(), qPrintable(QStringLiteral("%1 row %2 column %3 role %4: %5")
                                                          .arg(QLatin1String(model->metaObject()->className()))
                                                          .arg(r).arg(c).arg(role).arg(v.toString())));
                }
        for (int c = 0; c < model->columnCount(); ++c)
            for (int role : {int(Qt::ForegroundRole), int(Qt::BackgroundRole)})
                QVERIFY(!model->headerData(c, Qt::Horizontal, role).isValid());
    };
    check(m_window->recordsModel());
    check(m_window->requestLog());
}

void TstHighDpi::bannerIconIsSharp()
{
    // The banner draws its icon into a pixmap itself: at the screen's 2×, the size of a line.
    Banner *banner = m_window->banner();
    banner->showMessage(Banner::Kind::Warning, QStringLiteral("A warning for the window, not a row."));
    QTRY_VERIFY(banner->isVisible());
    QPixmap icon;
    for (QLabel *label : banner->findChildren<QLabel *>())
        if (!label->pixmap().isNull())
            icon = label->pixmap();
    QVERIFY(!icon.isNull());
    const int side = QFontMetrics(banner->font()).height() + 4;
    QCOMPARE(icon.devicePixelRatio(), kDpr);
    QCOMPARE(icon.deviceIndependentSize(), QSizeF(side, side));
    QImageReader reader(QStringLiteral(":/icons/warning.svg"));
    reader.setScaledSize(QSize(side, side) * 2);
    QVERIFY(maxDifference(argb(icon.toImage()), argb(reader.read())) <= kSameRendering);
}

void TstHighDpi::followsLightAndDarkPalettes()
{
    MainWindow &w = *m_window;
    QWidget *table = w.recordsView()->viewport();
    QWidget *bar = w.shardPanel()->bar();
    QStringList problems;
    double tableLuma[2] = {};
    double barLuma[2] = {};
    for (bool dark : {false, true}) {
        const QPalette pal = themePalette(dark);
        const QPalette other = themePalette(!dark);
        const char *name = dark ? "dark" : "light";
        QApplication::setPalette(pal);
        QTRY_COMPARE(table->palette().color(QPalette::Base), pal.color(QPalette::Base));
        QTRY_COMPARE(bar->palette().color(QPalette::Text), pal.color(QPalette::Text));
        const QImage grab = w.grab().toImage().convertToFormat(QImage::Format_RGB32);
        QCOMPARE(grab.size(), w.size() * 2);

        // The table: its background is the palette's Base and AlternateBase, its text the Text.
        const Region t = regionOf(grab, rectIn(&w, table));
        tableLuma[dark] = t.meanLuma;
        qInfo("%s: table %.0f%% Base, %.0f%% AlternateBase, %d Text pixels, mean lightness %.2f", name,
              100 * t.share(pal.color(QPalette::Base)), 100 * t.share(pal.color(QPalette::AlternateBase)),
              t.count(pal.color(QPalette::Text)), t.meanLuma);
        if (t.share(pal.color(QPalette::Base)) + t.share(pal.color(QPalette::AlternateBase)) < 0.5)
            problems << QStringLiteral("%1: the table is not painted with Base and AlternateBase").arg(QLatin1String(name));
        if (t.share(pal.color(QPalette::Base)) < 0.1 || t.share(pal.color(QPalette::AlternateBase)) < 0.1)
            problems << QStringLiteral("%1: the table's rows do not alternate Base and AlternateBase").arg(QLatin1String(name));
        if (t.count(pal.color(QPalette::Text)) < 100)
            problems << QStringLiteral("%1: the table's text is not in the Text colour").arg(QLatin1String(name));

        // The banner (left up by bannerIconIsSharp): on AlternateBase.
        const Region banner = regionOf(grab, rectIn(&w, w.banner()));
        if (!w.banner()->isVisible() || banner.share(pal.color(QPalette::AlternateBase)) < 0.5)
            problems << QStringLiteral("%1: the banner is not on AlternateBase").arg(QLatin1String(name));

        // The shard bar: the key space in Base/AlternateBase, labels and markers in the text colours.
        const Region b = regionOf(grab, rectIn(&w, bar));
        barLuma[dark] = b.meanLuma;
        qInfo("%s: shard bar %.0f%% Base or AlternateBase, %.0f%% Window, %d Text pixels, mean lightness %.2f", name,
              100 * (b.share(pal.color(QPalette::Base)) + b.share(pal.color(QPalette::AlternateBase))),
              100 * b.share(pal.color(QPalette::Window)), b.count(pal.color(QPalette::Text)), b.meanLuma);
        if (b.share(pal.color(QPalette::Base)) + b.share(pal.color(QPalette::AlternateBase)) < 0.02)
            problems << QStringLiteral("%1: the shard bar does not paint with Base").arg(QLatin1String(name));
        if (b.count(pal.color(QPalette::Text)) < 20)
            problems << QStringLiteral("%1: the shard bar's labels are not in the Text colour").arg(QLatin1String(name));

        // The whole window: no background of the other palette left (a few pixels of its
        // colours may happen in icons and text; a stale widget is more than a 16×16 patch), and
        // no patch (16×16) mostly of the other palette's lightness: text covers less than half of
        // one, and the accent (Highlight, mid-light in both palettes) counts as neither.
        const Region all = regionOf(grab, w.rect());
        QSet<QRgb> ours;
        for (int role = 0; role < QPalette::NColorRoles; ++role)
            for (QPalette::ColorGroup group : {QPalette::Active, QPalette::Inactive, QPalette::Disabled})
                ours.insert(pal.color(group, QPalette::ColorRole(role)).rgba());
        for (QPalette::ColorRole role : {QPalette::Window, QPalette::Base, QPalette::AlternateBase, QPalette::Button})
            if (!ours.contains(other.color(role).rgba()) && all.count(other.color(role)) > 16 * 16 * 4)
                problems << QStringLiteral("%1: %2 pixels in the other palette's colour %3")
                                .arg(QLatin1String(name)).arg(all.count(other.color(role))).arg(other.color(role).name());
        double mostWrong = 0;
        for (int y = 0; y + 16 <= w.height(); y += 16)
            for (int x = 0; x + 16 <= w.width(); x += 16) {
                const QRect tile(x, y, 16, 16);
                const Region r = regionOf(grab, tile);
                const double l = double(dark ? r.light : r.dark) / r.pixels;
                mostWrong = std::max(mostWrong, l);
                if (l > 0.6) {
                    QWidget *under = w.childAt(tile.center());
                    problems << QStringLiteral("%1: the patch at %2,%3 (%4 %5) is %6% %7")
                                    .arg(QLatin1String(name)).arg(x).arg(y)
                                    .arg(under ? QLatin1String(under->metaObject()->className()) : QLatin1String("window"),
                                         under ? under->objectName() : QString())
                                    .arg(100 * l, 0, 'f', 0)
                                    .arg(QLatin1String(dark ? "light" : "dark"));
                }
            }
        qInfo("%s: the most %s patch is %.0f%% so", name, dark ? "light" : "dark", 100 * mostWrong);
        if (!qEnvironmentVariableIsEmpty("KWB_HIGHDPI_SAVE"))
            grab.save(QStringLiteral("%1/highdpi-%2.png").arg(qEnvironmentVariable("KWB_HIGHDPI_SAVE"), QLatin1String(name)));
    }
    QApplication::setPalette(themePalette(false));
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    // Light on the light palette, dark on the dark one.
    QVERIFY2(tableLuma[0] > 0.7 && tableLuma[1] < 0.3, qPrintable(QStringLiteral("%1 %2").arg(tableLuma[0]).arg(tableLuma[1])));
    QVERIFY2(barLuma[0] > 0.6 && barLuma[1] < 0.4, qPrintable(QStringLiteral("%1 %2").arg(barLuma[0]).arg(barLuma[1])));
}

int main(int argc, char *argv[])
{
    // Before QApplication: two device pixels per pixel on the (offscreen) screen.
    qputenv("QT_SCALE_FACTOR", "2");
    qunsetenv("QT_SCREEN_SCALE_FACTORS");
    qunsetenv("QT_ENABLE_HIGHDPI_SCALING");
    qunsetenv("QT_SCALE_FACTOR_ROUNDING_POLICY");
    qunsetenv("QT_FONT_DPI");
    QApplication app(argc, argv);
    TstHighDpi test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_highdpi.moc"
