#include "views/RecordEditorPanel.h"

#include "Icons.h"
#include "dialogs/RouteToShardDialog.h"
#include "models/RecordText.h"
#include "models/RowCells.h"
#include "models/Workspace.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QKeyEvent>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace kwb::ui {

namespace {

/// Data larger than this is shown (read-only) by its first kShownBytes only: laying out
/// megabytes of text, often one long line of JSON, would stall the window.
constexpr qsizetype kLargeViewBytes = 256 * 1024;
constexpr qsizetype kShownBytes = 16 * 1024;

QString outcomeName(send::AttemptOutcome outcome)
{
    switch (outcome) {
    case send::AttemptOutcome::Succeeded: return RecordEditorPanel::tr("succeeded");
    case send::AttemptOutcome::Throttled: return RecordEditorPanel::tr("throttled");
    case send::AttemptOutcome::Failed: return RecordEditorPanel::tr("failed");
    case send::AttemptOutcome::RequestFailed: return RecordEditorPanel::tr("request failed");
    }
    return {};
}

QLabel *issueLabel(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setVisible(false);
    return label;
}

/// The scrolled part of the panel. Its height for a width is the least its layout needs there
/// (QScrollArea asks for it): when the dock is short the data views shrink before anything
/// scrolls away, and when it is tall they take the room.
class EditorContent : public QWidget
{
public:
    using QWidget::QWidget;

    int heightForWidth(int width) const override
    {
        return layout() ? layout()->totalMinimumHeightForWidth(width) : QWidget::heightForWidth(width);
    }
};

void showIssue(QLabel *label, const QString &text)
{
    label->setVisible(!text.isEmpty());
    if (text.isEmpty())
        return;
    const int size = label->fontMetrics().height();
    label->setText(QStringLiteral("<img src=\":/icons/issue.svg\" width=\"%1\" height=\"%1\"> %2").arg(size).arg(text.toHtmlEscaped()));
}

} // namespace

