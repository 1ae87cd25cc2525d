#include "views/JourneyPanel.h"

#include "models/Workspace.h"
#include "views/ShardBarWidget.h"

#include <QAction>
#include <QFontDatabase>
#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace kwb::ui {

namespace {

/// Long runs of digits (hash keys, sequence numbers) get break opportunities every 8 digits, so
/// they wrap in a narrow dock instead of widening it; words stay whole.
QString breakable(const QString &text)
{
    constexpr int kRun = 8;
    QString out;
    out.reserve(text.size() + text.size() / kRun);
    int run = 0;
    for (QChar c : text) {
        if (!c.isDigit()) {
            run = 0;
        } else if (run == kRun) {
            out += QChar(0x200B);
            run = 0;
        }
        out += c;
        if (c.isDigit())
            ++run;
    }
    return out;
}

} // namespace

JourneyPanel::JourneyPanel(Workspace *workspace, QWidget *parent)
    : ScrollingPanel(QStringLiteral("journeyScroll"), parent)
    , m_workspace(workspace)
{
    setObjectName(QStringLiteral("journeyPanel"));
    setFocusPolicy(Qt::StrongFocus);
    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);

    m_heading = new QLabel(content);
    m_heading->setObjectName(QStringLiteral("journeyHeading"));
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::PlainText);
    layout->addWidget(m_heading);

    // Back, Next, Show all, and where we are.
    m_previous = new QAction(tr("Journey: previous step"), this);
    m_previous->setObjectName(QStringLiteral("journeyPrevious"));
    m_previous->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_next = new QAction(tr("Journey: next step"), this);
    m_next->setObjectName(QStringLiteral("journeyNext"));
    m_next->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    m_first = new QAction(tr("Journey: first step"), this);
    m_first->setObjectName(QStringLiteral("journeyFirst"));
    m_first->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Home));
    m_showAll = new QAction(tr("Journey: show all steps"), this);
    m_showAll->setObjectName(QStringLiteral("journeyShowAll"));
    m_showAll->setShortcut(QKeySequence(Qt::ALT | Qt::Key_End));
    for (QAction *a : {m_previous, m_next, m_first, m_showAll}) {
        // Anywhere in the window while the panel is on show: the trainer keeps the table's focus.
        a->setShortcutContext(Qt::WindowShortcut);
        a->setToolTip(tr("%1 (%2)").arg(a->text(), a->shortcut().toString(QKeySequence::NativeText)));
        addAction(a);
    }
    connect(m_previous, &QAction::triggered, this, &JourneyPanel::previousStep);
    connect(m_next, &QAction::triggered, this, &JourneyPanel::nextStep);
    connect(m_first, &QAction::triggered, this, &JourneyPanel::firstStep);
    connect(m_showAll, &QAction::triggered, this, &JourneyPanel::showAllSteps);

    auto *nav = new QHBoxLayout;
    const auto button = [content](QAction *action, const QString &text, const char *name) {
        auto *b = new QToolButton(content);
        b->setObjectName(QLatin1String(name));
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setText(text);
        b->setToolTip(action->toolTip());
        b->setFocusPolicy(Qt::NoFocus);
        connect(b, &QToolButton::clicked, action, &QAction::trigger);
        return b;
    };
    m_backButton = button(m_previous, tr("◀ Back"), "journeyBack");
    m_nextButton = button(m_next, tr("Next ▶"), "journeyNextButton");
    m_allButton = button(m_showAll, tr("Show all"), "journeyAll");
    m_counter = new QLabel(content);
    m_counter->setObjectName(QStringLiteral("journeyCounter"));
    nav->addWidget(m_backButton);
    nav->addWidget(m_nextButton);
    nav->addWidget(m_allButton);
    nav->addStretch(1);
    nav->addWidget(m_counter);
    layout->addLayout(nav);

    // The key space with the shard ranges and the point.
    m_bar = new ShardBarWidget(content);
    m_bar->setObjectName(QStringLiteral("journeyBar"));
    layout->addWidget(m_bar);

    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int k = 0; k < JourneyStep::kCount; ++k) {
        StepView v;
        v.frame = new QFrame(content);
        v.frame->setObjectName(QStringLiteral("journeyStep%1").arg(k));
        v.frame->setFrameShape(QFrame::StyledPanel);
        auto *box = new QVBoxLayout(v.frame);
        v.title = new QLabel(v.frame);
        v.title->setObjectName(QStringLiteral("journeyStepTitle"));
        v.title->setWordWrap(true);
        QFont bold = v.title->font();
        bold.setBold(true);
        v.title->setFont(bold);
        v.value = new QLabel(v.frame);
        v.value->setObjectName(QStringLiteral("journeyStepValue"));
        v.value->setTextFormat(Qt::PlainText);
        v.value->setWordWrap(true);
        v.value->setFont(mono);
        v.value->setTextInteractionFlags(Qt::TextSelectableByMouse);
        v.detail = new QLabel(v.frame);
        v.detail->setObjectName(QStringLiteral("journeyStepDetail"));
        v.detail->setTextFormat(Qt::PlainText);
        v.detail->setWordWrap(true);
        box->addWidget(v.title);
        box->addWidget(v.value);
        box->addWidget(v.detail);
        layout->addWidget(v.frame);
        m_views.append(v);
    }
    layout->addStretch(1);
    setContent(content);

    connect(m_workspace, &Workspace::outcomesChanged, this, [this](const QList<int> &rows) {
        if (m_row >= 0 && rows.contains(m_row))
            refresh();
    });
    connect(m_workspace, &Workspace::allOutcomesChanged, this, &JourneyPanel::refresh);
    connect(m_workspace, &Workspace::routingChanged, this, &JourneyPanel::refresh);
    connect(m_workspace, &Workspace::recordsEdited, this, [this](const QList<int> &rows) {
        if (m_row >= 0 && rows.contains(m_row)) {
            m_preview.reset();
            refresh();
        }
    });
    connect(m_workspace, &Workspace::wasReset, this, [this] { setRow(-1); });
    // Rows move or vanish: the panel's row is a store row.
    connect(m_workspace, &Workspace::rowsRemoved, this, [this](int first, int count) {
        if (m_row >= first + count)
            m_row -= count;
        else if (m_row >= first)
            setRow(-1);
        refresh();
    });
    connect(m_workspace, &Workspace::rowsInserted, this, [this](int first, int count) {
        if (m_row >= first) {
            m_row += count;
            refresh();
        }
    });
    refresh();
}

