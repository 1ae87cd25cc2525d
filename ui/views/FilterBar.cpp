#include "views/FilterBar.h"

#include "ShardMap.h"
#include "views/ElidingComboBox.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSignalBlocker>
#include <QToolButton>

namespace kwb::ui {

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    m_status = new QComboBox(this);
    m_status->setObjectName(QStringLiteral("statusFilter"));
    m_status->setToolTip(tr("Show rows in this state"));
    const std::pair<RowFilter::Status, QString> states[] = {
        {RowFilter::Status::All, tr("All rows")},
        {RowFilter::Status::Failed, tr("Failed")},
        {RowFilter::Status::Throttled, tr("Throttled")},
        {RowFilter::Status::Succeeded, tr("Succeeded")},
        {RowFilter::Status::Pending, tr("Pending")},
        {RowFilter::Status::Invalid, tr("Invalid")},
        {RowFilter::Status::Mismatched, tr("Shard mismatch")},
    };
    for (const auto &[status, text] : states)
        m_status->addItem(text, int(status));
    m_status->setItemData(2, tr("Rows throttled at least once (ProvisionedThroughputExceededException): a shard was over "
                                "its write limit."),
                          Qt::ToolTipRole);
    m_status->setItemData(6, tr("Rows that landed on another shard than predicted."), Qt::ToolTipRole);

    // Shard ids and error codes are long: these two give way when the window is narrow.
    m_shard = new ElidingComboBox(Qt::ElideMiddle, this);
    m_shard->setObjectName(QStringLiteral("shardFilter"));
    m_shard->setToolTip(tr("Show rows of one shard"));
    m_shard->setMinimumContentsLength(10);
    m_shard->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_shard->addItem(tr("All shards"), QString());

    m_shardSource = new QComboBox(this);
    m_shardSource->setObjectName(QStringLiteral("shardSource"));
    m_shardSource->addItem(tr("predicted"), int(RowFilter::ShardSource::Predicted));
    m_shardSource->addItem(tr("actual"), int(RowFilter::ShardSource::Actual));
    m_shardSource->setToolTip(tr("Filter by the shard the row should land on (predicted) or did land on (actual)"));

    m_errorCode = new ElidingComboBox(Qt::ElideMiddle, this);
    m_errorCode->setObjectName(QStringLiteral("errorFilter"));
    m_errorCode->setToolTip(tr("Show rows with this error code"));
    m_errorCode->setMinimumContentsLength(10);
    m_errorCode->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_errorCode->addItem(tr("Any error"), QString());

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("keySearch"));
    m_search->setPlaceholderText(tr("Search partition keys"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Show rows whose partition key contains this text (any case)"));
    m_search->setMinimumWidth(m_search->fontMetrics().averageCharWidth() * 10); // room to see what is typed

    m_clear = new QToolButton(this);
    m_clear->setText(tr("Clear"));
    m_clear->setToolTip(tr("Show all rows"));
    m_clear->setAutoRaise(true);

    m_shown = new QLabel(this);
    m_shown->setObjectName(QStringLiteral("shownRows"));
    m_shown->setToolTip(tr("Rows the filter shows, of all rows"));

    layout->addWidget(m_status);
    layout->addWidget(m_shard);
    layout->addWidget(m_shardSource);
    layout->addWidget(m_errorCode);
    layout->addWidget(m_search, 1);
    layout->addWidget(m_clear);
    layout->addWidget(m_shown);

    m_typing.setSingleShot(true);
    m_typing.setInterval(kTypingDelayMs);
    connect(&m_typing, &QTimer::timeout, this, &FilterBar::emitChange);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_typing.start(); });
    connect(m_search, &QLineEdit::returnPressed, this, &FilterBar::emitChange);
    for (QComboBox *box : {m_status, m_shard, m_shardSource, m_errorCode})
        connect(box, &QComboBox::currentIndexChanged, this, &FilterBar::emitChange);
    connect(m_clear, &QToolButton::clicked, this, [this] { setFilter(RowFilter()); });
}

RowFilter FilterBar::filter() const
{
    RowFilter f;
    f.status = RowFilter::Status(m_status->currentData().toInt());
    f.shardId = m_shard->currentData().toString();
    f.shardSource = RowFilter::ShardSource(m_shardSource->currentData().toInt());
    f.errorCode = m_errorCode->currentData().toString();
    f.keyText = m_search->text();
    return f;
}

