#include "views/LiveStreamPanel.h"

#include "WorkbenchSettings.h"
#include "controllers/LiveStreamController.h"
#include "models/LiveRecordsModel.h"
#include "models/RecordText.h"
#include "models/SentRecordIndex.h"
#include "stream/StartPosition.h"
#include "views/LiveShardStrip.h"
#include "views/StatusColors.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {
enum From { FromLatest, FromTrimHorizon, FromTime, FromSequence };
enum DataView { TextData, JsonData, HexData, Base64Data };
constexpr int kShownDataBytes = 256 * 1024;
} // namespace

LiveStreamPanel::LiveStreamPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new LiveRecordsModel(this))
    , m_controller(new LiveStreamController(this))
{
    const qint64 capacity = std::clamp<qint64>(WorkbenchSettings().liveCapacity().value_or(LiveRecordsModel::kDefaultCapacity), 100, 1000000);
    m_model->setCapacity(capacity);
    m_controller->setCapacity(capacity);
    buildUi();
    m_capacity->setValue(int(capacity));

    connect(m_controller, &LiveStreamController::recordsArrived, this, [this](const QList<stream::ReadRecord> &records) {
        // Follow the newest record unless the user scrolled up to read.
        QScrollBar *bar = m_table->verticalScrollBar();
        const bool atEnd = bar->value() >= bar->maximum() - 2;
        m_model->append(records);
        if (atEnd && !m_table->selectionModel()->hasSelection())
            m_table->scrollToBottom();
        updateStatus();
    });
    connect(m_controller, &LiveStreamController::shardsChanged, this, &LiveStreamPanel::updateStrip);
    connect(m_controller, &LiveStreamController::runningChanged, this, &LiveStreamPanel::updateControls);
    connect(m_controller, &LiveStreamController::failed, this, [this](const Error &error) {
        showMessage(tr("Reading %1 stopped: %2").arg(m_controller->stream(), error.message), true);
    });
    // The connection renews temporary credentials on its client; the reading's client follows.
    m_credentialsCheck = new QTimer(this);
    m_credentialsCheck->setInterval(kCredentialsCheckMs);
    connect(m_credentialsCheck, &QTimer::timeout, this, &LiveStreamPanel::followCredentials);
    updateControls();
    updateStatus();
}

LiveStreamPanel::~LiveStreamPanel() = default;

void LiveStreamPanel::followCredentials()
{
    if (!m_client || !m_controller->isRunning())
        return;
    const aws::Credentials &now = m_client->options().credentials;
    if (now.accessKeyId == m_readingCredentials.accessKeyId && now.secretAccessKey == m_readingCredentials.secretAccessKey
        && now.sessionToken == m_readingCredentials.sessionToken)
        return;
    m_readingCredentials = now;
    m_controller->setCredentials(now);
}