void JourneyPanel::setRow(int storeRow)
{
    if (storeRow >= m_workspace->rowCount())
        storeRow = -1;
    if (storeRow != m_row)
        m_preview.reset();
    m_row = storeRow;
    refresh();
}

void JourneyPanel::previewKey(const QString &partitionKey, const QString &explicitHashKey)
{
    if (m_row < 0)
        return;
    const JourneyInput stored = storedInput();
    if (partitionKey == stored.partitionKey && explicitHashKey.trimmed() == stored.explicitHashKey.trimmed())
        m_preview.reset();
    else
        m_preview = std::make_pair(partitionKey, explicitHashKey);
    refresh();
}

JourneyInput JourneyPanel::storedInput() const
{
    JourneyInput in = JourneyInput::fromRow(m_workspace->store(), m_workspace->results(), m_row);
    // A key that could not be parsed is kept as typed (the row cannot be sent until it is fixed).
    if (m_workspace->hasBadExplicitHashKey(m_row))
        in.explicitHashKey = in.sentExplicitHashKey = m_workspace->badExplicitHashKey(m_row);
    return in;
}

void JourneyPanel::setSighting(int storeRow, const std::optional<JourneySighting> &sighting)
{
    m_sightingRow = sighting ? storeRow : -1;
    m_sighting = sighting;
    if (storeRow == m_row)
        refresh();
}

void JourneyPanel::refresh()
{
    recompute();
    showSteps();
}