void FilterBar::setFilter(const RowFilter &filter)
{
    m_updating = true;
    m_status->setCurrentIndex(std::max(0, m_status->findData(int(filter.status))));
    int shard = m_shard->findData(filter.shardId);
    if (shard < 0 && !filter.shardId.isEmpty()) {
        m_shard->addItem(filter.shardId, filter.shardId);
        shard = m_shard->count() - 1;
    }
    m_shard->setCurrentIndex(std::max(0, shard));
    m_shardSource->setCurrentIndex(std::max(0, m_shardSource->findData(int(filter.shardSource))));
    int code = m_errorCode->findData(filter.errorCode);
    if (code < 0 && !filter.errorCode.isEmpty()) {
        m_errorCode->addItem(filter.errorCode, filter.errorCode);
        code = m_errorCode->count() - 1;
    }
    m_errorCode->setCurrentIndex(std::max(0, code));
    m_search->setText(filter.keyText);
    m_typing.stop();
    m_updating = false;
    emitChange();
}

void FilterBar::setShardMap(const ShardMap &map)
{
    const QString current = m_shard->currentData().toString();
    const QSignalBlocker blocker(m_shard);
    m_shard->clear();
    m_shard->addItem(tr("All shards"), QString());
    // A picker of a thousand shards is no help; beyond that, clicking the shard map still works.
    const int shown = std::min(map.openShardCount(), 1000);
    for (int i = 0; i < shown; ++i)
        m_shard->addItem(map.openShard(i).shardId, map.openShard(i).shardId);
    int index = m_shard->findData(current);
    if (index < 0 && !current.isEmpty()) {
        m_shard->addItem(current, current);
        index = m_shard->count() - 1;
    }
    m_shard->setCurrentIndex(std::max(0, index));
}

void FilterBar::setStats(const WorkspaceStats &stats)
{
    const QLocale locale;
    const QString current = m_errorCode->currentData().toString();
    {
        const QSignalBlocker blocker(m_errorCode);
        m_errorCode->clear();
        m_errorCode->addItem(tr("Any error"), QString());
        for (auto it = stats.errorCodes.begin(); it != stats.errorCodes.end(); ++it)
            m_errorCode->addItem(tr("%1 (%2)").arg(it.key(), locale.toString(it.value())), it.key());
        int index = m_errorCode->findData(current);
        if (index < 0 && !current.isEmpty()) {
            m_errorCode->addItem(current, current);
            index = m_errorCode->count() - 1;
        }
        m_errorCode->setCurrentIndex(std::max(0, index));
    }
    const std::pair<int, qint64> counts[] = {{0, stats.records},  {1, stats.failed},  {2, stats.throttled},
                                             {3, stats.succeeded}, {4, stats.pending}, {5, stats.invalid},
                                             {6, stats.mismatched}};
    static const char *const names[] = {QT_TR_NOOP("All rows"),  QT_TR_NOOP("Failed"),  QT_TR_NOOP("Throttled"),
                                        QT_TR_NOOP("Succeeded"), QT_TR_NOOP("Pending"), QT_TR_NOOP("Invalid"),
                                        QT_TR_NOOP("Shard mismatch")};
    for (const auto &[index, count] : counts)
        m_status->setItemText(index, tr("%1 (%2)").arg(tr(names[index]), locale.toString(count)));
}

void FilterBar::setShownRows(qint64 shown, qint64 total, bool busy)
{
    const QLocale locale;
    if (busy)
        m_shown->setText(tr("Filtering…"));
    else if (shown == total)
        m_shown->setText(tr("%1 rows").arg(locale.toString(total)));
    else
        m_shown->setText(tr("%1 of %2 rows").arg(locale.toString(shown), locale.toString(total)));
}

void FilterBar::showShard(const QString &shardId, RowFilter::ShardSource source)
{
    RowFilter f = filter();
    f.shardId = shardId;
    f.shardSource = source;
    setFilter(f);
}

void FilterBar::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void FilterBar::emitChange()
{
    if (m_updating)
        return;
    m_typing.stop();
    Q_EMIT filterChanged(filter());
}

} // namespace kwb::ui