void LiveStreamPanel::buildUi()
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    auto *controls = new QHBoxLayout;
    m_from = new QComboBox(this);
    m_from->setObjectName(QStringLiteral("liveFrom"));
    m_from->addItem(tr("Latest"));
    m_from->addItem(tr("Trim horizon"));
    m_from->addItem(tr("At time"));
    m_from->addItem(tr("At sequence number"));
    m_from->setToolTip(tr("Where to start: records written from now on, the oldest record the stream keeps, a time, or a "
                          "sequence number of one chosen shard"));
    m_fromValue = new QLineEdit(this);
    m_fromValue->setObjectName(QStringLiteral("liveFromValue"));
    m_fromValue->setClearButtonEnabled(true);
    m_shards = new QToolButton(this);
    m_shards->setObjectName(QStringLiteral("liveShards"));
    m_shards->setPopupMode(QToolButton::InstantPopup);
    m_shards->setMenu(new QMenu(m_shards));
    m_shards->setToolTip(tr("The shards to read (and the shards they close into); none chosen: every shard"));
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("liveStart"));
    m_pause = new QPushButton(tr("Pause"), this);
    m_pause->setObjectName(QStringLiteral("livePause"));
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Holds the table still; reading goes on, and Resume shows what arrived meanwhile"));
    m_clear = new QPushButton(tr("Clear"), this);
    m_clear->setObjectName(QStringLiteral("liveClear"));
    controls->addWidget(m_from);
    m_fromValue->setMinimumWidth(m_fromValue->fontMetrics().horizontalAdvance(QLatin1Char('0')) * 30);
    controls->addWidget(m_fromValue, 1);
    controls->addWidget(m_shards);
    controls->addWidget(m_start);
    controls->addWidget(m_pause);
    controls->addWidget(m_clear);
    layout->addLayout(controls);

    auto *second = new QHBoxLayout;
    m_strip = new LiveShardStrip(this);
    m_strip->setObjectName(QStringLiteral("liveShardStrip"));
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("liveFilter"));
    m_filter->setPlaceholderText(tr("Filter by partition key or data text"));
    m_filter->setClearButtonEnabled(true);
    m_capacity = new QSpinBox(this);
    m_capacity->setObjectName(QStringLiteral("liveCapacity"));
    m_capacity->setRange(100, 1000000);
    m_capacity->setSingleStep(10000);
    m_capacity->setGroupSeparatorShown(true);
    m_capacity->setPrefix(tr("Keep "));
    m_capacity->setSuffix(tr(" records"));
    m_capacity->setToolTip(tr("How many of the newest records the view keeps; older ones leave as new ones arrive"));
    second->addWidget(m_strip, 1);
    second->addWidget(m_filter, 1);
    second->addWidget(m_capacity);
    layout->addLayout(second);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("liveStatus"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("liveMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    layout->addWidget(m_status);
    layout->addWidget(m_message);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableView(split);
    m_table->setObjectName(QStringLiteral("liveTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    // Sequence numbers of one shard share a long prefix: the middle goes, the tail that tells
    // them apart stays.
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    // Preset widths in characters: never measured per row.
    const int ch = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[] = {20, 24, 7, 16, 14, 24, 7, 9, 40};
    for (int c = 0; c < LiveRecordsModel::ColumnCount; ++c)
        m_table->setColumnWidth(c, widths[c] * ch);

    auto *detail = new QWidget(split);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    m_dataView = new QComboBox(detail);
    m_dataView->setObjectName(QStringLiteral("liveDataView"));
    m_dataView->addItems({tr("Text"), tr("JSON (pretty)"), tr("Hex"), tr("Base64")});
    m_data = new QPlainTextEdit(detail);
    m_data->setObjectName(QStringLiteral("liveData"));
    m_data->setReadOnly(true);
    m_data->setPlaceholderText(tr("Select a record to see its data"));
    detailLayout->addWidget(m_dataView);
    detailLayout->addWidget(m_data, 1);
    split->addWidget(m_table);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({900, 300}); // the table gets most of the width
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);

    connect(m_from, &QComboBox::currentIndexChanged, this, &LiveStreamPanel::updateControls);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (m_controller->isRunning())
            stopReading();
        else
            startReading();
    });
    connect(m_pause, &QPushButton::toggled, this, &LiveStreamPanel::setPaused);
    connect(m_clear, &QPushButton::clicked, this, &LiveStreamPanel::clear);
    connect(m_filter, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_model->setFilter(text.trimmed());
        updateStatus();
    });
    connect(m_capacity, &QSpinBox::editingFinished, this, [this] {
        m_model->setCapacity(m_capacity->value());
        m_controller->setCapacity(m_capacity->value());
        WorkbenchSettings().setLiveCapacity(m_capacity->value());
        updateStatus();
    });
    connect(m_dataView, &QComboBox::currentIndexChanged, this, &LiveStreamPanel::updateDetail);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetail();
        if (m_selecting)
            return;
        const QModelIndex current = m_table->currentIndex();
        const int sent = current.isValid() ? m_model->sentRow(current.row()) : -1;
        if (sent >= 0)
            Q_EMIT sentRowSelected(sent);
    });
}

void LiveStreamPanel::setClient(net::KinesisClient *client)
{
    if (client != m_client)
        stopReading();
    m_client = client;
    updateControls();
}

void LiveStreamPanel::setStream(const QString &stream)
{
    if (stream != m_stream)
        stopReading();
    m_stream = stream;
    updateControls();
}

