#pragma once

#include "models/Journey.h"
#include "views/ScrollingPanel.h"

#include <QList>

class QAction;
class QFrame;
class QLabel;
class QToolButton;

namespace kwb::ui {

class ShardBarWidget;
class Workspace;

/// A record's journey for the current row, step by step: the key, its UTF-8 bytes, the MD5
/// digest, the 128-bit hash key, its place on the key-space bar (the shard ranges drawn, the
/// point marked), the shard, the request, each attempt and its answer, the shard id and sequence
/// number, and the read back. Steps appear one by one (Right/Space and Left in the panel, or
/// Alt+Right / Alt+Left anywhere in the window; End or Alt+End shows all) so a trainer can explain
/// them; steps not reached say what would happen. Follows the selected row and the key being
/// typed in the record editor. GUI thread; does not own the workspace.
class JourneyPanel : public ScrollingPanel
{
    Q_OBJECT
public:
    explicit JourneyPanel(Workspace *workspace, QWidget *parent = nullptr);

    /// The store row to follow; -1 for none.
    void setRow(int storeRow);
    int row() const { return m_row; }
    /// The key and explicit hash key as typed in the editor (not applied yet).
    void previewKey(const QString &partitionKey, const QString &explicitHashKey);
    /// Where the live view saw the row's record arrive (the last step); nullopt to forget.
    void setSighting(int storeRow, const std::optional<JourneySighting> &sighting);

    const Journey &journey() const { return m_journey; }
    /// Steps on show (1 … JourneyStep::kCount).
    int shownSteps() const { return m_shown; }
    void nextStep();
    void previousStep();
    void firstStep();
    void showAllSteps();

    ShardBarWidget *bar() const { return m_bar; }
    QAction *nextAction() const { return m_next; }
    QAction *previousAction() const { return m_previous; }
    QAction *showAllAction() const { return m_showAll; }

Q_SIGNALS:
    void shownStepsChanged(int shown);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    struct StepView
    {
        QFrame *frame = nullptr;
        QLabel *title = nullptr;
        QLabel *value = nullptr;
        QLabel *detail = nullptr;
    };

    JourneyInput storedInput() const;
    void recompute();
    void refresh();
    void showSteps();
    void setShown(int shown);

    Workspace *m_workspace;
    int m_row = -1;
    std::optional<std::pair<QString, QString>> m_preview; ///< typed key and explicit hash key
    int m_sightingRow = -1;
    std::optional<JourneySighting> m_sighting;
    Journey m_journey;
    int m_shown = 1;

    QLabel *m_heading = nullptr;
    QLabel *m_counter = nullptr;
    QToolButton *m_backButton = nullptr;
    QToolButton *m_nextButton = nullptr;
    QToolButton *m_allButton = nullptr;
    QAction *m_next = nullptr;
    QAction *m_previous = nullptr;
    QAction *m_first = nullptr;
    QAction *m_showAll = nullptr;
    ShardBarWidget *m_bar = nullptr;
    QList<StepView> m_views;
};

} // namespace kwb::ui
