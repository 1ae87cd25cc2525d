#pragma once

#include <QJsonValue>
#include <QStringList>
#include <QTextStream>

#include <vector>

namespace kwb::cli {

/// Exit statuses of kwb: 0 success, 1 service or network error, 2 usage or input error.
enum ExitCode { ExitOk = 0, ExitServiceError = 1, ExitUsage = 2 };

enum class OutputFormat { Table, Json };

/// A count for messages, in the C locale (digits only: "1234567").
QString number(qint64 n);

/// Writes results as an aligned text table or as one JSON document on stdout, and errors as one
/// line on stderr. Used on the main thread only.
class Output
{
public:
    explicit Output(OutputFormat format = OutputFormat::Table);

    OutputFormat format() const { return m_format; }
    void setFormat(OutputFormat format) { m_format = format; }

    /// Table: a header row and aligned columns. Json is written separately with `json()`.
    void table(const QStringList &headers, const std::vector<QStringList> &rows);
    void json(const QJsonValue &document);
    void line(const QString &text);
    /// "kwb: error: <message>" on stderr, in one line.
    void error(const QString &message);

private:
    OutputFormat m_format;
    QTextStream m_out;
    QTextStream m_err;
};

} // namespace kwb::cli
