#include "GeneratePanel.h"

#include "TemplateHighlighter.h"
#include "controllers/GenerateController.h"
#include "views/GenerateCharts.h"
#include "views/RateControls.h"
#include "generate/LoadForecast.h"
#include "generate/Template.h"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLocale>
#include <QPushButton>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QSaveFile>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {

const QString kSampleDir = QStringLiteral(":/generator");
const QString kDataWhere = QStringLiteral("data template");
const QString kKeyWhere = QStringLiteral("partition key template");
const QString kEhkWhere = QStringLiteral("explicit hash key template");

QPlainTextEdit *makeEditor(QWidget *parent, const char *name, int lines)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(QLatin1String(name));
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    if (lines > 0) {
        const int h = edit->fontMetrics().lineSpacing() * lines + 2 * edit->frameWidth()
                      + int(edit->document()->documentMargin() * 2);
        edit->setFixedHeight(h);
        edit->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        edit->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // it would cover the one line
    }
    return edit;
}

QString oneLine(const QByteArray &data)
{
    QString s = QString::fromUtf8(data.left(400));
    s.replace(QRegularExpression(QStringLiteral("\\s*\\n\\s*")), QStringLiteral(" "));
    return s;
}

} // namespace

GeneratePanel::GeneratePanel(QWidget *parent)
    : QWidget(parent)
    , m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_sample = new QComboBox(this);
    m_sample->setObjectName(QStringLiteral("generateSample"));
    m_sample->addItem(tr("Your own template"), QString());
    for (const QString &name : sampleNames())
        m_sample->addItem(name, name);
    m_sample->setToolTip(tr("Templates shipped with the workbench; choosing one replaces the templates below"));
    form->addRow(tr("S&ample:"), m_sample);

    m_seed = new QLineEdit(this);
    m_seed->setObjectName(QStringLiteral("generateSeed"));
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,20}")), m_seed));
    m_seed->setToolTip(tr("The same templates and seed make the same records"));
    form->addRow(tr("S&eed:"), m_seed);
    auto *files = new QHBoxLayout;
    auto *importButton = new QPushButton(tr("&Import…"), this);
    importButton->setObjectName(QStringLiteral("generateImport"));
    importButton->setToolTip(tr("Read a template file (a KDG template, or one exported here with its .key file)"));
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    exportButton->setObjectName(QStringLiteral("generateExport"));
    exportButton->setToolTip(tr("Write the data template as kwb generate reads it, the key template next to it (.key)"));
    files->addWidget(importButton);
    files->addWidget(exportButton);
    files->addStretch(1);
    form->addRow(tr("Template files:"), files);
    connect(importButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Import a template"), QString(), tr("Templates (*.json *.txt *.csv);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            if (auto r = importTemplates(path); !r.ok())
                showError(r.error().message, nullptr);
        });
        dialog->open();
    });
    connect(exportButton, &QPushButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Export the templates"), QString(), tr("Templates (*.json *.txt *.csv);;All files (*)"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setDefaultSuffix(QStringLiteral("json"));
        connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
            if (auto r = exportTemplates(path); !r.ok())
                showError(r.error().message, nullptr);
        });
        dialog->open();
    });
    layout->addLayout(form);

    auto *dataLabel = new QLabel(tr("&Data template (the whole record; {{helper.name(args)}} placeholders):"), this);
    layout->addWidget(dataLabel);
    m_data = makeEditor(this, "generateDataTemplate", 0);
    dataLabel->setBuddy(m_data);
    layout->addWidget(m_data, 2);

    auto *keyForm = new QFormLayout;
    keyForm->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_key = makeEditor(this, "generateKeyTemplate", 1);
    m_key->setPlaceholderText(tr("empty: a random UUID per record"));
    keyForm->addRow(tr("Partition &key:"), m_key);
    m_ehk = makeEditor(this, "generateEhkTemplate", 1);
    m_ehk->setPlaceholderText(tr("optional: a number from 0 to 2^128-1"));
    keyForm->addRow(tr("E&xplicit hash key:"), m_ehk);
    layout->addLayout(keyForm);

    m_dataHighlighter = new TemplateHighlighter(m_data->document());
    m_keyHighlighter = new TemplateHighlighter(m_key->document());
    m_ehkHighlighter = new TemplateHighlighter(m_ehk->document());

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("generateError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();
    layout->addWidget(m_error);

    m_mapLabel = new QLabel(this);
    m_mapLabel->setObjectName(QStringLiteral("generateMapLabel"));
    m_mapLabel->setWordWrap(true);
    layout->addWidget(m_mapLabel);

    m_table = new QTableWidget(kPreviewRows, 4, this);
    m_table->setObjectName(QStringLiteral("generatePreview"));
    m_table->setHorizontalHeaderLabels({tr("#"), tr("Partition key"), tr("Shard"), tr("Data")});
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    const int ch = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(0, 4 * ch);
    m_table->setColumnWidth(1, 18 * ch);
    m_table->setColumnWidth(2, 22 * ch);
    layout->addWidget(m_table, 3);
    layout->addWidget(makeRunControls());

    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);
    connect(m_debounce, &QTimer::timeout, this, &GeneratePanel::refreshNow);
    for (QPlainTextEdit *edit : {m_data, m_key, m_ehk})
        connect(edit, &QPlainTextEdit::textChanged, this, &GeneratePanel::scheduleRefresh);
    connect(m_seed, &QLineEdit::textChanged, this, &GeneratePanel::scheduleRefresh);
    connect(m_sample, &QComboBox::activated, this, [this](int index) {
        const QString name = m_sample->itemData(index).toString();
        if (!name.isEmpty())
            loadSample(name);
    });

    auto map = ShardMap::uniform(1);
    m_map = map.ok() ? map.value() : ShardMap();
    setSeed(generate::RecordGenerator::randomSeed() % 1000000);
    loadSample(QStringLiteral("clickstream"));
    refreshNow();
}

