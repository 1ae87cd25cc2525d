#include "views/RateControls.h"

#include "controllers/GenerateController.h"

#include <QCheckBox>
#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace kwb::ui {

namespace {

QSpinBox *makeSpin(QWidget *parent, const char *name, int low, int high, int value, const QString &suffix)
{
    auto *spin = new QSpinBox(parent);
    spin->setObjectName(QLatin1String(name));
    spin->setRange(low, high);
    spin->setValue(value);
    spin->setGroupSeparatorShown(true);
    spin->setSuffix(suffix);
    return spin;
}

} // namespace

RateControls::RateControls(QWidget *parent)
    : QWidget(parent)
    , m_rate(makeSpin(this, "generateRate", 1, 1000000, 100, tr(" records/s")))
    , m_perShard(new QCheckBox(tr("per &shard"), this))
    , m_end(new QComboBox(this))
    , m_endValue(makeSpin(this, "generateEndValue", 1, 1000000000, 1000, QString()))
    , m_ramp(new QCheckBox(tr("R&amp to"), this))
    , m_rampTo(makeSpin(this, "generateRampTo", 1, 1000000, 2000, tr(" records/s")))
    , m_rampSeconds(makeSpin(this, "generateRampSeconds", 1, 86400, 60, tr(" s")))
    , m_bursts(new QLineEdit(this))
    , m_burstError(new QLabel(this))
    , m_window(makeSpin(this, "generateWindowRows", 100, 10000000, GenerateController::kDefaultWindowRows, tr(" rows")))
{
    m_perShard->setObjectName(QStringLiteral("generatePerShard"));
    m_end->setObjectName(QStringLiteral("generateEnd"));
    m_end->addItem(tr("for a count of"));
    m_end->addItem(tr("for seconds:"));
    m_end->addItem(tr("until stopped"));
    m_ramp->setObjectName(QStringLiteral("generateRamp"));
    m_ramp->setToolTip(tr("Start at the rate on the left and rise (or fall) steadily to this rate, then keep it"));
    m_bursts->setObjectName(QStringLiteral("generateBursts"));
    m_bursts->setPlaceholderText(tr("e.g. 5000@30s, 2000@2m"));
    m_bursts->setToolTip(tr("Extra records at moments of the run: RECORDS@TIME, separated by commas (TIME in s, m or h; "
                            "5000 alone is at the start). They go out as fast as flow control lets them."));
    m_burstError->setObjectName(QStringLiteral("generateBurstError"));
    m_burstError->setWordWrap(true);
    m_burstError->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_burstError->hide();
    m_window->setToolTip(tr("The records table keeps this many of the newest generated rows with their results; older "
                            "ones leave it once final. The run's totals count every record."));

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    auto *rateLabel = new QLabel(tr("&Rate:"), this);
    rateLabel->setBuddy(m_rate);
    auto *rateRow = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_rate, m_perShard, m_end, m_endValue})
        rateRow->addWidget(w);
    rateRow->addStretch(1);
    grid->addWidget(rateLabel, 0, 0);
    grid->addLayout(rateRow, 0, 1);

    auto *rampRow = new QHBoxLayout;
    auto *over = new QLabel(tr("over"), this);
    for (QWidget *w : std::initializer_list<QWidget *>{m_ramp, m_rampTo, over, m_rampSeconds})
        rampRow->addWidget(w);
    rampRow->addStretch(1);
    grid->addLayout(rampRow, 1, 1);

    auto *burstLabel = new QLabel(tr("&Bursts:"), this);
    burstLabel->setBuddy(m_bursts);
    grid->addWidget(burstLabel, 2, 0);
    grid->addWidget(m_bursts, 2, 1);
    grid->addWidget(m_burstError, 3, 1);

    auto *windowLabel = new QLabel(tr("&Keep:"), this);
    windowLabel->setBuddy(m_window);
    auto *windowRow = new QHBoxLayout;
    windowRow->addWidget(m_window);
    windowRow->addWidget(new QLabel(tr("in the records table"), this));
    windowRow->addStretch(1);
    grid->addWidget(windowLabel, 4, 0);
    grid->addLayout(windowRow, 4, 1);
    grid->setColumnStretch(1, 1);

    for (QSpinBox *spin : {m_rate, m_rampTo, m_rampSeconds, m_endValue, m_window})
        connect(spin, &QSpinBox::valueChanged, this, &RateControls::changed);
    for (QCheckBox *box : {m_perShard, m_ramp})
        connect(box, &QCheckBox::toggled, this, [this] {
            updateEnabled();
            Q_EMIT changed();
        });
    connect(m_end, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_endValue->setValue(index == 0 ? 1000 : 60);
        updateEnabled();
        Q_EMIT changed();
    });
    connect(m_bursts, &QLineEdit::textChanged, this, [this] {
        const auto s = schedule(1);
        m_burstError->setText(s.ok() ? QString() : s.error().message);
        m_burstError->setVisible(!s.ok());
        Q_EMIT changed();
    });
    updateEnabled();
}

