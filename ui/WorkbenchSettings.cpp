#include "WorkbenchSettings.h"

#include <QFileInfo>

namespace kwb::ui {

QByteArray WorkbenchSettings::windowGeometry() const
{
    return m_settings.value(QStringLiteral("window/geometry")).toByteArray();
}

QByteArray WorkbenchSettings::windowState() const
{
    return m_settings.value(QStringLiteral("window/state")).toByteArray();
}

void WorkbenchSettings::setWindow(const QByteArray &geometry, const QByteArray &state)
{
    m_settings.setValue(QStringLiteral("window/geometry"), geometry);
    m_settings.setValue(QStringLiteral("window/state"), state);
}

WorkbenchSettings::Columns WorkbenchSettings::columns() const
{
    Columns c;
    c.headerVersion = m_settings.value(QStringLiteral("recordsView/headerVersion")).toInt();
    c.header = m_settings.value(QStringLiteral("recordsView/header")).toByteArray();
    if (m_settings.contains(QStringLiteral("recordsView/hiddenColumns")))
        c.hiddenColumns = m_settings.value(QStringLiteral("recordsView/hiddenColumns")).toStringList();
    return c;
}

void WorkbenchSettings::setColumns(const Columns &columns)
{
    m_settings.setValue(QStringLiteral("recordsView/hiddenColumns"), columns.hiddenColumns.value_or(QStringList()));
    m_settings.setValue(QStringLiteral("recordsView/header"), columns.header);
    m_settings.setValue(QStringLiteral("recordsView/headerVersion"), columns.headerVersion);
}

send::SendOptions WorkbenchSettings::sendOptions() const
{
    send::SendOptions o;
    o.concurrency = m_settings.value(QStringLiteral("send/concurrency2"), o.concurrency).toInt();
    o.maxAttempts = m_settings.value(QStringLiteral("send/maxAttempts2"), o.maxAttempts).toInt();
    o.ratePercent = m_settings.value(QStringLiteral("send/ratePercent2"), o.ratePercent).toDouble();
    o.ordered = m_settings.value(QStringLiteral("send/ordered"), o.ordered).toBool();
    o.verify = m_settings.value(QStringLiteral("send/verify"), o.verify).toBool();
    return o;
}

void WorkbenchSettings::setSendOptions(const send::SendOptions &o)
{
    // "2": the values' meaning changed (0 = automatic where it meant off); the old keys are
    // left alone so that an older version still reads what it wrote.
    m_settings.setValue(QStringLiteral("send/concurrency2"), o.concurrency);
    m_settings.setValue(QStringLiteral("send/maxAttempts2"), o.maxAttempts);
    m_settings.setValue(QStringLiteral("send/ratePercent2"), o.ratePercent);
    m_settings.setValue(QStringLiteral("send/ordered"), o.ordered);
    m_settings.setValue(QStringLiteral("send/verify"), o.verify);
}

int WorkbenchSettings::shardMapRate() const
{
    return m_settings.value(QStringLiteral("shardMap/rate"), 1000).toInt();
}

int WorkbenchSettings::virtualShardCount() const
{
    return m_settings.value(QStringLiteral("shardMap/virtualShards"), 4).toInt();
}

void WorkbenchSettings::setShardMap(int rate, int virtualShardCount)
{
    m_settings.setValue(QStringLiteral("shardMap/rate"), rate);
    m_settings.setValue(QStringLiteral("shardMap/virtualShards"), virtualShardCount);
}

std::optional<import::ImportOptions> WorkbenchSettings::importKeys() const
{
    if (!m_settings.contains(QStringLiteral("import/keyStrategy")))
        return std::nullopt;
    import::ImportOptions last;
    last.keyStrategy = import::KeyStrategy(m_settings.value(QStringLiteral("import/keyStrategy")).toInt());
    last.partitionKeyField = m_settings.value(QStringLiteral("import/keyField")).toString();
    last.constantKey = m_settings.value(QStringLiteral("import/constantKey")).toString();
    return last;
}

void WorkbenchSettings::setImportKeys(const import::ImportOptions &options)
{
    m_settings.setValue(QStringLiteral("import/keyStrategy"), int(options.keyStrategy));
    m_settings.setValue(QStringLiteral("import/keyField"), options.partitionKeyField);
    m_settings.setValue(QStringLiteral("import/constantKey"), options.constantKey);
}

std::optional<int> WorkbenchSettings::presenterZoom() const
{
    const QVariant zoom = m_settings.value(QStringLiteral("presenter/zoom"));
    return zoom.isValid() ? std::optional<int>(zoom.toInt()) : std::nullopt;
}

void WorkbenchSettings::setPresenterZoom(int percent)
{
    m_settings.setValue(QStringLiteral("presenter/zoom"), percent);
}

std::optional<qint64> WorkbenchSettings::liveCapacity() const
{
    const QVariant capacity = m_settings.value(QStringLiteral("liveView/capacity"));
    return capacity.isValid() ? std::optional<qint64>(capacity.toLongLong()) : std::nullopt;
}

void WorkbenchSettings::setLiveCapacity(qint64 records)
{
    m_settings.setValue(QStringLiteral("liveView/capacity"), records);
}

bool WorkbenchSettings::firstRunDone() const
{
    return m_settings.value(QStringLiteral("firstRunDone")).toBool();
}

void WorkbenchSettings::setFirstRunDone()
{
    m_settings.setValue(QStringLiteral("firstRunDone"), true);
}

QStringList WorkbenchSettings::recentFiles() const
{
    return m_settings.value(QStringLiteral("recentFiles")).toStringList();
}

void WorkbenchSettings::addRecentFile(const QString &path)
{
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    m_settings.setValue(QStringLiteral("recentFiles"), files);
}

void WorkbenchSettings::clearRecentFiles()
{
    m_settings.remove(QStringLiteral("recentFiles"));
}

} // namespace kwb::ui