RecordEditorPanel::RecordEditorPanel(Workspace *workspace, QWidget *parent)
    : ScrollingPanel(QStringLiteral("editorScroll"), parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("recordEditor"));
    auto *content = new EditorContent(this);
    content->setObjectName(QStringLiteral("editorContent"));
    auto *layout = new QVBoxLayout(content);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("editorTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows); // labels above their fields when narrow
    m_key = new QLineEdit(this);
    m_key->setObjectName(QStringLiteral("partitionKeyEdit"));
    m_key->setToolTip(tr("Partition key: 1 to 256 characters. Kinesis hashes it with MD5 to pick the shard; records with "
                         "the same key land on the same shard, in order."));
    m_keyIssue = issueLabel(this, "partitionKeyIssue");
    auto *keyBox = new QVBoxLayout;
    keyBox->addWidget(m_key);
    keyBox->addWidget(m_keyIssue);
    auto *keyLabel = new QLabel(tr("&Partition key"), this);
    keyLabel->setBuddy(m_key);
    form->addRow(keyLabel, keyBox);

    m_explicit = new QLineEdit(this);
    m_explicit->setObjectName(QStringLiteral("explicitHashKeyEdit"));
    m_explicit->setPlaceholderText(tr("optional, 0 … 2^128-1"));
    m_explicit->setToolTip(tr("Explicit hash key: a whole number from 0 to 2^128-1 that picks the shard directly, "
                              "instead of the MD5 of the partition key. Leave empty to route by the key."));
    m_explicit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_route = new QToolButton(this);
    m_route->setObjectName(QStringLiteral("routeButton"));
    m_route->setText(tr("Route to shard…"));
    m_route->setIcon(Icons::named("route"));
    m_route->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_route->setToolTip(tr("Set an explicit hash key inside a chosen shard's range"));
    auto *explicitRow = new QHBoxLayout;
    explicitRow->addWidget(m_explicit, 1);
    explicitRow->addWidget(m_route);
    m_explicitIssue = issueLabel(this, "explicitHashKeyIssue");
    auto *explicitBox = new QVBoxLayout;
    explicitBox->addLayout(explicitRow);
    explicitBox->addWidget(m_explicitIssue);
    auto *explicitLabel = new QLabel(tr("E&xplicit hash key"), this);
    explicitLabel->setBuddy(m_explicit);
    form->addRow(explicitLabel, explicitBox);

    m_routing = new QLabel(this);
    m_routing->setObjectName(QStringLiteral("routingLabel"));
    m_routing->setWordWrap(true);
    m_routing->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_routing->setToolTip(tr("How the record is routed: MD5 of the partition key's UTF-8 bytes, read as a 128-bit number "
                             "(or the explicit hash key), falls into exactly one shard's hash key range."));
    form->addRow(tr("Route"), m_routing);
    layout->addLayout(form);

    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("dataViews"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const auto makeEditor = [&](const char *name, const QString &title, bool mono) {
        auto *edit = new QPlainTextEdit(m_views);
        edit->setObjectName(QLatin1String(name));
        edit->setTabChangesFocus(true);
        if (mono)
            edit->setFont(fixed);
        m_views->addTab(edit, title);
        return edit;
    };
    m_text = makeEditor("textView", tr("Text"), false);
    m_json = makeEditor("jsonView", tr("JSON"), true);
    m_hex = makeEditor("hexView", tr("Hex"), true);
    m_base64 = makeEditor("base64View", tr("Base64"), true);
    m_hex->setWordWrapMode(QTextOption::WrapAnywhere);
    m_base64->setWordWrapMode(QTextOption::WrapAnywhere);
    m_views->setTabToolTip(JsonView, tr("The data as JSON: checked as you type; pretty-print or compact it"));
    m_views->setTabToolTip(HexView, tr("The bytes as hex pairs; spaces and line breaks are ignored"));
    m_views->setTabToolTip(Base64View, tr("The bytes as base64 (what the Kinesis API sends as Data)"));
    layout->addWidget(m_views, 1);

    auto *dataRow = new QHBoxLayout;
    m_dataStatus = new QLabel(this);
    m_dataStatus->setObjectName(QStringLiteral("dataStatus"));
    m_dataStatus->setWordWrap(true);
    m_pretty = new QPushButton(tr("Pretty-print"), this);
    m_pretty->setObjectName(QStringLiteral("prettyButton"));
    m_compact = new QPushButton(tr("Compact"), this);
    m_compact->setObjectName(QStringLiteral("compactButton"));
    m_revert = new QPushButton(tr("Revert"), this);
    m_revert->setObjectName(QStringLiteral("revertButton"));
    m_apply = new QPushButton(tr("Apply"), this);
    m_apply->setObjectName(QStringLiteral("applyButton"));
    m_apply->setToolTip(tr("Write the data to the row (Ctrl+Return); undo with Ctrl+Z"));
    dataRow->addWidget(m_dataStatus, 1);
    dataRow->addWidget(m_pretty);
    dataRow->addWidget(m_compact);
    dataRow->addWidget(m_revert);
    dataRow->addWidget(m_apply);
    layout->addLayout(dataRow);

    m_outcome = new QLabel(this);
    m_outcome->setObjectName(QStringLiteral("outcomeLabel"));
    m_outcome->setWordWrap(true);
    m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_outcome);
    m_attempts = new QTreeWidget(this);
    m_attempts->setObjectName(QStringLiteral("attemptsList"));
    m_attempts->setRootIsDecorated(false);
    m_attempts->setUniformRowHeights(true);
    m_attempts->setHeaderLabels({tr("#"), tr("Started"), tr("Waited"), tr("Latency"), tr("Outcome"), tr("Error")});
    m_attempts->setToolTip(tr("Every attempt to send this row: when, the backoff or pacing wait before it, the round "
                              "trip, and what the stream answered."));
    m_attempts->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_attempts->setTextElideMode(Qt::ElideMiddle);
    // A few short columns as wide as their texts; the error takes the rest (whole in its tooltip).
    for (int c = 0; c < 5; ++c)
        m_attempts->header()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
    m_attempts->header()->setSectionResizeMode(5, QHeaderView::Stretch);
    layout->addWidget(m_attempts);
    setContent(content);
    // The dock asks the panel for its minimum width: tell it when the content's changes.
    content->installEventFilter(this);

    m_outcomeTimer.setSingleShot(true);
    m_outcomeTimer.setInterval(100);
    connect(&m_outcomeTimer, &QTimer::timeout, this, &RecordEditorPanel::updateOutcome);

    connect(m_key, &QLineEdit::textEdited, this, &RecordEditorPanel::updateRouting);
    connect(m_key, &QLineEdit::editingFinished, this, &RecordEditorPanel::applyKey);
    connect(m_explicit, &QLineEdit::textEdited, this, &RecordEditorPanel::updateRouting);
    connect(m_explicit, &QLineEdit::editingFinished, this, &RecordEditorPanel::applyExplicit);
    connect(m_route, &QToolButton::clicked, this, &RecordEditorPanel::routeToShard);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] { onDataEdited(TextView); });
    connect(m_json, &QPlainTextEdit::textChanged, this, [this] { onDataEdited(JsonView); });
    connect(m_hex, &QPlainTextEdit::textChanged, this, [this] { onDataEdited(HexView); });
    connect(m_base64, &QPlainTextEdit::textChanged, this, [this] { onDataEdited(Base64View); });
    connect(m_views, &QTabWidget::currentChanged, this, &RecordEditorPanel::onViewChanged);
    connect(m_apply, &QPushButton::clicked, this, &RecordEditorPanel::applyData);
    connect(m_revert, &QPushButton::clicked, this, &RecordEditorPanel::revertData);
    connect(m_pretty, &QPushButton::clicked, this, [this] { formatJson(true); });
    connect(m_compact, &QPushButton::clicked, this, [this] { formatJson(false); });
    // Ctrl+Return in a data view applies the edit (and is kept from the window's "Send all").
    for (int v = TextView; v <= Base64View; ++v)
        editor(v)->installEventFilter(this);

    connect(workspace, &Workspace::recordsEdited, this, [this](const QList<int> &rows) {
        if (rows.contains(m_row))
            load();
    });
    connect(workspace, &Workspace::outcomesChanged, this, [this](const QList<int> &rows) {
        if (rows.contains(m_row) && !m_outcomeTimer.isActive())
            m_outcomeTimer.start();
    });
    connect(workspace, &Workspace::allOutcomesChanged, this, [this] { m_outcomeTimer.start(); });
    connect(workspace, &Workspace::routingChanged, this, [this] {
        updateRouting();
        updateOutcome();
    });
    connect(workspace, &Workspace::lockedChanged, this, &RecordEditorPanel::updateEnabled);
    // Rows move or vanish: the panel's row is a store row, so look again.
    connect(workspace, &Workspace::wasReset, this, [this] { setRow(-1); });
    connect(workspace, &Workspace::rowsRemoved, this, [this](int first, int count) {
        if (m_row >= first + count)
            m_row -= count;
        else if (m_row >= first)
            m_row = -1;
        load();
    });
    connect(workspace, &Workspace::rowsInserted, this, [this](int first, int count) {
        if (m_row >= first) {
            m_row += count;
            load();
        }
    });
    load();
}

