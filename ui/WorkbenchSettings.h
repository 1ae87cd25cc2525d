#pragma once

#include "controllers/ConnectionTarget.h"
#include "import/ImportOptions.h"
#include "send/SendEngine.h"

#include <QByteArray>
#include <QSettings>
#include <QStringList>

#include <optional>

namespace kwb::ui {

/// The workbench's saved preferences, typed: window geometry and dock state, the records table's
/// columns, the send options, the shard map's rate and virtual shard count, the last import's key
/// settings, presenter mode's zoom, the live view's capacity, whether the first launch has been,
/// the recent files and (through TargetSettings) the targets. The only place that knows
/// the QSettings keys the window uses. Never holds keys or other secrets. A short-lived value
/// (reads what QSettings holds now); GUI thread.
class WorkbenchSettings
{
public:
    static constexpr int kMaxRecentFiles = 8;

    /// The records table's header as saved: its state (order, widths, hidden sections) for a header
    /// version, or, from older versions, only the hidden columns' keys.
    struct Columns
    {
        int headerVersion = 0;
        QByteArray header;
        std::optional<QStringList> hiddenColumns;
    };

    QByteArray windowGeometry() const;
    QByteArray windowState() const;
    void setWindow(const QByteArray &geometry, const QByteArray &state);

    Columns columns() const;
    void setColumns(const Columns &columns);

    /// The send options the user chose last (defaults for those never saved).
    send::SendOptions sendOptions() const;
    void setSendOptions(const send::SendOptions &options);

    int shardMapRate() const;
    int virtualShardCount() const;
    void setShardMap(int rate, int virtualShardCount);

    /// The key settings of the last import (strategy, field, constant), if any was made.
    std::optional<import::ImportOptions> importKeys() const;
    void setImportKeys(const import::ImportOptions &options);

    /// Presenter mode's zoom in percent, if it was ever changed.
    std::optional<int> presenterZoom() const;
    void setPresenterZoom(int percent);

    /// How many records the Live stream view keeps, if it was ever set.
    std::optional<qint64> liveCapacity() const;
    void setLiveCapacity(qint64 records);

    /// The first launch has been (it opened the sample records).
    bool firstRunDone() const;
    void setFirstRunDone();

    /// Absolute paths, newest first, at most kMaxRecentFiles.
    QStringList recentFiles() const;
    void addRecentFile(const QString &path);
    void clearRecentFiles();

    QList<ConnectionTarget> customTargets() { return TargetSettings::customTargets(m_settings); }
    void saveCustomTargets(const QList<ConnectionTarget> &targets) { TargetSettings::saveCustomTargets(m_settings, targets); }
    bool isProduction(const QString &targetId) { return TargetSettings::isProduction(m_settings, targetId); }
    void setProduction(const QString &targetId, bool production) { TargetSettings::setProduction(m_settings, targetId, production); }
    QString lastTargetId() { return TargetSettings::lastTargetId(m_settings); }
    void setLastTargetId(const QString &id) { TargetSettings::setLastTargetId(m_settings, id); }
    QString lastStream(const QString &targetId) { return TargetSettings::lastStream(m_settings, targetId); }
    void setLastStream(const QString &targetId, const QString &stream) { TargetSettings::setLastStream(m_settings, targetId, stream); }

private:
    mutable QSettings m_settings;
};

} // namespace kwb::ui
