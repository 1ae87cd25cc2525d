#include "Output.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cstdio>

namespace kwb::cli {

QString number(qint64 n)
{
    return QLocale::c().toString(n);
}

Output::Output(OutputFormat format)
    : m_format(format)
    , m_out(stdout)
    , m_err(stderr)
{
}

void Output::table(const QStringList &headers, const std::vector<QStringList> &rows)
{
    std::vector<qsizetype> widths(size_t(headers.size()), 0);
    const auto measure = [&](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < headers.size(); ++i)
            widths[size_t(i)] = std::max(widths[size_t(i)], row[i].size());
    };
    measure(headers);
    for (const QStringList &row : rows)
        measure(row);
    const auto print = [&](const QStringList &row) {
        QString text;
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (i + 1 == row.size())
                text += row[i];
            else
                text += row[i].leftJustified(widths[size_t(i)]) + QStringLiteral("  ");
        }
        m_out << text << '\n';
    };
    print(headers);
    for (const QStringList &row : rows)
        print(row);
    m_out.flush();
}

void Output::json(const QJsonValue &document)
{
    QJsonDocument doc = document.isArray() ? QJsonDocument(document.toArray()) : QJsonDocument(document.toObject());
    m_out << doc.toJson(QJsonDocument::Indented);
    m_out.flush();
}

void Output::line(const QString &text)
{
    m_out << text << '\n';
    m_out.flush();
}

void Output::error(const QString &message)
{
    QString oneLine = message;
    oneLine.replace(QLatin1Char('\n'), QLatin1String("; "));
    m_err << "kwb: error: " << oneLine << '\n';
    m_err.flush();
}

} // namespace kwb::cli
