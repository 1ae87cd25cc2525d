#include "JsonLinesReader.h"

#include "import/DataDecoder.h"
#include "import/JsonText.h"

#include <algorithm>

namespace kwb::import {

namespace dom = simdjson::dom;

Result<void> JsonLinesReader::run(BlockReader &reader)
{
    RecordSink &sink = m_records.sink();
    LineReader lineReader(reader, sink.maxInputRecordBytes());
    std::vector<LineReader::Line> lines; // grows to the largest batch once, then is reused
    while (!sink.stopped()) {
        auto next = lineReader.nextBatch(lines);
        if (!next)
            return next.error();
        if (!next.value())
            break;
        // Lines of the plain record shape take the JsonRecordScanner's fast path; a line it
        // declines goes the general way, and where it declines often, a whole window does. There
        // lines go through simdjson's parse_many up to a thousand at a time (one structural scan
        // instead of one per line). A line that is not exactly one object (a syntax error, two
        // values on a line) and a few after it are taken one by one, which says what is wrong.
        constexpr size_t kWindow = 1024;
        constexpr size_t kOneByOneAfterFault = 32;
        constexpr size_t kFastRunWorthIt = 16;
        size_t done = 0;
        size_t oneByOneUntil = 0;
        size_t generalUntil = 0;
        while (done < lines.size() && !sink.stopped()) {
            if (done >= generalUntil && m_scanner.usable()) {
                const size_t from = done;
                JsonRecordScanner::Outcome outcome = JsonRecordScanner::Outcome::Taken;
                while (done < lines.size() && !sink.stopped()
                       && (outcome = m_scanner.importLine(lines[done])) == JsonRecordScanner::Outcome::Taken)
                    ++done;
                if (outcome == JsonRecordScanner::Outcome::AtLimit)
                    return {};
                if (done == lines.size() || sink.stopped())
                    continue;
                if (done - from < kFastRunWorthIt)
                    generalUntil = done + kWindow;
                if (!importLine(lines[done]))
                    return {};
                ++done;
                continue;
            }
            if (done >= oneByOneUntil && lines.size() - done >= 4) {
                const size_t to = std::min(lines.size(), done + kWindow);
                bool atLimit = false;
                done = importLinesAtOnce(lines, done, to, atLimit);
                if (atLimit)
                    return {};
                if (done == to || sink.stopped())
                    continue;
                oneByOneUntil = done + kOneByOneAfterFault;
            }
            if (!importLine(lines[done]))
                return {};
            ++done;
        }
    }
    return {};
}

bool JsonLinesReader::importLine(const LineReader::Line &line)
{
    RecordSink &sink = m_records.sink();
    if (line.tooLong) {
        if (sink.atLimit())
            return false;
        sink.beginRecord();
        sink.reject({line.number, 1}, m_records.tooLongMessage(line.length));
        return true;
    }
    const char *p = line.data;
    const char *e = line.data + line.length;
    JsonText::trim(p, e);
    if (p == e) {
        sink.countEmptyLine();
        return true;
    }
    if (sink.atLimit())
        return false;
    sink.beginRecord();
    m_records.importValue(p, e - p, {line.number, 1 + DataDecoder::countCharacters(line.data, p)},
                          JsonRecordReader::Context::Line);
    return true;
}

size_t JsonLinesReader::importLinesAtOnce(const std::vector<LineReader::Line> &lines, size_t from, size_t to,
                                          bool &atLimit)
{
    RecordSink &sink = m_records.sink();
    const LineReader::Line &last = lines[to - 1];
    const char *begin = lines[from].data;
    const size_t length = size_t(last.data + last.length - begin);
    dom::document_stream stream;
    if (m_many.parse_many(reinterpret_cast<const uint8_t *>(begin), length, std::max<size_t>(length, 1024)).get(stream))
        return from;
    size_t i = from;
    for (auto it = stream.begin(); it != stream.end(); ++it) {
        // Empty lines produce no document.
        const char *p = nullptr;
        const char *e = nullptr;
        for (; i < to; ++i) {
            p = lines[i].data;
            e = p + lines[i].length;
            JsonText::trim(p, e);
            if (p != e)
                break;
            sink.countEmptyLine();
        }
        if (i == to)
            return i;
        dom::element root;
        if ((*it).get(root))
            return i;
        // Only objects are taken here. After a number or a literal, simdjson 3.0.1's stream can
        // take the next structural character into the document: the line "1{" came back as one
        // document, the number 1, with the whole line as its source. Each line must hold an
        // object anyway; the line by line path says what else is there, and where.
        if (!root.is_object())
            return i;
        const std::string_view source = it.source();
        if (source.data() != p || source.size() != size_t(e - p))
            return i; // not exactly this line: the line by line path says what is wrong
        if (sink.atLimit()) {
            atLimit = true;
            return i;
        }
        sink.beginRecord();
        m_records.importParsed(root, p, e - p, {lines[i].number, 1 + DataDecoder::countCharacters(lines[i].data, p)},
                               JsonRecordReader::Context::Line);
        ++i;
        if (sink.stopped())
            return i;
    }
    // Trailing empty lines give no document.
    for (; i < to; ++i) {
        const char *p = lines[i].data;
        const char *e = p + lines[i].length;
        while (p < e && JsonText::isWhitespace(*p))
            ++p;
        if (p != e)
            break;
        sink.countEmptyLine();
    }
    return i;
}

} // namespace kwb::import