bool RecordEditorPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == content()) {
        if (event->type() == QEvent::LayoutRequest)
            updateGeometry();
        return QWidget::eventFilter(watched, event);
    }
    if (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) {
        auto *key = static_cast<QKeyEvent *>(event);
        const bool apply = (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)
            && (key->modifiers() & Qt::ControlModifier);
        if (apply) {
            if (event->type() == QEvent::ShortcutOverride) {
                event->accept();
            } else {
                applyData();
            }
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QPlainTextEdit *RecordEditorPanel::editor(int view) const
{
    switch (view) {
    case TextView: return m_text;
    case JsonView: return m_json;
    case HexView: return m_hex;
    case Base64View: return m_base64;
    default: return nullptr;
    }
}

void RecordEditorPanel::setRow(int storeRow)
{
    if (storeRow == m_row && storeRow >= 0)
        return;
    if (m_routeDialog)
        m_routeDialog->reject();
    m_row = storeRow;
    load();
}

void RecordEditorPanel::load()
{
    if (m_row >= m_workspace->rowCount())
        m_row = -1;
    m_loading = true;
    if (m_row < 0) {
        m_filled.fill(false);
        m_title->setText(tr("No row selected"));
        m_key->clear();
        m_explicit->clear();
        m_bytes.clear();
        for (int v = TextView; v <= Base64View; ++v)
            editor(v)->clear();
        m_routing->clear();
        m_pending.reset();
        m_editedView = -1;
        m_loading = false;
        showIssue(m_keyIssue, {});
        showIssue(m_explicitIssue, {});
        m_dataStatus->clear();
        updateOutcome();
        updateEnabled();
        return;
    }
    const RecordStore &store = m_workspace->store();
    m_title->setText(tr("Row %1").arg(QLocale().toString(m_row + 1)));
    if (m_key->text() != store.partitionKey(m_row))
        m_key->setText(store.partitionKey(m_row));
    const QString explicitText = m_workspace->hasBadExplicitHashKey(m_row) ? m_workspace->badExplicitHashKey(m_row)
        : store.hasExplicitHashKey(m_row)                                  ? hashKeyToString(store.explicitHashKey(m_row))
                                                                           : QString();
    if (m_explicit->text() != explicitText)
        m_explicit->setText(explicitText);
    m_loading = false;
    loadData(store.data(m_row).toByteArray());
    updateRouting();
    updateOutcome();
    updateEnabled();
}

void RecordEditorPanel::loadData(const QByteArray &bytes)
{
    m_bytes = bytes;
    m_pending = bytes;
    m_editedView = -1;
    m_filled.fill(false);
    // Binary data opens in the hex view.
    if (!RecordText::isText(bytes) && (m_currentView == TextView || m_currentView == JsonView))
        m_views->setCurrentIndex(HexView); // fills it
    onViewChanged(m_views->currentIndex());
}

void RecordEditorPanel::fillView(int view, const QByteArray &bytes)
{
    m_filled[size_t(view)] = true;
    m_loading = true;
    QPlainTextEdit *edit = editor(view);
    const bool large = bytes.size() > kLargeViewBytes;
    const QByteArray shown = large ? bytes.left(kShownBytes) : bytes;
    const bool text = RecordText::isText(shown, large);
    switch (view) {
    case TextView:
        edit->setPlainText(text ? QString::fromUtf8(shown) : RecordText::preview(shown, 4096));
        break;
    case JsonView: {
        const auto pretty = text && !large ? RecordText::formatJson(shown, true) : Result<QByteArray>(Error::input({}));
        edit->setPlainText(pretty.ok() ? QString::fromUtf8(pretty.value()) : (text ? QString::fromUtf8(shown) : QString()));
        break;
    }
    case HexView:
        edit->setPlainText(RecordText::toHex(shown));
        break;
    case Base64View:
        edit->setPlainText(RecordText::toBase64(shown));
        break;
    default:
        break;
    }
    edit->setReadOnly(true); // updateEnabled() decides
    m_loading = false;
    updateEnabled();
}

void RecordEditorPanel::onDataEdited(int view)
{
    if (m_loading || m_row < 0)
        return;
    m_editedView = view;
    // The other views show these bytes when they are shown next.
    for (int v = TextView; v <= Base64View; ++v)
        if (v != view)
            m_filled[size_t(v)] = false;
    const QString text = editor(view)->toPlainText();
    Result<QByteArray> parsed = QByteArray();
    switch (view) {
    case TextView:
        parsed = text.toUtf8();
        break;
    case JsonView: {
        const QByteArray utf8 = text.toUtf8();
        const auto check = RecordText::formatJson(utf8, false);
        parsed = check.ok() ? Result<QByteArray>(utf8) : Result<QByteArray>(check.error());
        break;
    }
    case HexView:
        parsed = RecordText::parseHex(text);
        break;
    case Base64View:
        parsed = RecordText::parseBase64(text);
        break;
    default:
        break;
    }
    if (parsed.ok())
        m_pending = parsed.value();
    else
        m_pending.reset();
    const QLocale locale;
    if (!parsed.ok()) {
        showIssue(m_dataStatus, parsed.error().message);
        m_dataStatus->setVisible(true);
    } else {
        const bool changed = *m_pending != m_bytes;
        m_dataStatus->setText(changed ? tr("%1 bytes, not applied yet").arg(locale.toString(m_pending->size()))
                                      : tr("%1 bytes").arg(locale.toString(m_pending->size())));
    }
    updateRouting();
    updateEnabled();
}

void RecordEditorPanel::onViewChanged(int view)
{
    // Filled when shown: from the edited bytes if they parse, else from the row's.
    if (view >= TextView && view <= Base64View && !m_filled[size_t(view)])
        fillView(view, m_pending ? *m_pending : m_bytes);
    m_currentView = view;
    if (m_pending) {
        const QLocale locale;
        QString status = tr("%1 bytes").arg(locale.toString(m_pending->size()));
        const bool text = RecordText::isText(*m_pending);
        if (view == JsonView && text) {
            const auto json = RecordText::formatJson(*m_pending, false);
            status += json.ok() ? tr(", valid JSON") : QStringLiteral(", ") + json.error().message;
        }
        if (!text)
            status += (view == TextView || view == JsonView) ? tr(", binary data: edit it as Hex or Base64") : tr(", binary data");
        if (m_pending->size() > kLargeViewBytes)
            status = tr("%1 bytes: showing the first %2; too large to edit here").arg(locale.toString(m_pending->size()),
                                                                                      formatBytes(kShownBytes));
        if (*m_pending != m_bytes)
            status += tr(" (not applied yet)");
        m_dataStatus->setText(status);
        m_dataStatus->setVisible(true);
    }
    updateEnabled();
}

bool RecordEditorPanel::hasUnappliedData() const
{
    return m_row >= 0 && m_pending && *m_pending != m_bytes;
}

bool RecordEditorPanel::applyData()
{
    if (!hasUnappliedData() || m_workspace->isLocked())
        return false;
    return m_workspace->setData(m_row, *m_pending);
}

void RecordEditorPanel::revertData()
{
    if (m_row >= 0)
        loadData(m_workspace->store().data(m_row).toByteArray());
}

void RecordEditorPanel::showView(View view)
{
    m_views->setCurrentIndex(view);
}

void RecordEditorPanel::formatJson(bool pretty)
{
    const QByteArray source = m_pending ? *m_pending : m_bytes;
    const auto formatted = RecordText::formatJson(source, pretty);
    if (!formatted.ok()) {
        showIssue(m_dataStatus, formatted.error().message);
        return;
    }
    m_views->setCurrentIndex(JsonView);
    m_json->setPlainText(QString::fromUtf8(formatted.value())); // through onDataEdited
}

void RecordEditorPanel::applyKey()
{
    if (m_loading || m_row < 0 || m_workspace->isLocked())
        return;
    if (m_key->text() != m_workspace->store().partitionKey(m_row))
        m_workspace->setPartitionKey(m_row, m_key->text());
}

void RecordEditorPanel::applyExplicit()
{
    if (m_loading || m_row < 0 || m_workspace->isLocked())
        return;
    const QString current = m_workspace->hasBadExplicitHashKey(m_row)      ? m_workspace->badExplicitHashKey(m_row)
        : m_workspace->store().hasExplicitHashKey(m_row) ? hashKeyToString(m_workspace->store().explicitHashKey(m_row))
                                                         : QString();
    if (m_explicit->text().trimmed() != current)
        m_workspace->setExplicitHashKeyText(m_row, m_explicit->text());
}

void RecordEditorPanel::updateRouting()
{
    if (m_row < 0) {
        m_routing->clear();
        return;
    }
    const QString key = m_key->text();
    const QByteArray keyUtf8 = key.toUtf8();
    // Live checks of what is typed, before it is applied.
    QString keyProblem;
    const int chars = partitionKeyLength(key);
    if (key.isEmpty())
        keyProblem = tr("The partition key is empty; it needs 1 to 256 characters.");
    else if (chars > limits::kMaxPartitionKeyChars)
        keyProblem = tr("%1 characters; the limit is 256.").arg(chars);
    showIssue(m_keyIssue, keyProblem);

    const QString explicitText = m_explicit->text().trimmed();
    Q_EMIT keyEdited(key, explicitText);
    std::optional<UInt128> explicitKey;
    QString explicitProblem;
    if (!explicitText.isEmpty()) {
        auto parsed = parseHashKey(explicitText);
        if (parsed.ok())
            explicitKey = parsed.value();
        else
            explicitProblem = parsed.error().message;
    }
    showIssue(m_explicitIssue, explicitProblem);

    const qint64 dataBytes = m_pending ? m_pending->size() : m_bytes.size();
    const qint64 size = keyUtf8.size() + dataBytes;
    const ShardMap &map = m_workspace->shardMap();
    QStringList parts;
    UInt128 hash = 0;
    if (explicitKey) {
        hash = *explicitKey;
        parts << tr("explicit hash key %1").arg(hashKeyToString(hash));
    } else {
        const Md5Digest digest = md5(keyUtf8);
        hash = digestToUInt128(digest);
        parts << tr("MD5 %1").arg(QString::fromLatin1(digestToHex(digest)))
              << tr("hash key %1").arg(hashKeyToString(hash));
    }
    if (!map.isEmpty()) {
        const int shard = map.openIndexFor(hash);
        // Numbered as in the id and on the shard bar: from 0.
        parts << tr("%1 (shard %2, one of %3 numbered from 0%4)")
                     .arg(map.openShard(shard).shardId, RowCells::shardNumber(map.openShard(shard).shardId),
                          QLocale().toString(map.openShardCount()))
                     .arg(m_workspace->hasStreamMap() ? tr(" in %1").arg(m_workspace->streamName()) : tr(", virtual stream"));
    }
    QString text = parts.join(QStringLiteral(" → "));
    const QLocale locale;
    text += QLatin1Char('\n')
        + tr("Record size %1 of %2").arg(locale.toString(size) + tr(" bytes"), formatBytes(m_workspace->maxRecordBytes()));
    if (size > m_workspace->maxRecordBytes())
        text += tr(" — too large for this stream");
    m_routing->setText(text);
    if (explicitProblem.isEmpty())
        Q_EMIT previewHashKey(hash);
}

void RecordEditorPanel::updateOutcome()
{
    m_attempts->clear();
    if (m_row < 0) {
        m_outcome->clear();
        return;
    }
    const send::SendResults &results = m_workspace->results();
    const RowCells cells(m_workspace->store(), results, m_workspace->shardMap(), m_workspace->maxRecordBytes(),
                         m_workspace->badExplicitHashKeys(), m_workspace->rowIds());
    const DisplayStatus status = cells.status(m_row);
    QString text = tr("<b>%1</b>").arg(RowCells::statusText(status).toHtmlEscaped());
    if (!results.shardId(m_row).isEmpty())
        text += tr(" on %1, sequence number %2").arg(results.shardId(m_row).toHtmlEscaped(), results.sequenceNumber(m_row).toHtmlEscaped());
    if (results.subSequence(m_row) >= 0)
        text += tr("<br>Aggregated (KPL format): user record %1 of %2 in the Kinesis record of row %3, sub-sequence "
                   "number %4")
                    .arg(results.subSequence(m_row) + 1)
                    .arg(QLocale().toString(results.aggregateSize(m_row)))
                    .arg(results.aggregateFirstRow(m_row) + 1)
                    .arg(results.subSequence(m_row));
    const QString code = cells.errorCode(m_row);
    if (!code.isEmpty())
        text += QStringLiteral("<br>%1: %2").arg(code.toHtmlEscaped(), cells.errorMessage(m_row).toHtmlEscaped());
    if (results.shardMismatch(m_row))
        text += tr("<br>Predicted %1, landed on %2: the stream was resharded, or the endpoint ignores ExplicitHashKey.")
                    .arg(results.predictedShardId(m_row).toHtmlEscaped(), results.shardId(m_row).toHtmlEscaped());
    m_outcome->setText(text);
    const auto attempts = results.attempts(m_row);
    int n = 0;
    const QLocale locale;
    for (const send::Attempt &a : attempts) {
        auto *item = new QTreeWidgetItem(m_attempts);
        item->setText(0, QString::number(++n));
        item->setText(1, QDateTime::fromMSecsSinceEpoch(a.startedMs).toString(QStringLiteral("HH:mm:ss.zzz")));
        item->setText(2, tr("%1 ms").arg(locale.toString(a.delayMs)));
        item->setText(3, tr("%1 ms").arg(locale.toString(a.latencyMs)));
        item->setText(4, outcomeName(a.outcome));
        item->setIcon(4, a.outcome == send::AttemptOutcome::Succeeded ? Icons::status(DisplayStatus::Succeeded)
                         : a.outcome == send::AttemptOutcome::Throttled ? Icons::status(DisplayStatus::Throttled)
                                                                         : Icons::status(DisplayStatus::Failed));
        const QString error = results.text(a.code);
        const QString message = results.text(a.message);
        item->setText(5, error);
        item->setToolTip(5, message.isEmpty() ? error : error + QLatin1Char('\n') + message);
    }
    m_attempts->setVisible(!attempts.empty());
    // Every attempt shows (up to a dozen; beyond that the list scrolls).
    if (!attempts.empty()) {
        const int rows = std::min(int(attempts.size()), 12);
        const int height = m_attempts->header()->sizeHint().height() + rows * m_attempts->sizeHintForRow(0)
            + 2 * m_attempts->frameWidth();
        m_attempts->setFixedHeight(height);
    }
}

void RecordEditorPanel::updateEnabled()
{
    const bool has = m_row >= 0;
    const bool editable = has && !m_workspace->isLocked();
    m_key->setEnabled(has);
    m_key->setReadOnly(!editable);
    m_explicit->setEnabled(has);
    m_explicit->setReadOnly(!editable);
    m_route->setEnabled(editable && !m_workspace->shardMap().isEmpty());
    m_views->setEnabled(has);
    const QByteArray &bytes = m_pending ? *m_pending : m_bytes;
    const bool large = bytes.size() > kLargeViewBytes;
    const bool binary = !large && !RecordText::isText(bytes);
    for (int v = TextView; v <= Base64View; ++v) {
        const bool binaryText = (v == TextView || v == JsonView) && binary;
        editor(v)->setReadOnly(!editable || binaryText || large);
    }
    m_apply->setEnabled(editable && hasUnappliedData());
    m_revert->setEnabled(has && (hasUnappliedData() || !m_pending));
    m_pretty->setEnabled(editable);
    m_compact->setEnabled(editable);
}

void RecordEditorPanel::routeToShard()
{
    if (m_row < 0 || m_workspace->isLocked() || m_workspace->shardMap().isEmpty())
        return;
    if (m_routeDialog)
        m_routeDialog->deleteLater();
    const int current = m_workspace->predictedShard(m_row);
    m_routeDialog = new RouteToShardDialog(m_workspace->shardMap(), m_shardRecords, current, this);
    m_routeDialog->setAttribute(Qt::WA_DeleteOnClose);
    const int row = m_row;
    connect(m_routeDialog, &QDialog::accepted, this, [this, row] {
        if (!m_routeDialog || row != m_row)
            return;
        m_workspace->setExplicitHashKeyText(row, hashKeyToString(m_routeDialog->chosenHashKey()));
    });
    m_routeDialog->open();
}

} // namespace kwb::ui