void LiveStreamPanel::setShardMap(const ShardMap &map)
{
    m_map = map;
    QMenu *menu = m_shards->menu();
    QStringList chosen = chosenShards();
    menu->clear();
    for (const Shard &s : map.shards()) {
        if (!s.isOpen())
            continue;
        QAction *a = menu->addAction(s.shardId);
        a->setCheckable(true);
        a->setChecked(chosen.contains(s.shardId));
        connect(a, &QAction::toggled, this, &LiveStreamPanel::updateControls);
    }
    updateControls();
    updateStrip();
}

void LiveStreamPanel::setSentIndex(SentRecordIndex *index)
{
    m_sentIndex = index;
    m_model->setSentIndex(index);
}

QStringList LiveStreamPanel::chosenShards() const
{
    QStringList ids;
    for (QAction *a : m_shards->menu()->actions()) {
        if (a->isChecked())
            ids << a->text();
    }
    return ids;
}

bool LiveStreamPanel::startReading()
{
    if (!m_client || m_stream.isEmpty()) {
        showMessage(tr("Connect and choose a stream to read it."), true);
        return false;
    }
    stream::ReaderOptions options;
    options.shardIds = chosenShards();
    const QString value = m_fromValue->text().trimmed();
    switch (m_from->currentIndex()) {
    case FromLatest: options.from = stream::StartPosition::latest(); break;
    case FromTrimHorizon: options.from = stream::StartPosition::trimHorizon(); break;
    case FromTime:
    case FromSequence: {
        auto parsed = stream::StartPosition::parse(value);
        const bool wantSequence = m_from->currentIndex() == FromSequence;
        if (!parsed.ok() || parsed.value().bySequenceNumber() != wantSequence
            || (!wantSequence && parsed.value().type != net::ShardIteratorType::AtTimestamp)) {
            showMessage(wantSequence
                            ? tr("'%1' is not a sequence number: give the digits of one (more than 20 of them).").arg(value)
                            : tr("'%1' is not a time: give one as 2026-12-06T20:15:00Z (a zone is needed) or as epoch seconds.")
                                  .arg(value),
                        true);
            return false;
        }
        if (wantSequence && options.shardIds.size() != 1) {
            showMessage(tr("A sequence number belongs to one shard: choose that shard (and only it) under Shards."), true);
            return false;
        }
        options.from = parsed.value();
        break;
    }
    default: break;
    }
    m_message->hide();
    m_controller->setPaused(m_pause->isChecked());
    m_readingCredentials = m_client->options().credentials;
    m_controller->start(m_client->options(), m_stream, options);
    m_credentialsCheck->start();
    updateStrip();
    updateStatus();
    return true;
}

void LiveStreamPanel::stopReading()
{
    m_controller->stop();
    m_credentialsCheck->stop();
    updateStrip();
    updateStatus();
}

void LiveStreamPanel::setPaused(bool paused)
{
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused); // comes back here through toggled
    m_controller->setPaused(paused);
    m_pause->setText(paused ? tr("Resume") : tr("Pause"));
    updateStatus();
}

void LiveStreamPanel::clear()
{
    m_model->clear();
    m_data->clear();
    updateStatus();
}

bool LiveStreamPanel::showSentRow(int workspaceRow)
{
    if (!m_sentIndex)
        return false;
    const auto [shardId, sequence] = m_sentIndex->recordOf(workspaceRow);
    const int row = shardId.isEmpty() ? -1 : m_model->rowOf(shardId, sequence);
    if (row < 0)
        return false;
    m_selecting = true;
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
    m_selecting = false;
    return true;
}

QString LiveStreamPanel::message() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void LiveStreamPanel::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    QPalette p = m_message->palette();
    p.setColor(QPalette::WindowText, error ? StatusColors::error() : palette().color(QPalette::WindowText));
    m_message->setPalette(p);
    m_message->show();
}

