#include "dialogs/CreateStreamDialog.h"

#include "controllers/StreamController.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace kwb::ui {

CreateStreamDialog::CreateStreamDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("createStreamDialog"));
    setWindowTitle(tr("Create stream"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("streamName"));
    m_name->setMaxLength(128);
    m_shards = new QSpinBox(this);
    m_shards->setObjectName(QStringLiteral("shardCount"));
    m_shards->setRange(1, 500);
    m_shards->setValue(2);
    m_shards->setToolTip(tr("Each shard takes up to 1,000 records/s and 1 MiB/s of writes"));
    m_onDemand = new QCheckBox(tr("On-demand capacity (no shard count to manage)"), this);
    m_onDemand->setObjectName(QStringLiteral("onDemand"));
    form->addRow(tr("&Name"), m_name);
    form->addRow(tr("&Shards"), m_shards);
    form->addRow(QString(), m_onDemand);
    layout->addLayout(form);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("createStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_create = buttons->button(QDialogButtonBox::Ok);
    m_create->setText(tr("Create"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_create, &QPushButton::clicked, this, [this] {
        m_creating = true;
        validate();
        m_status->setText(tr("Creating %1…").arg(streamName()));
        Q_EMIT createRequested(streamName(), shardCount());
    });
    connect(m_name, &QLineEdit::textChanged, this, &CreateStreamDialog::validate);
    connect(m_onDemand, &QCheckBox::toggled, this, &CreateStreamDialog::validate);
    validate();
}

QString CreateStreamDialog::streamName() const
{
    return m_name->text().trimmed();
}

int CreateStreamDialog::shardCount() const
{
    return m_onDemand->isChecked() ? 0 : m_shards->value();
}

void CreateStreamDialog::setValues(const QString &name, int shardCount)
{
    m_name->setText(name);
    m_onDemand->setChecked(shardCount == 0);
    if (shardCount > 0)
        m_shards->setValue(shardCount);
}

void CreateStreamDialog::setProgress(const QString &status, qint64 elapsedMs)
{
    m_status->setText(tr("%1: %2 (%3 s)").arg(streamName(), status).arg(elapsedMs / 1000));
}

void CreateStreamDialog::setFailed(const QString &problem)
{
    m_creating = false;
    m_status->setText(tr("Could not create the stream: %1").arg(problem));
    validate();
}

QString CreateStreamDialog::statusText() const
{
    return m_status->text();
}

void CreateStreamDialog::validate()
{
    m_shards->setEnabled(!m_onDemand->isChecked() && !m_creating);
    const auto valid = StreamController::validateStreamName(streamName());
    if (!m_creating)
        m_status->setText(streamName().isEmpty() || valid.ok() ? QString() : valid.error().message);
    m_create->setEnabled(valid.ok() && !m_creating);
    m_name->setEnabled(!m_creating);
    m_onDemand->setEnabled(!m_creating);
}

} // namespace kwb::ui