QStringList GeneratePanel::sampleNames()
{
    QStringList names;
    for (const QString &file : QDir(kSampleDir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name))
        names << file.chopped(5);
    return names;
}

bool GeneratePanel::loadSample(const QString &name)
{
    QFile data(kSampleDir + QLatin1Char('/') + name + QStringLiteral(".json"));
    if (!data.open(QIODevice::ReadOnly))
        return false;
    generate::GeneratorTemplates t;
    t.data = QString::fromUtf8(data.readAll());
    QFile key(kSampleDir + QLatin1Char('/') + name + QStringLiteral(".key"));
    if (key.open(QIODevice::ReadOnly))
        t.key = QString::fromUtf8(key.readAll()).trimmed();
    m_loadingSample = true;
    setTemplates(t);
    m_loadingSample = false;
    m_sample->setCurrentIndex(std::max(0, m_sample->findData(name)));
    return true;
}

void GeneratePanel::setShardMap(const ShardMap &map, const QString &stream)
{
    m_map = map;
    m_stream = stream;
    fillPreview();
    updateForecast();
    updateRunButtons();
}

void GeneratePanel::setTemplates(const generate::GeneratorTemplates &templates)
{
    m_data->setPlainText(templates.data);
    m_key->setPlainText(templates.key);
    m_ehk->setPlainText(templates.explicitHashKey);
}

generate::GeneratorTemplates GeneratePanel::templates() const
{
    generate::GeneratorTemplates t;
    t.data = m_data->toPlainText();
    t.dataWhere = kDataWhere;
    t.key = m_key->toPlainText().trimmed();
    t.explicitHashKey = m_ehk->toPlainText().trimmed();
    return t;
}

void GeneratePanel::setSeed(quint64 seed)
{
    m_seed->setText(QString::number(seed));
}

std::optional<quint64> GeneratePanel::seed() const
{
    bool ok = false;
    const quint64 s = m_seed->text().toULongLong(&ok);
    if (!ok)
        return std::nullopt;
    return s;
}

void GeneratePanel::scheduleRefresh()
{
    if (!m_loadingSample && m_sample->currentIndex() != 0 && sender() != m_seed)
        m_sample->setCurrentIndex(0); // edited: no longer the sample as shipped
    m_debounce->start();
}

