#include "dialogs/RouteToShardDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

namespace kwb::ui {

RouteToShardDialog::RouteToShardDialog(const ShardMap &map, const std::vector<qint64> &recordsPerShard, int currentShard,
                                       QWidget *parent)
    : QDialog(parent)
    , m_map(map)
{
    setObjectName(QStringLiteral("routeToShardDialog"));
    setWindowTitle(tr("Route to shard"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("An explicit hash key inside a shard's range sends the record to that shard, whatever "
                                "its partition key. Records with the same key still keep their order only within "
                                "one shard."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("shardList"));
    for (int i = 0; i < map.openShardCount(); ++i) {
        const Shard &s = map.openShard(i);
        const qint64 records = size_t(i) < recordsPerShard.size() ? recordsPerShard[size_t(i)] : -1;
        QString text = s.shardId;
        if (records >= 0)
            text += records == 1 ? tr("  ·  1 record") : tr("  ·  %1 records").arg(QLocale().toString(records));
        auto *item = new QListWidgetItem(text, m_list);
        item->setToolTip(tr("Hash keys %1 … %2").arg(hashKeyToString(s.startingHashKey), hashKeyToString(s.endingHashKey)));
    }
    m_list->setCurrentRow(std::clamp(currentShard, 0, std::max(0, map.openShardCount() - 1)));
    layout->addWidget(m_list, 1);

    auto *form = new QFormLayout;
    m_position = new QComboBox(this);
    m_position->setObjectName(QStringLiteral("position"));
    m_position->addItem(tr("Middle of the range"), int(Position::Middle));
    m_position->addItem(tr("Start of the range"), int(Position::Start));
    m_position->addItem(tr("End of the range"), int(Position::End));
    form->addRow(tr("Hash key at"), m_position);
    m_preview = new QLabel(this);
    m_preview->setObjectName(QStringLiteral("preview"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setWordWrap(true);
    form->addRow(tr("Explicit hash key"), m_preview);
    layout->addLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Use this hash key"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, &RouteToShardDialog::updatePreview);
    connect(m_position, &QComboBox::currentIndexChanged, this, &RouteToShardDialog::updatePreview);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    updatePreview();
    resize(520, 420);
}

UInt128 RouteToShardDialog::keyFor(const Shard &shard, Position position)
{
    switch (position) {
    case Position::Start: return shard.startingHashKey;
    case Position::End: return shard.endingHashKey;
    case Position::Middle: break;
    }
    return shard.startingHashKey + (shard.endingHashKey - shard.startingHashKey) / 2;
}

int RouteToShardDialog::chosenShard() const
{
    return m_list->currentRow();
}

UInt128 RouteToShardDialog::chosenHashKey() const
{
    const int shard = chosenShard();
    if (shard < 0 || shard >= m_map.openShardCount())
        return 0;
    return keyFor(m_map.openShard(shard), Position(m_position->currentData().toInt()));
}

void RouteToShardDialog::choose(int openShard, Position position)
{
    m_list->setCurrentRow(openShard);
    m_position->setCurrentIndex(m_position->findData(int(position)));
}

void RouteToShardDialog::updatePreview()
{
    m_preview->setText(chosenShard() < 0 ? QString() : hashKeyToString(chosenHashKey()));
}

} // namespace kwb::ui
