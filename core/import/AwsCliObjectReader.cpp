#include "AwsCliObjectReader.h"

#include "import/JsonText.h"

namespace kwb::import {

using After = JsonDocumentReader::After;

Result<void> AwsCliObjectReader::run(JsonStreamer &streamer)
{
    const SourceLocation open = streamer.location();
    streamer.consume(1); // '{'
    bool sawRecords = false;
    bool first = true;
    const auto describe = JsonText::describeByte;
    for (;;) {
        auto peeked = m_document.peekInside(streamer, '}', "the put-records object");
        if (!peeked)
            return peeked.error();
        int c = peeked.value();
        if (c < 0)
            return {};
        if (c == '}' && first) {
            streamer.consume(1);
            break;
        }
        const SourceLocation nameAt = streamer.location();
        if (c != '"') {
            m_sink.problem(nameAt, QStringLiteral("expected a member name in double quotes, found %1").arg(describe(c)),
                           true);
            return {};
        }
        QString memberName;
        auto name = m_document.readString(streamer, memberName);
        if (!name)
            return name.error();
        if (!name.value()) {
            m_sink.problem(nameAt, QStringLiteral("a member name of the put-records object is not a valid JSON string"),
                           true);
            return {};
        }
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        if (peeked.value() != ':') {
            m_sink.problem(streamer.location(),
                           QStringLiteral("expected ':' after the member name, found %1").arg(describe(peeked.value())),
                           true);
            return {};
        }
        streamer.consume(1);
        peeked = streamer.peek();
        if (!peeked)
            return peeked.error();
        c = peeked.value();
        const SourceLocation valueAt = streamer.location();
        if (memberName == QLatin1String("Records")) {
            if (c != '[') {
                m_sink.problem(valueAt,
                               QStringLiteral("\"Records\" must be an array of records, found %1").arg(describe(c)),
                               true);
                return {};
            }
            sawRecords = true;
            if (auto records = m_document.streamArray(streamer); !records)
                return records;
            if (m_sink.stopped() || m_sink.report().limitReached)
                return {};
        } else if (memberName == QLatin1String("StreamName") || memberName == QLatin1String("StreamARN")) {
            if (c < 0) {
                m_sink.problem(valueAt,
                               QStringLiteral("the input ends where the value of \"%1\" should be").arg(memberName),
                               false);
                return {};
            }
            auto value = m_document.readString(streamer, m_sink.report().streamName);
            if (!value)
                return value.error();
            if (!value.value()) {
                m_sink.problem(valueAt, QStringLiteral("\"%1\" must be a string").arg(memberName), true);
                return {};
            }
        } else {
            m_sink.problem(nameAt,
                           QStringLiteral("unknown member \"%1\"; put-records input has only StreamName, "
                                          "StreamARN and Records")
                               .arg(memberName),
                           true);
            return {};
        }
        first = false;
        auto after
            = m_document.readSeparator(streamer, '}', "the put-records object", "a member of the put-records object");
        if (!after)
            return after.error();
        if (after.value() == After::Stop)
            return {};
        if (after.value() == After::Closed)
            break;
    }
    if (!sawRecords)
        m_sink.problem(
            open,
            QStringLiteral("the put-records object has no \"Records\" array; it looks like "
                           "{\"StreamName\": \"...\", \"Records\": [{\"Data\": \"...\", \"PartitionKey\": \"...\"}]}"),
            true);
    return {};
}

} // namespace kwb::import