Result<generate::RecordGenerator> GeneratePanel::generator() const
{
    const generate::GeneratorTemplates t = templates();
    // Each template on its own first, so an error names the editor it is in.
    if (auto data = generate::Template::parse(t.data, kDataWhere); !data.ok())
        return data.error();
    if (!t.key.isEmpty()) {
        if (auto key = generate::Template::parse(t.key, kKeyWhere, generate::Template::Kind::Text); !key.ok())
            return key.error();
    }
    if (!t.explicitHashKey.isEmpty()) {
        if (auto ehk = generate::Template::parse(t.explicitHashKey, kEhkWhere, generate::Template::Kind::Text); !ehk.ok())
            return ehk.error();
    }
    const auto s = seed();
    if (!s)
        return Error::input(tr("seed: type a whole number from 0 to 18446744073709551615"));
    return generate::RecordGenerator::create(t, *s);
}

void GeneratePanel::refreshNow()
{
    m_debounce->stop();
    m_preview.clear();
    auto generator = this->generator();
    if (!generator.ok()) {
        const QString message = generator.error().message;
        TemplateHighlighter *where = nullptr;
        if (message.startsWith(kDataWhere + QLatin1Char(':')))
            where = m_dataHighlighter;
        else if (message.startsWith(kKeyWhere + QLatin1Char(':')))
            where = m_keyHighlighter;
        else if (message.startsWith(kEhkWhere + QLatin1Char(':')))
            where = m_ehkHighlighter;
        showError(message, where);
    } else {
        auto records = generator.value().preview(kPreviewRows, m_clock());
        if (records.ok()) {
            showError(QString(), nullptr);
            m_preview = std::move(records.value());
        } else {
            showError(records.error().message, nullptr);
        }
    }
    fillPreview();
    updateForecast();
    updateRunButtons();
    Q_EMIT templatesChanged();
}

void GeneratePanel::showError(const QString &message, TemplateHighlighter *where)
{
    m_errorText = message;
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    int line = 0;
    int column = 0;
    static const QRegularExpression position(QStringLiteral("^[^:]*:(\\d+):(\\d+): "));
    if (where) {
        const auto match = position.match(message);
        if (match.hasMatch()) {
            line = match.captured(1).toInt();
            column = match.captured(2).toInt();
        }
    }
    for (TemplateHighlighter *h : {m_dataHighlighter, m_keyHighlighter, m_ehkHighlighter})
        h->setError(h == where ? line : 0, h == where ? column : 0);
}

void GeneratePanel::fillPreview()
{
    if (m_map.isEmpty())
        m_mapLabel->setText(tr("No shard map: the shards are not predicted."));
    else if (m_stream.isEmpty())
        m_mapLabel->setText(tr("Preview of the next %1 records; shards predicted for a virtual stream of %n shard(s).", nullptr,
                               m_map.openShardCount()).arg(kPreviewRows));
    else
        m_mapLabel->setText(tr("Preview of the next %1 records; shards predicted from %2's shard map (%n open shard(s)).", nullptr,
                               m_map.openShardCount()).arg(kPreviewRows).arg(m_stream));
    m_previewShards.clear();
    for (int row = 0; row < kPreviewRows; ++row) {
        const bool has = row < int(m_preview.size());
        QString key, shard, data;
        if (has) {
            const generate::GeneratedRecord &r = m_preview[size_t(row)];
            key = QString::fromUtf8(r.partitionKey);
            const UInt128 hash = r.explicitHashKey ? *r.explicitHashKey : hashPartitionKey(r.partitionKey);
            const Shard *s = m_map.shardFor(hash);
            shard = s ? s->shardId : QString();
            data = oneLine(r.data);
            m_previewShards << shard;
        }
        const QString cells[] = {has ? QString::number(row + 1) : QString(), key, shard, data};
        for (int c = 0; c < 4; ++c) {
            QTableWidgetItem *item = m_table->item(row, c);
            if (!item) {
                item = new QTableWidgetItem;
                m_table->setItem(row, c, item);
            }
            item->setText(cells[c]);
            item->setToolTip(c == 3 && has ? QString::fromUtf8(m_preview[size_t(row)].data.left(4000)) : cells[c]);
        }
    }
}

