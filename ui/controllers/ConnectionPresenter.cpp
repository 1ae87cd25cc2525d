#include "controllers/ConnectionPresenter.h"

#include "WorkbenchSettings.h"
#include "controllers/ConnectionController.h"
#include "controllers/ProblemText.h"
#include "controllers/SendController.h"
#include "controllers/StreamController.h"
#include "controllers/TargetList.h"
#include "models/RequestLogModel.h"
#include "models/Workspace.h"
#include "views/Banner.h"
#include "views/ConnectionBar.h"

#include <QLocale>
#include <QMainWindow>
#include <QStatusBar>

namespace kwb::ui {

ConnectionPresenter::ConnectionPresenter(const Parts &parts, bool rememberChoices)
    : QObject(parts.window)
    , m_window(parts.window)
    , m_connectionBar(parts.connectionBar)
    , m_banner(parts.banner)
    , m_connection(parts.connection)
    , m_streams(parts.streams)
    , m_sender(parts.sender)
    , m_workspace(parts.workspace)
    , m_log(parts.log)
    , m_rememberChoices(rememberChoices)
{
    connect(m_connectionBar, &ConnectionBar::targetChosen, this, &ConnectionPresenter::connectToTarget);
    connect(m_connectionBar, &ConnectionBar::customEndpointRequested, this, [this] {
        m_connectionBar->setCurrentTarget(m_connection->target().id);
        showCustomEndpointDialog();
    });
    connect(m_connectionBar, &ConnectionBar::editTargetRequested, this, &ConnectionPresenter::showCustomEndpointDialog);
    connect(m_connectionBar, &ConnectionBar::productionToggled, this, [this](bool production) {
        ConnectionTarget target = m_connectionBar->currentTarget();
        if (!target.isValid())
            return;
        TargetList(m_connection).setProduction(target.id, production);
        m_connectionBar->setProduction(production);
        if (m_connection->target().id == target.id)
            m_connection->setTargetProduction(production); // what sending checks
        rebuildTargets();
    });
    connect(m_connectionBar, &ConnectionBar::streamChosen, this, &ConnectionPresenter::chooseStream);
    connect(m_connectionBar, &ConnectionBar::refreshRequested, this, &ConnectionPresenter::refresh);
    connect(m_connectionBar, &ConnectionBar::createStreamRequested, this, &ConnectionPresenter::showCreateStreamDialog);
    connect(m_connection, &ConnectionController::profilesChanged, this, &ConnectionPresenter::rebuildTargets);
    connect(m_connection, &ConnectionController::sandboxChanged, this, [this] {
        rebuildTargets();
        const ConnectionTarget current = m_connection->target();
        if (m_connection->isSandboxReady()
            && (current.kind == ConnectionTarget::Kind::Sandbox || m_connection->state() == ConnectionController::State::Disconnected)) {
            connectToTarget(TargetList(m_connection).sandbox());
        }
    });
    connect(m_connection, &ConnectionController::stateChanged, this, [this](ConnectionController::State state) {
        if (state == ConnectionController::State::Connecting)
            m_connectionBar->setConnectionState(state, tr("Connecting to %1…").arg(m_connection->target().label()));
        Q_EMIT readinessChanged();
    });
    connect(m_connection, &ConnectionController::clientChanged, this, [this](net::KinesisClient *client) {
        m_streams->setClient(client);
        m_sender->setClient(client);
        m_sender->setStream(QString());
        m_sender->setShardMap(ShardMap());
        m_workspace->setStreamShardMap(QString(), ShardMap());
        m_workspace->setMaxRecordBytes(limits::kDefaultMaxRecordBytes);
        m_connectionBar->setStreams({}, {});
        if (client)
            connect(client, &net::KinesisClient::requestFinished, m_log, &RequestLogModel::append);
    });
    connect(m_connection, &ConnectionController::connected, this, [this](const ConnectionInfo &info) {
        m_connectionBar->setConnectionState(ConnectionController::State::Connected,
                                            tr("%1 · %2").arg(info.endpoint, info.region));
        m_connectionBar->setProduction(m_connection->target().production);
        m_banner->clear();
        m_window->statusBar()->showMessage(tr("Connected to %1 (%2); credentials %3").arg(info.endpoint, info.region, info.credentialSource), 8000);
        m_streams->refreshStreams();
    });
    connect(m_connection, &ConnectionController::connectionFailed, this, [this](const QString &problem) {
        m_connectionBar->setConnectionState(ConnectionController::State::Failed, problem);
        const ConnectionTarget target = m_connection->target();
        if (target.kind == ConnectionTarget::Kind::Custom)
            m_banner->showMessage(Banner::Kind::Error, problem, tr("Edit target…"), [this, target] { showCustomEndpointDialog(target); });
        else
            m_banner->showMessage(Banner::Kind::Error, problem, tr("Try again"), [this, target] { connectToTarget(target); });
    });
    connect(m_streams, &StreamController::streamsChanged, this, [this](const QStringList &streams) {
        WorkbenchSettings settings;
        const QString last = m_rememberChoices ? settings.lastStream(m_connection->target().id) : QString();
        QString missing;
        const QString keep = m_streams->chooseListed(last, m_connection->target().kind == ConnectionTarget::Kind::Sandbox, &missing);
        if (!missing.isEmpty())
            m_banner->showMessage(Banner::Kind::Warning,
                                  tr("The workspace was sent to stream %1, which %2 does not have. Create it (Stream ▸ Create "
                                     "stream…) or choose another stream.")
                                      .arg(missing, m_connection->target().label()));
        m_connectionBar->setStreams(streams, keep);
        if (!keep.isEmpty() && keep != m_streams->stream())
            chooseStream(keep);
        Q_EMIT readinessChanged();
    });
    connect(m_streams, &StreamController::streamsFailed, this, [this](const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        m_connectionBar->setConnectionState(ConnectionController::State::Failed, problem);
        m_banner->showMessage(Banner::Kind::Error, problem, tr("Try again"), [this] { m_streams->refreshStreams(); });
    });
    connect(m_streams, &StreamController::summaryChanged, this, [this](const net::StreamSummary &summary) {
        m_connectionBar->setStreamSummary(summary);
        m_workspace->setMaxRecordBytes(summary.maxRecordBytes());
        if (!m_openedStream.isEmpty() && summary.name == m_openedStream)
            checkResultsAgainstStream(summary.name, summary.createdMs);
    });
    connect(m_streams, &StreamController::shardMapChanged, this, [this](const QString &stream, const ShardMap &map) {
        m_workspace->setStreamShardMap(stream, map);
        m_sender->setShardMap(map);
    });
    connect(m_streams, &StreamController::streamFailed, this, [this](const QString &stream, const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        m_connectionBar->setStreamProblem(problem);
        m_banner->showMessage(Banner::Kind::Error, tr("Stream %1: %2").arg(stream, problem));
    });
    connect(m_streams, &StreamController::creationProgress, this, [this](const QString &, const QString &status, qint64 ms) {
        if (m_createDialog)
            m_createDialog->setProgress(status, ms);
    });
    connect(m_streams, &StreamController::creationFinished, this, [this](const QString &name) {
        if (m_createDialog)
            m_createDialog->accept();
        m_window->statusBar()->showMessage(tr("Stream %1 is active.").arg(name), 8000);
        WorkbenchSettings settings;
        settings.setLastStream(m_connection->target().id, name);
        m_streams->refreshStreams();
        chooseStream(name);
    });
    connect(m_streams, &StreamController::creationFailed, this, [this](const QString &, const Error &error) {
        const QString problem = ProblemText::describe(error, m_connection->info().endpoint);
        if (m_createDialog)
            m_createDialog->setFailed(problem);
        else
            m_banner->showMessage(Banner::Kind::Error, problem);
    });

}

void ConnectionPresenter::refresh()
{
    m_streams->refreshStreams();
    m_streams->refreshShards();
}

void ConnectionPresenter::rebuildTargets()
{
    m_connectionBar->setTargets(TargetList(m_connection).all(),
                                m_connection->isSandboxReady() ? QString() : m_connection->sandboxStatus());
    if (m_connection->target().isValid())
        m_connectionBar->setCurrentTarget(m_connection->target().id);
}

void ConnectionPresenter::connectToTarget(const ConnectionTarget &target)
{
    if (m_sender->isRunning())
        return;
    m_banner->clear();
    m_connection->connectTo(target);
    m_connectionBar->setCurrentTarget(target.id);
    m_connectionBar->setProduction(target.production);
    if (m_rememberChoices) {
        WorkbenchSettings settings;
        settings.setLastTargetId(target.id);
    }
}

void ConnectionPresenter::saveCustomTarget(const ConnectionTarget &target, const aws::Credentials &typedKeys)
{
    TargetList(m_connection).saveCustom(target);
    rebuildTargets();
    if (!target.keysInKeychain)
        m_connection->forgetKeys(target);
    if (target.keysInKeychain && !typedKeys.isEmpty()) {
        m_connection->storeKeys(target, typedKeys, [this, target](Result<void> stored) {
            if (!stored.ok()) {
                m_banner->showMessage(Banner::Kind::Error, ProblemText::describe(stored.error()), tr("Edit target…"),
                                      [this, target] { showCustomEndpointDialog(target); });
                return;
            }
            connectToTarget(target);
        });
        return;
    }
    connectToTarget(target);
}

void ConnectionPresenter::chooseStream(const QString &stream)
{
    m_streams->selectStream(stream);
    m_sender->setStream(stream);
    if (stream.isEmpty()) {
        m_sender->setShardMap(ShardMap());
        m_workspace->setStreamShardMap(QString(), ShardMap());
        m_workspace->setMaxRecordBytes(limits::kDefaultMaxRecordBytes);
    }
    m_connectionBar->setStreams(m_streams->streams(), stream);
    if (m_rememberChoices) {
        WorkbenchSettings settings;
        settings.setLastStream(m_connection->target().id, stream);
    }
    Q_EMIT readinessChanged();
}

void ConnectionPresenter::goToSaved(const workspace::WorkspaceHeader &header)
{
    // Checked once its stream answers: were these results written to that stream?
    m_openedStream = header.counts.succeeded > 0 ? header.stream : QString();
    m_openedSavedAt = header.savedAt;
    // The target, found among the ones set up here; keys never travel with a workspace.
    const workspace::SavedTarget &saved = header.target;
    const ConnectionTarget target = TargetList(m_connection).forSaved(saved);
    if (!target.isValid()) {
        if (saved.id.isEmpty())
            return;
        const QString where = saved.kind == QLatin1String("profile") ? tr("AWS profile %1").arg(saved.profile)
                                                                      : tr("%1 (%2)").arg(saved.name, saved.endpointUrl);
        ConnectionTarget suggestion = ConnectionTarget::newCustom();
        suggestion.name = saved.name;
        suggestion.endpointUrl = saved.endpointUrl;
        suggestion.region = saved.region;
        suggestion.profile = saved.profile;
        m_banner->showMessage(Banner::Kind::Warning,
                              tr("This workspace was sent to %1, which is not set up here. Choose a target above to send "
                                 "its rows.")
                                  .arg(where),
                              saved.kind == QLatin1String("custom") ? tr("Add endpoint…") : QString(),
                              [this, suggestion] { showCustomEndpointDialog(suggestion); });
        return;
    }
    m_streams->setWantedStream(header.stream);
    if (m_connection->target().id == target.id && m_connection->state() == ConnectionController::State::Connected) {
        if (header.stream.isEmpty())
            return;
        if (m_streams->streams().contains(header.stream)) {
            m_streams->setWantedStream(QString());
            m_connectionBar->setStreams(m_streams->streams(), header.stream);
            chooseStream(header.stream);
        } else {
            m_streams->refreshStreams();
        }
        return;
    }
    connectToTarget(target);
}

void ConnectionPresenter::checkResultsAgainstStream(const QString &stream, qint64 createdMs)
{
    const QDateTime savedAt = std::exchange(m_openedSavedAt, QDateTime());
    m_openedStream.clear();
    // Every result in the file was made before it was saved: a stream created after that is
    // not the one they were written to (a restarted sandbox starts empty).
    if (createdMs < 0 || !savedAt.isValid() || createdMs <= savedAt.toMSecsSinceEpoch())
        return;
    const QLocale locale;
    const bool sandbox = m_connection->target().kind == ConnectionTarget::Kind::Sandbox;
    const QString created = locale.toString(QDateTime::fromMSecsSinceEpoch(createdMs).toLocalTime(), QLocale::ShortFormat);
    const QString saved = locale.toString(savedAt.toLocalTime(), QLocale::ShortFormat);
    const QString text = sandbox
        ? tr("These results were made against an earlier session of the built-in sandbox: its stream %1 was created at "
             "%2, after the workspace was saved (%3), and does not hold these records. Send the rows again to write them "
             "here.")
              .arg(stream, created, saved)
        : tr("These results were made against an earlier stream: %1 was created at %2, after the workspace was saved "
             "(%3), and does not hold these records. Send the rows again to write them here.")
              .arg(stream, created, saved);
    m_banner->showMessage(Banner::Kind::Warning, text);
}

void ConnectionPresenter::showCustomEndpointDialog(const ConnectionTarget &existing)
{
    if (m_endpointDialog)
        m_endpointDialog->deleteLater();
    m_endpointDialog = new CustomEndpointDialog(m_connection->profiles(), m_window);
    m_endpointDialog->setAttribute(Qt::WA_DeleteOnClose);
    if (existing.isValid() && existing.kind == ConnectionTarget::Kind::Custom)
        m_endpointDialog->setTarget(existing);
    connect(m_endpointDialog, &QDialog::accepted, this, [this] {
        if (m_endpointDialog)
            saveCustomTarget(m_endpointDialog->target(), m_endpointDialog->typedKeys());
    });
    m_endpointDialog->open();
}

void ConnectionPresenter::showCreateStreamDialog()
{
    if (!m_streams->client())
        return;
    if (m_createDialog)
        m_createDialog->deleteLater();
    m_createDialog = new CreateStreamDialog(m_window);
    m_createDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_createDialog, &CreateStreamDialog::createRequested, m_streams, &StreamController::createStream);
    connect(m_createDialog, &QDialog::rejected, m_streams, &StreamController::cancelCreation);
    m_createDialog->open();
}

} // namespace kwb::ui
