#pragma once

#include "controllers/ConnectionController.h"
#include "controllers/ConnectionTarget.h"
#include "net/KinesisTypes.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QToolButton;

namespace kwb::ui {

/// The connection bar at the top of the window: the target picker (built-in sandbox, AWS
/// profiles, custom endpoints, "Custom endpoint…"), a production mark, the connection state in
/// words, the stream picker with refresh and "Create stream…", and the chosen stream's shard
/// count, maximum record size and status. When the window is narrow the pickers and the two
/// texts give way (elided, whole in their tooltips). It only shows and asks; the window does
/// the work. GUI thread.
class ConnectionBar : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionBar(QWidget *parent = nullptr);

    /// Rebuilds the target picker. `sandboxStatus` non-empty: the sandbox entry says so and
    /// cannot be chosen yet.
    void setTargets(const QList<ConnectionTarget> &targets, const QString &sandboxStatus);
    QList<ConnectionTarget> targets() const { return m_targets; }
    void setCurrentTarget(const QString &id);
    ConnectionTarget currentTarget() const;
    void setProduction(bool production);

    void setConnectionState(ConnectionController::State state, const QString &text);
    void setStreams(const QStringList &streams, const QString &current);
    QString currentStream() const;
    void setStreamSummary(const net::StreamSummary &summary);
    void setStreamProblem(const QString &problem);
    void setBusy(bool sending);
    /// Shows "Sign in" (for an SSO profile, or after a connection that needs a sign-in).
    void setSignInOffered(bool offered);
    /// Enables "Who am I?" (when connected).
    void setWhoAmIEnabled(bool enabled);

    QComboBox *targetBox() const { return m_target; }
    QComboBox *streamBox() const { return m_stream; }

Q_SIGNALS:
    void targetChosen(const kwb::ui::ConnectionTarget &target);
    void customEndpointRequested();
    void editTargetRequested(const kwb::ui::ConnectionTarget &target);
    void productionToggled(bool production);
    void streamChosen(const QString &stream);
    void refreshRequested();
    void createStreamRequested();
    void signInRequested(const kwb::ui::ConnectionTarget &target);
    void whoAmIRequested();

private:
    QComboBox *m_target = nullptr;
    QToolButton *m_edit = nullptr;
    QToolButton *m_production = nullptr;
    QToolButton *m_signIn = nullptr;
    QToolButton *m_whoAmI = nullptr;
    QLabel *m_state = nullptr;
    QComboBox *m_stream = nullptr;
    QToolButton *m_refresh = nullptr;
    QToolButton *m_create = nullptr;
    QLabel *m_streamInfo = nullptr;
    QList<ConnectionTarget> m_targets;
    bool m_updating = false;
};

} // namespace kwb::ui