namespace {

QString sibling(const QString &path, const char *suffix)
{
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + QLatin1String(suffix));
}

Result<void> writeText(const QString &path, const QString &text)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::input(QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
    file.write(text.toUtf8());
    if (!file.commit())
        return Error::input(QStringLiteral("%1: cannot write: %2").arg(path, file.errorString()));
    return {};
}

Result<QString> readText(const QString &path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::input(QStringLiteral("%1: cannot read: %2").arg(path, file.errorString()));
    if (file.size() > maxBytes)
        return Error::input(QStringLiteral("%1: %2 bytes is more than a template may hold (%3); choose the template file, "
                                           "not a data file")
                                .arg(path)
                                .arg(file.size())
                                .arg(maxBytes));
    return QString::fromUtf8(file.readAll());
}

} // namespace

Result<void> GeneratePanel::exportTemplates(const QString &path) const
{
    const generate::GeneratorTemplates t = templates();
    if (auto r = writeText(path, t.data); !r.ok())
        return r;
    const std::pair<const char *, QString> extras[] = {{".key", t.key}, {".ehk", t.explicitHashKey}};
    for (const auto &[suffix, text] : extras) {
        const QString file = sibling(path, suffix);
        if (text.isEmpty()) {
            QFile::remove(file);
            continue;
        }
        if (auto r = writeText(file, text + QLatin1Char('\n')); !r.ok())
            return r;
    }
    return {};
}

Result<void> GeneratePanel::importTemplates(const QString &path)
{
    auto data = readText(path, kMaxTemplateBytes);
    if (!data.ok())
        return data.error();
    generate::GeneratorTemplates t;
    t.data = data.value();
    const QString keyPath = sibling(path, ".key");
    const QString ehkPath = sibling(path, ".ehk");
    for (const auto &[file, into] : {std::pair{keyPath, &t.key}, std::pair{ehkPath, &t.explicitHashKey}}) {
        if (!QFileInfo::exists(file) || file == path)
            continue;
        auto text = readText(file, kMaxTemplateBytes);
        if (!text.ok())
            return text.error();
        *into = text.value().trimmed();
    }
    m_loadingSample = true;
    setTemplates(t);
    m_loadingSample = false;
    m_sample->setCurrentIndex(0);
    refreshNow();
    return {};
}

QWidget *GeneratePanel::makeRunControls()
{
    auto *box = new QGroupBox(tr("Run"), this);
    auto *grid = new QVBoxLayout(box);
    m_rateControls = new RateControls(box);
    grid->addWidget(m_rateControls);

    m_forecast = new QLabel(box);
    m_forecast->setObjectName(QStringLiteral("generateForecast"));
    m_forecast->setWordWrap(true);
    grid->addWidget(m_forecast);

    auto *buttons = new QHBoxLayout;
    m_start = new QPushButton(tr("S&tart"), box);
    m_start->setObjectName(QStringLiteral("generateStart"));
    m_pause = new QPushButton(tr("&Pause"), box);
    m_pause->setObjectName(QStringLiteral("generatePause"));
    m_stop = new QPushButton(tr("St&op"), box);
    m_stop->setObjectName(QStringLiteral("generateStop"));
    buttons->addWidget(m_start);
    buttons->addWidget(m_pause);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);
    grid->addLayout(buttons);

    m_counters = new QLabel(box);
    m_counters->setObjectName(QStringLiteral("generateCounters"));
    m_counters->setWordWrap(true);
    m_counters->setTextInteractionFlags(Qt::TextSelectableByMouse);
    grid->addWidget(m_counters);
    m_charts = new GenerateCharts(box);
    grid->addWidget(m_charts, 1);

    connect(m_rateControls, &RateControls::changed, this, &GeneratePanel::updateForecast);
    connect(m_start, &QPushButton::clicked, this, &GeneratePanel::startRun);
    connect(m_pause, &QPushButton::clicked, this, [this] {
        if (!m_controller)
            return;
        if (m_controller->state() == GenerateController::State::Paused)
            m_controller->resume();
        else
            m_controller->pause();
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        if (m_controller)
            m_controller->stop();
    });
    return box;
}

