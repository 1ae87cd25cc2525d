#include "io/ImportJobs.h"

#include "import/Importer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>

namespace kwb::ui {

ImportJob ImportJobs::file(const QString &path, import::ImportOptions options)
{
    if (options.maxRecordBytes == limits::kDefaultMaxRecordBytes)
        options.maxRecordBytes = limits::kLargestMaxRecordBytes;
    options.maxStoredIssues = kMaxIssuesShown;
    return [path, options](const ImportProgress &progress) {
        ImportOutcome outcome;
        import::Importer importer;
        auto report = importer.importFile(path, outcome.result.store, options,
                                          [&progress](qint64 done, qint64 total) { return !progress || progress(done, total); });
        if (!report.ok()) {
            if (report.error().kind != Error::Kind::Cancelled)
                outcome.error = report.error().message;
            return outcome;
        }
        const import::ImportReport &r = report.value();
        const QString name = path.startsWith(QLatin1String(":/")) ? QFileInfo(path).fileName() : QFileInfo(path).fileName();
        outcome.result.summary = QCoreApplication::translate("ImportJobs", "%1: %2").arg(name, r.summary(QLocale()));
        for (const import::ImportIssue &issue : r.issues)
            outcome.result.issues.append(issue.toString());
        outcome.result.issueCount = r.issueCount;
        if (!r.streamName.isEmpty())
            outcome.result.streamName = r.streamName;
        return outcome;
    };
}

import::ImportOptions ImportJobs::sampleOptions()
{
    import::ImportOptions options;
    options.format = import::Format::JsonLines;
    options.jsonShape = import::JsonShape::Objects;
    options.keyStrategy = import::KeyStrategy::Field;
    options.partitionKeyField = QStringLiteral("userId");
    return options;
}

ImportJob ImportJobs::sample()
{
    return file(samplePath(), sampleOptions());
}

} // namespace kwb::ui
