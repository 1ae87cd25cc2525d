#pragma once

// The independent KPL implementation the tests compare with: awslabs' aws-kinesis-agg (npm,
// pinned in tests/peers), driven through tests/peers/kpl-oracle.js (JSON on stdin and stdout).

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>

namespace kwb::test {

/// Runs one request ({"op":"aggregate"|"deaggregate","records":[...]}); the answer, or an object
/// with "error" saying what went wrong.
inline QJsonObject runKplOracle(const QJsonObject &request)
{
    const QString dir = qEnvironmentVariable("KWB_SOURCE_DIR") + QStringLiteral("/tests/peers");
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules/aws-kinesis-agg")))
        return {{QStringLiteral("error"), QStringLiteral("aws-kinesis-agg is not installed: make peers (npm ci in tests/peers)")}};
    QProcess node;
    node.start(QStringLiteral("node"), {dir + QStringLiteral("/kpl-oracle.js")});
    if (!node.waitForStarted(10000))
        return {{QStringLiteral("error"), QStringLiteral("node did not start")}};
    node.write(QJsonDocument(request).toJson(QJsonDocument::Compact));
    node.closeWriteChannel();
    if (!node.waitForFinished(120000))
        return {{QStringLiteral("error"), QStringLiteral("the oracle did not finish")}};
    const QJsonObject answer = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    if (answer.isEmpty())
        return {{QStringLiteral("error"), QString::fromUtf8(node.readAllStandardError().right(2000))}};
    return answer;
}

} // namespace kwb::test
