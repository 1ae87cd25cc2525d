#include "PutRecordsAnswerParser.h"

#include "KinesisClient.h"

#include <simdjson.h>

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

namespace kwb::net {

namespace {

namespace dom = simdjson::dom;

/// QJsonValue::toInt(): a number that is an int exactly, else 0.
int toIntLikeQt(const dom::element &value)
{
    switch (value.type()) {
    case dom::element_type::INT64: {
        const int64_t n = int64_t(value);
        return n >= std::numeric_limits<int>::min() && n <= std::numeric_limits<int>::max() ? int(n) : 0;
    }
    case dom::element_type::DOUBLE: {
        const double d = double(value);
        if (d >= double(std::numeric_limits<int>::min()) && d <= double(std::numeric_limits<int>::max()) && std::trunc(d) == d)
            return int(d);
        return 0;
    }
    default:
        return 0; // UINT64 is above INT64_MAX; strings, bools, null: no int
    }
}

/// Strings that repeat in an answer (shard ids, error codes and messages) become one shared
/// QString each; the views point into the parser's string buffer, valid for this parse.
class StringCache
{
public:
    /// QJsonValue::toString(): the string, or empty for any other value.
    QString text(const dom::element &value)
    {
        std::string_view s;
        if (value.get_string().get(s))
            return {};
        for (const auto &[view, text] : m_entries)
            if (view == s)
                return text;
        QString text = QString::fromUtf8(s.data(), qsizetype(s.size()));
        if (m_entries.size() < kMaxEntries)
            m_entries.emplace_back(s, text);
        return text;
    }

private:
    static constexpr size_t kMaxEntries = 32;
    std::vector<std::pair<std::string_view, QString>> m_entries;
};

QString uniqueText(const dom::element &value)
{
    std::string_view s;
    if (value.get_string().get(s))
        return {};
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

Result<PutRecordsResult> throughQJson(int httpStatus, QByteArrayView answer, int expected, const QString &endpoint)
{
    auto object = KinesisClient::parseAnswer(httpStatus, answer.toByteArray(), endpoint);
    if (!object.ok())
        return object.error();
    return KinesisClient::parsePutRecordsResponse(object.value(), expected);
}

} // namespace

Result<PutRecordsResult> PutRecordsAnswerParser::parse(int httpStatus, QByteArrayView answer, int expected,
                                                       const QString &endpoint)
{
    // Errors, empty bodies and whatever simdjson refuses keep the QJson path's exact wording.
    if (httpStatus < 200 || httpStatus >= 300 || answer.isEmpty())
        return throughQJson(httpStatus, answer, expected, endpoint);
    thread_local dom::parser parser;
    dom::element root;
    dom::object object;
    if (parser.parse(answer.data(), size_t(answer.size()), true).get(root) || root.get_object().get(object))
        return throughQJson(httpStatus, answer, expected, endpoint);

    // Members in order, the last of a repeated name winning, as in a QJsonObject.
    dom::element records;
    bool haveRecords = false;
    int failedRecordCount = 0;
    PutRecordsResult result;
    StringCache strings;
    for (const dom::key_value_pair member : object) {
        if (member.key == "Records") {
            records = member.value;
            haveRecords = member.value.type() == dom::element_type::ARRAY;
        } else if (member.key == "FailedRecordCount") {
            failedRecordCount = toIntLikeQt(member.value);
        } else if (member.key == "EncryptionType") {
            result.encryptionType = uniqueText(member.value);
        }
    }
    int count = 0;
    if (haveRecords)
        for (const dom::element item : dom::array(records)) {
            Q_UNUSED(item)
            ++count;
        }
    if (count != expected)
        return Error{Error::Kind::Protocol, QStringLiteral("RecordCountMismatch"),
                     QStringLiteral("record count mismatch: the request had %1 records, the answer %2; "
                                    "no result can be matched to a record")
                         .arg(expected)
                         .arg(count),
                     200};
    result.records.resize(size_t(expected));
    int failed = 0;
    size_t i = 0;
    if (haveRecords)
        for (const dom::element item : dom::array(records)) {
            PutRecordsEntry &entry = result.records[i++];
            dom::object fields;
            if (!item.get_object().get(fields)) {
                for (const dom::key_value_pair field : fields) {
                    if (field.key == "SequenceNumber")
                        entry.sequenceNumber = uniqueText(field.value);
                    else if (field.key == "ShardId")
                        entry.shardId = strings.text(field.value);
                    else if (field.key == "ErrorCode")
                        entry.errorCode = strings.text(field.value);
                    else if (field.key == "ErrorMessage")
                        entry.errorMessage = strings.text(field.value);
                }
            }
            if (entry.errorCode.isEmpty() && entry.sequenceNumber.isEmpty()) {
                entry.errorCode = QStringLiteral("InvalidResponse");
                entry.errorMessage = QStringLiteral("the answer for this record has neither a sequence number nor an error");
            }
            if (!entry.succeeded())
                ++failed;
        }
    result.failedRecordCount = std::max(failedRecordCount, failed);
    return result;
}

} // namespace kwb::net