std::vector<generate::RateSchedule::Burst> RateControls::bursts() const
{
    std::vector<generate::RateSchedule::Burst> list;
    for (const QString &part : m_bursts->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto burst = generate::RateSchedule::parseBurst(part.trimmed());
        if (!burst.ok())
            return {};
        list.push_back(burst.value());
    }
    return list;
}

Result<generate::RateSchedule> RateControls::schedule(int shards, bool withBursts) const
{
    generate::RateSchedule s;
    const double perShard = m_perShard->isChecked() ? std::max(1, shards) : 1;
    s.setRate(double(m_rate->value()) * perShard);
    if (m_ramp->isChecked())
        s.setRamp({double(m_rate->value()) * perShard, double(m_rampTo->value()) * perShard, double(m_rampSeconds->value())});
    const QString bursts = withBursts ? m_bursts->text() : QString();
    for (const QString &part : bursts.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        auto burst = generate::RateSchedule::parseBurst(part.trimmed());
        if (!burst.ok()) {
            QString why = burst.error().message;
            why.replace(QStringLiteral("--burst takes"), QStringLiteral("a burst is"));
            return Error::input(tr("bursts: %1").arg(why));
        }
        s.addBurst(burst.value());
    }
    if (m_end->currentIndex() == 0)
        s.setCount(m_endValue->value());
    else if (m_end->currentIndex() == 1)
        s.setDuration(m_endValue->value());
    return s;
}

int RateControls::windowRows() const
{
    return m_window->value();
}

void RateControls::save(workspace::SavedGenerator &saved) const
{
    saved.rate = m_rate->value();
    saved.perShard = m_perShard->isChecked();
    saved.end = workspace::SavedGenerator::End(m_end->currentIndex());
    saved.endValue = m_endValue->value();
    saved.ramp = m_ramp->isChecked();
    saved.rampTo = m_rampTo->value();
    saved.rampSeconds = m_rampSeconds->value();
    saved.bursts = m_bursts->text();
    saved.windowRows = m_window->value();
}

void RateControls::restore(const workspace::SavedGenerator &saved)
{
    m_rate->setValue(saved.rate);
    m_perShard->setChecked(saved.perShard);
    m_end->setCurrentIndex(int(saved.end));
    m_endValue->setValue(int(std::min<qint64>(saved.endValue, m_endValue->maximum())));
    m_ramp->setChecked(saved.ramp);
    m_rampTo->setValue(saved.rampTo);
    m_rampSeconds->setValue(saved.rampSeconds);
    m_bursts->setText(saved.bursts);
    m_window->setValue(saved.windowRows);
    updateEnabled();
}

void RateControls::setRunning(bool running)
{
    m_running = running;
    updateEnabled();
}

void RateControls::updateEnabled()
{
    for (QWidget *w : std::initializer_list<QWidget *>{m_rate, m_perShard, m_end, m_ramp, m_bursts, m_window})
        w->setEnabled(!m_running);
    m_endValue->setEnabled(!m_running && m_end->currentIndex() != 2);
    m_rampTo->setEnabled(!m_running && m_ramp->isChecked());
    m_rampSeconds->setEnabled(!m_running && m_ramp->isChecked());
}

} // namespace kwb::ui