void GeneratePanel::setController(GenerateController *controller)
{
    m_controller = controller;
    connect(controller, &GenerateController::stateChanged, this, &GeneratePanel::updateRunButtons);
    m_charts->setStats(&controller->stats());
    connect(controller, &GenerateController::sampled, this, [this] {
        m_counters->setText(countersText());
        m_charts->refresh(qint64(m_controller->seconds()));
    });
    connect(controller, &GenerateController::finished, this, [this] {
        m_counters->setText(tr("Finished. ") + countersText());
        // The last second too, however short: the charts then stop with the run.
        m_charts->refresh(qint64(m_controller->seconds()) + 1);
        updateRunButtons();
    });
    connect(controller, &GenerateController::failed, this, [this](const QString &message) {
        m_counters->setText(tr("The run stopped: %1").arg(message));
    });
    updateForecast();
    updateRunButtons();
}

generate::RateSchedule GeneratePanel::schedule() const
{
    auto s = m_rateControls->schedule(m_map.openShardCount());
    return s.ok() ? s.value() : m_rateControls->schedule(m_map.openShardCount(), false).value();
}

workspace::SavedGenerator GeneratePanel::saved() const
{
    workspace::SavedGenerator g;
    const generate::GeneratorTemplates t = templates();
    g.dataTemplate = t.data;
    g.keyTemplate = t.key;
    g.explicitHashKeyTemplate = t.explicitHashKey;
    g.sample = m_sample->currentData().toString();
    g.seed = seed().value_or(0);
    m_rateControls->save(g);
    return g;
}

void GeneratePanel::restore(const std::optional<workspace::SavedGenerator> &kept)
{
    if (!kept)
        return;
    const workspace::SavedGenerator &saved = *kept;
    m_loadingSample = true;
    setTemplates({saved.dataTemplate, kDataWhere, saved.keyTemplate, saved.explicitHashKeyTemplate});
    setSeed(saved.seed);
    m_loadingSample = false;
    m_sample->setCurrentIndex(std::max(0, m_sample->findData(saved.sample)));
    m_rateControls->restore(saved);
    refreshNow();
}

bool GeneratePanel::startRun()
{
    if (!m_controller)
        return false;
    refreshNow();
    auto generator = this->generator();
    if (!generator.ok())
        return false; // shown in place by refreshNow()
    const auto schedule = m_rateControls->schedule(m_map.openShardCount());
    if (!schedule.ok()) {
        m_counters->setText(schedule.error().message);
        return false;
    }
    generator.value().setStartTime(m_clock());
    m_controller->setWindowRows(m_rateControls->windowRows());
    auto started = m_controller->start(std::move(generator.value()), schedule.value(), m_stream, m_map);
    if (!started.ok()) {
        m_counters->setText(started.error().message);
        return false;
    }
    m_counters->setText(tr("Starting…"));
    m_charts->restart();
    return true;
}

