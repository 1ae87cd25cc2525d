#include "JsonDocumentReader.h"

#include "import/AwsCliObjectReader.h"
#include "import/DataDecoder.h"
#include "import/JsonText.h"

namespace kwb::import {

using Context = JsonRecordReader::Context;

namespace {

void reportEnd(RecordSink &sink, const JsonStreamer &streamer, char close, const char *inside)
{
    sink.problem(streamer.location(),
                 QStringLiteral("the input ends inside %1; a '%2' is missing")
                     .arg(QLatin1String(inside), QString(QLatin1Char(close))),
                 false);
}

} // namespace

Result<void> JsonDocumentReader::run(BlockReader &reader)
{
    RecordSink &sink = m_records.sink();
    JsonStreamer streamer(reader);
    auto first = streamer.peek();
    if (!first)
        return first.error();
    const int c = first.value();
    if (c < 0)
        return {}; // empty input: nothing to import
    const SourceLocation start = streamer.location();
    const QString found = DataDecoder::describeCharacter(QByteArrayView(reader.begin(), 1), 0);
    Result<void> result;
    QString what;
    if (c == '[' && m_records.format() != Format::JsonObject) {
        what = QStringLiteral("array");
        result = streamArray(streamer);
    } else if (c == '{' && m_records.format() == Format::AwsCli) {
        what = QStringLiteral("object");
        result = AwsCliObjectReader(*this, sink).run(streamer);
    } else if (c == '{' && m_records.format() == Format::JsonObject) {
        what = QStringLiteral("object");
        auto element = readElement(streamer, Context::Document);
        if (!element)
            return element.error();
        if (!element.value())
            return {};
    } else {
        QString message;
        if (m_records.format() == Format::JsonArray)
            message = QStringLiteral("the input starts with %1, not '[': it is not a JSON array (for one object per "
                                     "line choose the jsonl format, for a single object json-object)")
                          .arg(found);
        else if (m_records.format() == Format::JsonObject)
            message = QStringLiteral("the input starts with %1, not '{': it is not a JSON object").arg(found);
        else
            message = QStringLiteral("the input starts with %1; put-records input is an object "
                                     "{\"StreamName\": ..., \"Records\": [...]} or an array of records")
                          .arg(found);
        sink.problem(start, message, true);
        return {};
    }
    if (!result)
        return result;
    if (sink.stopped() || sink.report().limitReached)
        return {};
    auto next = streamer.peek();
    if (!next)
        return next.error();
    if (next.value() >= 0)
        sink.problem(streamer.location(),
                     QStringLiteral("unexpected %1 after the end of the JSON %2; remove it (one JSON value per "
                                    "file, or choose the jsonl format for one object per line)")
                         .arg(DataDecoder::describeCharacter(QByteArrayView(reader.begin(), 1), 0), what),
                     true);
    return {};
}

Result<bool> JsonDocumentReader::readElement(JsonStreamer &streamer, Context context)
{
    RecordSink &sink = m_records.sink();
    const SourceLocation at = streamer.location();
    auto scanned = streamer.scanValue(sink.maxInputRecordBytes());
    if (!scanned)
        return scanned.error();
    const JsonStreamer::Value &value = scanned.value();
    sink.beginRecord();
    if (value.tooLong) {
        sink.reject(at,
                    value.complete ? m_records.tooLongMessage(value.length)
                                   : QStringLiteral("the input ends inside this value (an unterminated string "
                                                    "or a missing '}' or ']'?)"));
        return value.complete;
    }
    if (!value.complete) {
        m_records.rejectSyntax(value.data, value.length, at, true);
        streamer.consume(value.length);
        return false;
    }
    m_records.importValue(value.data, value.length, at, context);
    streamer.consume(value.length);
    return true;
}

Result<void> JsonDocumentReader::streamArray(JsonStreamer &streamer)
{
    RecordSink &sink = m_records.sink();
    streamer.consume(1); // '['
    bool afterComma = false;
    bool first = true;
    for (;;) {
        auto peeked = peekInside(streamer, ']', "the array");
        if (!peeked)
            return peeked.error();
        const int c = peeked.value();
        if (c < 0)
            return {};
        if (c == ']' && (first || afterComma)) {
            if (afterComma)
                sink.problem(streamer.location(),
                             QStringLiteral("a comma before ']' with no element after it; remove the comma"), false);
            streamer.consume(1);
            return {};
        }
        if (sink.stopped() || sink.atLimit())
            return {};
        auto element = readElement(streamer, Context::Element);
        if (!element)
            return element.error();
        if (!element.value())
            return {}; // the input ended inside the element, which said so
        first = false;
        auto after = readSeparator(streamer, ']', "the array", "an array element");
        if (!after)
            return after.error();
        if (after.value() != After::Next)
            return {};
        afterComma = true;
    }
}

Result<JsonDocumentReader::After> JsonDocumentReader::readSeparator(JsonStreamer &streamer, char close,
                                                                    const char *inside, const char *afterWhat)
{
    RecordSink &sink = m_records.sink();
    auto peeked = streamer.peek();
    if (!peeked)
        return peeked.error();
    const int c = peeked.value();
    if (c == ',' || c == close) {
        streamer.consume(1);
        return c == ',' ? After::Next : After::Closed;
    }
    if (sink.stopped())
        return After::Stop;
    if (c < 0)
        reportEnd(sink, streamer, close, inside);
    else
        sink.problem(streamer.location(),
                     QStringLiteral("expected ',' or '%1' after %2, found %3")
                         .arg(QString(QLatin1Char(close)), QLatin1String(afterWhat), JsonText::describeByte(c)),
                     true);
    return After::Stop;
}

Result<int> JsonDocumentReader::peekInside(JsonStreamer &streamer, char close, const char *inside)
{
    auto peeked = streamer.peek();
    if (peeked && peeked.value() < 0)
        reportEnd(m_records.sink(), streamer, close, inside);
    return peeked;
}

Result<bool> JsonDocumentReader::readString(JsonStreamer &streamer, QString &text)
{
    auto scanned = streamer.scanValue(64 * 1024);
    if (!scanned)
        return scanned.error();
    if (scanned.value().tooLong || !scanned.value().complete
        || !m_records.parseString(scanned.value().data, scanned.value().length, text))
        return false;
    streamer.consume(scanned.value().length);
    return true;
}

} // namespace kwb::import