void JourneyPanel::recompute()
{
    JourneyInput in;
    if (m_row >= 0 && m_row < m_workspace->rowCount()) {
        in = storedInput();
        if (m_preview) {
            in.partitionKey = m_preview->first;
            in.explicitHashKey = m_preview->second;
        }
        if (m_sightingRow == m_row)
            in.sighting = m_sighting;
    }
    in.map = &m_workspace->shardMap();
    in.streamName = m_workspace->hasStreamMap() ? m_workspace->streamName() : QString();
    m_journey = Journey::compute(in);

    if (m_row < 0)
        m_heading->setText(tr("Select a row to follow its record from the partition key to the shard."));
    else
        m_heading->setText(tr("The journey of row %1").arg(QLocale().toString(m_row + 1))
                           + (m_preview ? tr(" (with the key as typed)") : QString()));
    m_bar->setMap(m_workspace->shardMap());
    if (m_row >= 0 && !m_workspace->shardMap().isEmpty())
        m_bar->setMarkers({m_journey.routedHash()});
    else
        m_bar->setMarkers({});
}

void JourneyPanel::showSteps()
{
    const bool hasRow = m_row >= 0;
    for (int k = 0; k < JourneyStep::kCount; ++k) {
        const JourneyStep &s = m_journey.steps()[size_t(k)];
        StepView &v = m_views[k];
        const bool visible = hasRow && k < m_shown;
        v.frame->setVisible(visible);
        if (!visible)
            continue;
        // The newest step stands out (a pointer and a thick frame); steps not reached are quieter.
        const bool current = k == m_shown - 1 && m_shown < JourneyStep::kCount;
        const QString title = s.reached ? tr("%1 · %2").arg(k + 1).arg(s.title) : tr("%1 · %2 (not reached yet)").arg(k + 1).arg(s.title);
        v.title->setText(current ? tr("▶ %1").arg(title) : title);
        v.value->setText(breakable(s.value));
        v.detail->setText(breakable(s.detail));
        v.frame->setFrameShadow(current ? QFrame::Raised : QFrame::Plain);
        v.frame->setLineWidth(current ? 3 : 1);
        v.value->setForegroundRole(s.reached ? QPalette::WindowText : QPalette::PlaceholderText);
    }
    // The bar belongs to the key-space step.
    m_bar->setVisible(hasRow && m_shown > JourneyStep::KeySpace && !m_workspace->shardMap().isEmpty());
    m_counter->setText(hasRow ? tr("Step %1 of %2").arg(m_shown).arg(JourneyStep::kCount) : QString());
    m_backButton->setEnabled(hasRow && m_shown > 1);
    m_nextButton->setEnabled(hasRow && m_shown < JourneyStep::kCount);
    m_allButton->setEnabled(hasRow && m_shown < JourneyStep::kCount);
    m_previous->setEnabled(m_backButton->isEnabled());
    m_next->setEnabled(m_nextButton->isEnabled());
    m_first->setEnabled(m_backButton->isEnabled());
    m_showAll->setEnabled(m_allButton->isEnabled());
}

void JourneyPanel::setShown(int shown)
{
    shown = std::clamp(shown, 1, int(JourneyStep::kCount));
    if (shown == m_shown)
        return;
    m_shown = shown;
    showSteps();
    // The newest step in view, once the layout has placed it.
    QMetaObject::invokeMethod(this, [this] {
        if (m_shown >= 1 && m_shown <= m_views.size())
            ensureVisible(m_views[m_shown - 1].frame);
    }, Qt::QueuedConnection);
    Q_EMIT shownStepsChanged(m_shown);
}

void JourneyPanel::nextStep()
{
    setShown(m_shown + 1);
}

void JourneyPanel::previousStep()
{
    setShown(m_shown - 1);
}

void JourneyPanel::firstStep()
{
    setShown(1);
}

void JourneyPanel::showAllSteps()
{
    setShown(JourneyStep::kCount);
}

void JourneyPanel::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_Space:
    case Qt::Key_PageDown:
        nextStep();
        return;
    case Qt::Key_Left:
    case Qt::Key_Backspace:
    case Qt::Key_PageUp:
        previousStep();
        return;
    case Qt::Key_Home:
        firstStep();
        return;
    case Qt::Key_End:
        showAllSteps();
        return;
    default:
        ScrollingPanel::keyPressEvent(event);
    }
}

} // namespace kwb::ui