void LiveStreamPanel::updateControls()
{
    const bool running = m_controller->isRunning();
    const int from = m_from->currentIndex();
    m_fromValue->setEnabled(!running && (from == FromTime || from == FromSequence));
    m_fromValue->setPlaceholderText(from == FromTime       ? tr("2026-12-06T20:15:00Z or epoch seconds")
                                    : from == FromSequence ? tr("sequence number")
                                                           : QString());
    m_from->setEnabled(!running);
    m_shards->setEnabled(!running && !m_map.isEmpty());
    const int chosen = int(chosenShards().size());
    m_shards->setText(chosen == 0 ? tr("All shards") : (chosen == 1 ? tr("1 shard") : tr("%1 shards").arg(chosen)));
    m_start->setText(running ? tr("Stop") : tr("Start"));
    m_start->setEnabled(running || (m_client && !m_stream.isEmpty()));
    m_start->setToolTip(m_client && !m_stream.isEmpty() ? tr("Read stream %1 as it is written").arg(m_stream)
                                                        : tr("Connect and choose a stream to read it"));
}

void LiveStreamPanel::updateStatus()
{
    const QLocale locale;
    QString text = tr("%1 records received").arg(locale.toString(m_model->received()));
    if (m_model->aggregatedReceived() > 0)
        text += tr(" (%1 aggregated, holding %2 user records)")
                    .arg(locale.toString(m_model->aggregatedReceived()), locale.toString(m_model->userRecordsReceived()));
    if (m_model->brokenReceived() > 0)
        text += tr(", %1 aggregated but broken (shown with the reason)").arg(locale.toString(m_model->brokenReceived()));
    if (m_model->dropped() > 0)
        text += tr(", the oldest %1 no longer kept").arg(locale.toString(m_model->dropped()));
    if (!m_model->filter().isEmpty())
        text += tr(" · %1 match the filter").arg(locale.toString(m_model->rowCount()));
    const LiveReadStats stats = m_controller->readStats();
    if (stats.calls > 0) {
        text += stats.throttled > 0 ? tr(" · %1 GetRecords calls, %2 throttled (retried later)")
                                          .arg(locale.toString(stats.calls), locale.toString(stats.throttled))
                                    : tr(" · %1 GetRecords calls").arg(locale.toString(stats.calls));
    }
    if (m_controller->isRunning())
        text += m_controller->isPaused() ? tr(" · paused (reading goes on)") : tr(" · reading %1").arg(m_controller->stream());
    m_status->setText(text);
}

void LiveStreamPanel::updateStrip()
{
    QStringList known;
    for (const Shard &s : m_map.shards()) {
        if (s.isOpen())
            known << s.shardId;
    }
    m_strip->setShards(known, m_controller->shardsReading(), m_controller->shardsFinished());
}

void LiveStreamPanel::updateDetail()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid()) {
        m_data->clear();
        return;
    }
    const LiveRow &row = m_model->entry(current.row());
    const QByteArray bytes = row.data().toByteArray();
    const bool large = bytes.size() > kShownDataBytes;
    const QByteArray shown = large ? bytes.left(kShownDataBytes) : bytes;
    const bool text = RecordText::isText(shown, large);
    QString out;
    switch (m_dataView->currentIndex()) {
    case TextData: out = text ? QString::fromUtf8(shown) : RecordText::preview(shown, 4096); break;
    case JsonData: {
        const auto pretty = text && !large ? RecordText::formatJson(shown, true) : Result<QByteArray>(Error::input({}));
        out = pretty.ok()
                  ? QString::fromUtf8(pretty.value())
                  : tr("Not JSON: %1").arg(pretty.error().message.isEmpty() ? tr("binary or too large") : pretty.error().message);
        break;
    }
    case HexData: out = RecordText::toHex(shown); break;
    case Base64Data: out = RecordText::toBase64(shown); break;
    default: break;
    }
    if (large)
        out += tr("\n… (the first %1 of %2 bytes)")
                   .arg(QLocale().toString(kShownDataBytes), QLocale().toString(qint64(bytes.size())));
    if (row.isBroken())
        out = tr("Not unpacked — %1\n\n%2\n\nThe record's bytes:\n%3").arg(row.problem(), row.problemDetail(), out);
    m_data->setPlainText(out);
}

} // namespace kwb::ui
