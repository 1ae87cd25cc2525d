#include "controllers/SendController.h"

#include "models/Workspace.h"
#include "net/KinesisClient.h"
#include "sandbox/SandboxServer.h"

#include <QLocale>

#include <algorithm>

namespace kwb::ui {

SendController::SendController(Workspace *workspace, QObject *parent)
    : QObject(parent)
    , m_workspace(workspace)
    , m_flow(new send::FlowController(this))
{
    connect(m_flow, &send::FlowController::limitsChanged, this, &SendController::limitsChanged);
    m_counterTimer.setSingleShot(true);
    m_counterTimer.setInterval(kCounterIntervalMs);
    connect(&m_counterTimer, &QTimer::timeout, this, &SendController::emitCounters);
    connect(workspace, &Workspace::wasReset, this, &SendController::recountFailed);
    connect(workspace, &Workspace::rowsRemoved, this, &SendController::recountFailed);
    connect(workspace, &Workspace::recordsEdited, this, &SendController::recountFailed);
    connect(workspace, &Workspace::rowsInserted, this, &SendController::recountFailed);
    connect(workspace, &Workspace::wasReset, this, &SendController::forgetCounters);
    connect(workspace, &Workspace::rowsRemoved, this, &SendController::forgetCounters);
    connect(workspace, &Workspace::rowsInserted, this, &SendController::forgetCounters);
    m_maxRecordBytes = workspace->maxRecordBytes();
    connect(workspace, &Workspace::routingChanged, this, [this] {
        if (std::exchange(m_maxRecordBytes, m_workspace->maxRecordBytes()) != m_maxRecordBytes)
            Q_EMIT maxRecordBytesChanged(m_maxRecordBytes);
    });
}

qint64 SendController::maxRecordBytes() const
{
    return m_workspace->maxRecordBytes();
}

SendController::~SendController()
{
    if (m_engine && m_engine->isRunning())
        m_engine->abort();
}

void SendController::setClient(net::KinesisClient *client)
{
    if (m_engine) {
        if (m_engine->isRunning())
            m_engine->abort();
        // Abort finishes synchronously; the engine is no longer in use.
        delete m_engine;
        m_engine = nullptr;
    }
    m_client = client;
    if (m_workspace->isLocked())
        m_workspace->setLocked(false);
    applyTargetLimits();
}

void SendController::setSandboxServer(sandbox::SandboxServer *server)
{
    m_sandbox = server;
    applyTargetLimits();
}

void SendController::refreshSandboxLimits()
{
    applyTargetLimits();
}

void SendController::applyTargetLimits()
{
    if (!m_client) {
        m_flow->setLimits(send::ShardLimits::documented());
        return;
    }
    const QUrl endpoint = m_client->options().endpoint;
    if (m_sandbox && !endpoint.isEmpty() && endpoint.host() == m_sandbox->url().host() && endpoint.port() == m_sandbox->url().port()) {
        const sandbox::SandboxOptions o = m_sandbox->options();
        m_flow->setLimits(send::ShardLimits::sandbox(o.limitsEnabled, o.limitScale));
    } else {
        m_flow->setLimits(send::ShardLimits::forEndpoint(endpoint));
    }
}

void SendController::setShardMap(ShardMap map)
{
    m_map = std::move(map);
    resumeIfBack();
}

void SendController::pause()
{
    if (!isRunning())
        return;
    Paused paused{m_stream, {}};
    const send::SendResults &results = m_workspace->results();
    for (int row = 0; row < results.size(); ++row)
        if (results.status(row) == send::RowStatus::Queued)
            paused.rows.push_back(row);
    cancel(); // queued rows go back to pending; rows waiting for a retry keep their last error
    m_paused = std::move(paused);
    Q_EMIT pausedChanged(true);
}

int SendController::pausedRowCount() const
{
    if (!m_paused)
        return 0;
    int count = 0;
    const send::SendResults &results = m_workspace->results();
    for (int row : m_paused->rows)
        if (row < results.size() && (results.status(row) == send::RowStatus::Pending || results.status(row) == send::RowStatus::Failed))
            ++count;
    return count;
}

void SendController::forgetPause()
{
    if (!m_paused)
        return;
    m_paused.reset();
    Q_EMIT pausedChanged(false);
}

void SendController::resumeIfBack()
{
    if (!m_paused || m_map.isEmpty() || m_stream != m_paused->stream)
        return;
    // After the caller has finished setting up the target (the stream is chosen before its map).
    QTimer::singleShot(0, this, [this] {
        if (!m_paused || m_map.isEmpty() || m_stream != m_paused->stream || !whyNotReady().isEmpty())
            return;
        std::vector<int> rows;
        const send::SendResults &results = m_workspace->results();
        for (int row : m_paused->rows)
            if (row < results.size() && (results.status(row) == send::RowStatus::Pending || results.status(row) == send::RowStatus::Failed))
                rows.push_back(row);
        forgetPause();
        const int count = int(rows.size());
        if (count > 0 && start(Mode::Send, std::move(rows)))
            Q_EMIT resumed(count);
    });
}

void SendController::forgetCounters()
{
    forgetPause(); // the rows were replaced: the paused run's row numbers mean nothing now
    if (isRunning())
        return;
    m_counters = send::SendCounters{};
    m_rate = 0;
    m_counterTimer.stop();
    emitCounters();
}

void SendController::setRandom(std::function<double()> uniform01)
{
    m_random = std::move(uniform01);
    if (m_engine && m_random)
        m_engine->setRandom(m_random);
}

QString SendController::whyNotReady() const
{
    if (!m_client)
        return tr("Not connected: choose a target first.");
    if (m_stream.isEmpty())
        return tr("Choose a stream to send to.");
    if (isRunning())
        return tr("A send is already running.");
    if (m_workspace->isLocked())
        return tr("A generator run is adding rows: stop it in the Generate dock, or wait for it to end.");
    return {};
}

void SendController::ensureEngine()
{
    if (m_engine)
        return;
    m_engine = new send::SendEngine(m_client, &m_workspace->store(), &m_workspace->mutableResults(), this);
    m_engine->setFlowController(m_flow);
    if (m_random)
        m_engine->setRandom(m_random);
    connect(m_engine, &send::SendEngine::rowsChanged, m_workspace, &Workspace::notifyOutcomesChanged);
    connect(m_engine, &send::SendEngine::manyRowsChanged, m_workspace, &Workspace::notifyAllOutcomesChanged);
    connect(m_engine, &send::SendEngine::countersChanged, this, &SendController::onCounters);
    connect(m_engine, &send::SendEngine::finished, this, &SendController::onFinished);
    connect(m_engine, &send::SendEngine::requestLogged, this, &SendController::requestLogged);
}

bool SendController::sendAll()
{
    std::vector<int> rows(static_cast<size_t>(m_workspace->rowCount()));
    for (size_t i = 0; i < rows.size(); ++i)
        rows[i] = int(i);
    return start(Mode::Send, std::move(rows));
}

void SendController::setOptions(const send::SendOptions &o)
{
    const send::SendOptions &m = m_options;
    const bool same = o.concurrency == m.concurrency && o.maxRecordsPerRequest == m.maxRecordsPerRequest
        && o.maxRequestBytes == m.maxRequestBytes && o.maxRecordBytes == m.maxRecordBytes && o.maxAttempts == m.maxAttempts
        && o.deadlineMs == m.deadlineMs && o.backoffBaseMs == m.backoffBaseMs && o.backoffCapMs == m.backoffCapMs
        && o.ratePercent == m.ratePercent && o.flowControl == m.flowControl && o.ordered == m.ordered && o.verify == m.verify
        && o.aggregate == m.aggregate && o.aggregateMaxBytes == m.aggregateMaxBytes;
    m_options = o;
    if (!same)
        Q_EMIT optionsChanged(m_options);
}

workspace::SavedSendSettings SendController::savedOptions() const
{
    const send::SendOptions &o = m_options;
    return workspace::SavedSendSettings{o.concurrency, o.maxAttempts,  o.ratePercent, o.ordered,
                                        o.verify,      o.deadlineMs,   o.flowControl, o.aggregate,
                                        o.aggregateMaxBytes};
}

void SendController::applySavedOptions(const workspace::SavedSendSettings &saved)
{
    send::SendOptions o = m_options;
    o.concurrency = saved.concurrency;
    o.maxAttempts = saved.maxAttempts;
    o.ratePercent = saved.ratePercent;
    o.deadlineMs = saved.deadlineMs;
    o.flowControl = saved.flowControl;
    o.ordered = saved.ordered;
    o.verify = saved.verify;
    o.aggregate = saved.aggregate;
    o.aggregateMaxBytes = saved.aggregateMaxBytes;
    setOptions(o);
}

SendDecision SendController::decideSend(std::vector<int> storeRows, bool selected, const QString &productionTarget) const
{
    SendDecision d;
    if (!whyNotReady().isEmpty()) {
        d.rows = std::move(storeRows); // refused by carryOut, with the reason in the banner
        return d;
    }
    const send::SendResults &results = m_workspace->results();
    const qint64 succeeded = std::count_if(storeRows.begin(), storeRows.end(),
                                           [&](int r) { return results.status(r) == send::RowStatus::Succeeded; });
    const qint64 total = qint64(storeRows.size());
    const QLocale locale;
    d.rows = std::move(storeRows);
    // Every row went out already: sending means writing them again, which must be meant.
    if (succeeded == total) {
        const QString what = total == 1 ? tr("This row was sent already.")
                                        : tr("All %1 %2 rows were sent already.")
                                              .arg(locale.toString(total), selected ? tr("selected") : QString())
                                              .simplified();
        const QString production = productionTarget.isEmpty() ? QString() : tr(" %1 is a production target.").arg(productionTarget);
        d.action = SendDecision::Action::SendAgain;
        d.question = tr("%1 Send again to stream %2? The stream gets the records a second time, as new records.%3")
                         .arg(what, m_stream, production);
        return d;
    }
    const qint64 toSend = total - succeeded;
    if (succeeded > 0)
        d.note = tr("Sending %1 rows; %2 that succeeded already are not sent again.")
                     .arg(locale.toString(toSend), locale.toString(succeeded));
    if (!productionTarget.isEmpty())
        d.question = tr("%1 is a production target. Send %2 rows to stream %3?")
                         .arg(productionTarget, locale.toString(toSend), m_stream);
    return d;
}

SendDecision SendController::decideRetry(const QString &productionTarget) const
{
    SendDecision d;
    d.action = SendDecision::Action::RetryFailed;
    if (!productionTarget.isEmpty() && whyNotReady().isEmpty())
        d.question = tr("%1 is a production target. Send the %2 failed rows again to stream %3?")
                         .arg(productionTarget, QLocale().toString(m_failedRows), m_stream);
    return d;
}

bool SendController::carryOut(SendDecision decision)
{
    switch (decision.action) {
    case SendDecision::Action::Send:
        return sendRows(std::move(decision.rows));
    case SendDecision::Action::SendAgain:
        return sendAgain(decision.rows);
    case SendDecision::Action::RetryFailed:
        return retryFailed();
    }
    return false;
}

bool SendController::sendRows(std::vector<int> storeRows)
{
    return start(Mode::Send, std::move(storeRows));
}

bool SendController::retryFailed()
{
    std::vector<int> rows;
    const send::SendResults &results = m_workspace->results();
    for (int row = 0; row < results.size(); ++row) {
        const auto s = results.status(row);
        if (s == send::RowStatus::Failed || s == send::RowStatus::Cancelled)
            rows.push_back(row);
    }
    return start(Mode::Retry, std::move(rows));
}

bool SendController::sendAgain(const std::vector<int> &storeRows)
{
    if (!whyNotReady().isEmpty() || m_workspace->isLocked())
        return start(Mode::Send, storeRows); // says why it cannot
    send::SendResults &results = m_workspace->mutableResults();
    QList<int> changed;
    for (int row : storeRows) {
        if (row < 0 || row >= results.size() || results.status(row) != send::RowStatus::Succeeded)
            continue;
        // The attempts stay: the history shows the earlier send too.
        results.clearOutcome(row);
        results.setStatus(row, send::RowStatus::Pending);
        changed.append(row);
    }
    m_workspace->notifyOutcomesChanged(changed);
    return start(Mode::Send, storeRows);
}

bool SendController::start(Mode mode, std::vector<int> rows)
{
    const QString why = whyNotReady();
    if (!why.isEmpty()) {
        Q_EMIT refused(why);
        return false;
    }
    forgetPause(); // another send: the paused run is the user's to send again
    ensureEngine();
    // Rows whose typed explicit hash key does not parse would be routed by MD5 instead: keep
    // them out, failed with the reason.
    QList<int> refusedRows;
    if (!m_workspace->badExplicitHashKeys().empty()) {
        std::vector<int> kept;
        kept.reserve(rows.size());
        send::SendResults &results = m_workspace->mutableResults();
        for (int row : rows) {
            if (m_workspace->hasBadExplicitHashKey(row)) {
                results.markFailed(row, rowIssueCode(RowIssue::BadExplicitHashKey), m_workspace->issueMessage(row), false);
                refusedRows.append(row);
            } else {
                kept.push_back(row);
            }
        }
        rows = std::move(kept);
        m_workspace->notifyOutcomesChanged(refusedRows);
    }
    send::SendOptions options = m_options;
    options.maxRecordBytes = m_workspace->maxRecordBytes();
    m_engine->setOptions(options);
    m_engine->setStream(m_stream);
    m_engine->setShardMap(m_map);
    m_samples.clear();
    m_clock.start();
    m_rate = 0;
    m_workspace->setLocked(true);
    m_wasRunning = true;
    Q_EMIT runningChanged(true);
    if (mode == Mode::Retry)
        m_engine->retry(std::move(rows));
    else
        m_engine->send(std::move(rows));
    return true;
}

void SendController::cancel()
{
    if (m_engine)
        m_engine->cancel();
}

void SendController::abort()
{
    if (m_engine)
        m_engine->abort();
}

void SendController::onCounters(const send::SendCounters &counters)
{
    m_counters = counters;
    const qint64 now = m_clock.isValid() ? m_clock.elapsed() : 0;
    // Rows that succeeded per second: what reached the stream, not answers.
    const qint64 done = counters.succeeded;
    m_samples.emplace_back(now, done);
    while (m_samples.size() > 2 && now - m_samples.front().first > 2000)
        m_samples.pop_front();
    const auto &[t0, d0] = m_samples.front();
    m_rate = now > t0 ? double(done - d0) * 1000.0 / double(now - t0) : 0.0;
    if (!m_counterTimer.isActive())
        m_counterTimer.start();
}

void SendController::emitCounters()
{
    Q_EMIT countersChanged(m_counters, m_rate);
}

void SendController::onFinished(const send::SendCounters &counters)
{
    m_counters = counters;
    const qint64 elapsed = std::max<qint64>(1, counters.elapsedMs);
    m_rate = double(counters.succeeded) * 1000.0 / double(elapsed);
    m_counterTimer.stop();
    m_workspace->setLocked(false);
    recountFailed();
    emitCounters();
    m_workspace->notifyAllOutcomesChanged();
    if (m_wasRunning) {
        m_wasRunning = false;
        Q_EMIT runningChanged(false);
    }
    Q_EMIT finished(counters);
}

void SendController::recountFailed()
{
    int failed = 0;
    const send::SendResults &results = m_workspace->results();
    for (int row = 0; row < results.size(); ++row) {
        const auto s = results.status(row);
        failed += s == send::RowStatus::Failed || s == send::RowStatus::Cancelled;
    }
    if (failed != m_failedRows) {
        m_failedRows = failed;
        Q_EMIT failedRowsChanged(failed);
    }
}

} // namespace kwb::ui
