#include "io/ClipboardRows.h"

#include "models/RecordText.h"
#include "models/Workspace.h"

namespace kwb::ui {

namespace {

const QLatin1String kBase64Prefix("base64:");

QByteArray dataFrom(const QString &field)
{
    if (field.startsWith(kBase64Prefix)) {
        auto decoded = RecordText::parseBase64(QStringView(field).mid(kBase64Prefix.size()));
        if (decoded.ok())
            return decoded.value();
    }
    return field.toUtf8();
}

} // namespace

std::vector<RowContent> ClipboardRows::parse(const QString &text, const std::function<QString()> &newKey)
{
    std::vector<RowContent> rows;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (QString line : lines) {
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        RowContent row;
        const qsizetype tab = line.indexOf(QLatin1Char('\t'));
        if (tab < 0) {
            row.partitionKey = newKey().toUtf8();
            row.data = dataFrom(line);
        } else {
            const QStringList fields = line.split(QLatin1Char('\t'));
            row.partitionKey = fields.value(0).toUtf8();
            row.data = dataFrom(fields.value(1));
            const QString hashKey = fields.value(2).trimmed();
            if (!hashKey.isEmpty()) {
                auto parsed = parseHashKey(hashKey);
                if (parsed.ok())
                    row.explicitHashKey = parsed.value();
                else
                    row.badExplicitHashKey = hashKey;
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

QString ClipboardRows::format(const Workspace &workspace, const std::vector<int> &storeRows)
{
    return format(workspace.store(), workspace.badExplicitHashKeys(), storeRows);
}

QString ClipboardRows::format(const RecordStore &store, const std::map<int, QString> &badExplicitHashKeys,
                              const std::vector<int> &storeRows)
{
    QString out;
    for (int row : storeRows) {
        const QByteArrayView data = store.data(row);
        const bool plain = RecordText::isText(data) && !data.contains('\t') && !data.contains('\n')
            && !data.contains('\r') && !QByteArrayView(data).startsWith(QByteArrayView("base64:"));
        out += store.partitionKey(row);
        out += QLatin1Char('\t');
        out += plain ? QString::fromUtf8(data) : kBase64Prefix + QString::fromLatin1(data.toByteArray().toBase64());
        if (store.hasExplicitHashKey(row))
            out += QLatin1Char('\t') + hashKeyToString(store.explicitHashKey(row));
        else if (const auto bad = badExplicitHashKeys.find(row); bad != badExplicitHashKeys.end())
            out += QLatin1Char('\t') + bad->second;
        out += QLatin1Char('\n');
    }
    return out;
}

} // namespace kwb::ui