void GeneratePanel::updateForecast()
{
    m_overLimit = false;
    if (!m_forecast)
        return;
    const generate::RateSchedule s = schedule();
    const QLocale locale;
    auto generator = m_errorText.isEmpty() ? this->generator() : Result<generate::RecordGenerator>(Error::input(m_errorText));
    if (!generator.ok() || m_map.isEmpty()) {
        m_forecast->setText(m_map.isEmpty() ? tr("No shard map: no load forecast.") : QString());
        return;
    }
    auto sample = generator.value().preview(kForecastSample, m_clock());
    if (!sample.ok()) {
        m_forecast->setText(sample.error().message);
        return;
    }
    const send::ShardLimits limits = m_controller ? m_controller->limits() : send::ShardLimits::documented();
    const auto forecast = generate::LoadForecast::predict(m_map, sample.value(), s.peakRate(), limits);
    const generate::LoadForecast::ShardLoad *busiest = nullptr;
    for (const auto &load : forecast.shards())
        if (!busiest || load.recordsPerSecond > busiest->recordsPerSecond)
            busiest = &load;
    if (!busiest) {
        m_forecast->setText(QString());
        return;
    }
    const QString rate = locale.toString(qRound64(s.peakRate()));
    m_overLimit = forecast.overLimit();
    if (m_overLimit) {
        m_forecast->setText(tr("<b>Above what the stream takes:</b> at %1 records/s, %2 would get %3 records/s and %4 bytes/s "
                               "(%5% of the records), above its limit of %6. With this key spread the stream takes about "
                               "%7 records/s; flow control holds the hot shards at their limit, so the run would fall behind.")
                                .arg(rate, busiest->shardId, locale.toString(qRound64(busiest->recordsPerSecond)),
                                     locale.toString(qRound64(busiest->bytesPerSecond)),
                                     locale.toString(100.0 * busiest->share, 'f', 1), limits.describe().toHtmlEscaped(),
                                     locale.toString(qRound64(forecast.sustainableRate()))));
        m_forecast->setStyleSheet(QStringLiteral("color: #b00020;"));
    } else {
        m_forecast->setText(tr("At %1 records/s the busiest shard, %2, would get %3 records/s (%4% of the records): within "
                               "its limit of %5.")
                                .arg(rate, busiest->shardId, locale.toString(qRound64(busiest->recordsPerSecond)),
                                     locale.toString(100.0 * busiest->share, 'f', 1), limits.describe().toHtmlEscaped()));
        m_forecast->setStyleSheet(QString());
    }
    const QString ramp = s.rateAt(0) != s.peakRate() ? tr("The ramp peaks at %1 records/s. ").arg(rate) : QString();
    m_forecast->setText(ramp + m_forecast->text() + burstForecast(busiest->share, limits));
}

QString GeneratePanel::burstForecast(double busiestShare, const send::ShardLimits &limits) const
{
    // A burst goes out as fast as flow control lets it: say how long the busiest shard takes.
    qint64 largest = 0;
    for (const auto &b : m_rateControls->bursts())
        largest = std::max(largest, b.records);
    if (largest == 0 || limits.unlimited || limits.recordsPerSecond <= 0)
        return QString();
    const QLocale locale;
    const double onBusiest = busiestShare * double(largest);
    return tr(" A burst of %1 records puts about %2 on the busiest shard: at its limit that takes about %3 s, on top of "
              "the rate.")
        .arg(locale.toString(largest), locale.toString(qRound64(onBusiest)),
             locale.toString(onBusiest / limits.recordsPerSecond, 'f', 1));
}

QString GeneratePanel::forecastText() const
{
    return m_forecast ? m_forecast->text() : QString();
}

QString GeneratePanel::countersText() const
{
    if (!m_controller)
        return QString();
    const GenerateController::Sample &s = m_controller->lastSample();
    const QLocale locale;
    return tr("%1 s: %2 sent/s, %3 succeeded/s, %4 throttled/s. Totals: %5 made, %6 succeeded, %7 throttled, %8 failed, "
              "%9 behind.")
        .arg(locale.toString(s.seconds, 'f', 0), locale.toString(qRound64(s.attemptedPerSecond)),
             locale.toString(qRound64(s.succeededPerSecond)), locale.toString(qRound64(s.throttledPerSecond)),
             locale.toString(s.produced), locale.toString(s.totals.succeeded), locale.toString(s.totals.throttled),
             locale.toString(s.totals.failed), locale.toString(s.behind));
}

void GeneratePanel::updateRunButtons()
{
    if (!m_start)
        return;
    const auto state = m_controller ? m_controller->state() : GenerateController::State::Idle;
    const bool idle = state == GenerateController::State::Idle;
    m_start->setEnabled(m_controller && idle && m_errorText.isEmpty() && !m_stream.isEmpty());
    m_start->setToolTip(m_stream.isEmpty() ? tr("Choose a stream in the connection bar to generate into") : QString());
    m_pause->setEnabled(state == GenerateController::State::Running || state == GenerateController::State::Paused);
    m_pause->setText(state == GenerateController::State::Paused ? tr("&Resume") : tr("&Pause"));
    m_stop->setEnabled(state == GenerateController::State::Running || state == GenerateController::State::Paused);
    m_rateControls->setRunning(!idle);
}

} // namespace kwb::ui
