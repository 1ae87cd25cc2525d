#include "CsvReader.h"

#include "import/DataDecoder.h"

#include <cstring>

namespace kwb::import {

namespace {

enum class State {
    FieldStart,   ///< at the first byte of a field
    Unquoted,     ///< inside an unquoted field
    Quoted,       ///< inside a quoted field
    QuoteInQuoted, ///< just after a '"' inside a quoted field: closing quote or the first of ""
    ClosedCR,     ///< a '\r' after a closing quote: must be followed by '\n'
    AfterQuoted,  ///< text after a closing quote (a fault): passed over to the next delimiter
};

qint64 countNewlines(const char *begin, const char *end)
{
    qint64 count = 0;
    for (const char *p = begin; p < end;) {
        const auto *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!nl)
            break;
        ++count;
        p = nl + 1;
    }
    return count;
}

} // namespace

QByteArrayView CsvReader::value(const Record &record, const Field &field, QByteArray &scratch)
{
    const QByteArrayView raw(record.data + field.begin, field.end - field.begin);
    if (!field.doubledQuotes)
        return raw;
    scratch.resize(raw.size());
    char *out = scratch.data();
    for (qsizetype i = 0; i < raw.size(); ++i) {
        *out++ = raw[i];
        if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"')
            ++i;
    }
    scratch.resize(out - scratch.data());
    return scratch;
}

Result<bool> CsvReader::next(Record &record)
{
    m_reader.consume(m_pendingConsume);
    m_line += m_pendingLines;
    m_pendingConsume = 0;
    m_pendingLines = 0;
    record.fields.clear();
    record.tooLong = false;
    record.faultOffset = -1;
    record.fault.clear();
    record.line = m_line;

    State state = State::FieldStart;
    qint64 pos = 0;
    qint64 fieldBegin = 0;
    qint64 quoteAt = -1;      // offset of the opening quote of the field being read
    bool doubled = false;
    qint64 newlines = 0;      // line breaks inside quoted fields so far
    qint64 dropped = 0;       // bytes passed over of a record too long to keep
    auto fault = [&](qint64 offset, QString message) {
        if (record.faultOffset < 0 && dropped == 0) {
            record.faultOffset = offset;
            record.fault = std::move(message);
        }
    };
    auto pushField = [&](qint64 end, bool quoted) {
        if (dropped == 0)
            record.fields.push_back({fieldBegin, end, quoted, doubled});
        doubled = false;
    };

    for (;;) {
        const char *b = m_reader.begin();
        const qint64 available = m_reader.available();
        qint64 recordEnd = -1; // offset of the '\n' (or the end of the input) that ends the record
        while (pos < available && recordEnd < 0) {
            if (state == State::Quoted) {
                const auto *quote = static_cast<const char *>(std::memchr(b + pos, '"', size_t(available - pos)));
                const char *stop = quote ? quote : b + available;
                newlines += countNewlines(b + pos, stop);
                if (!quote) {
                    pos = available;
                    break;
                }
                pos = quote - b + 1;
                state = State::QuoteInQuoted;
                continue;
            }
            const char c = b[pos];
            switch (state) {
            case State::FieldStart:
                if (c == '"') {
                    state = State::Quoted;
                    quoteAt = pos;
                    fieldBegin = pos + 1;
                } else if (c == m_delimiter) {
                    fieldBegin = pos;
                    pushField(pos, false);
                } else if (c == '\n') {
                    fieldBegin = pos;
                    recordEnd = pos;
                } else {
                    state = State::Unquoted;
                    fieldBegin = pos;
                }
                break;
            case State::Unquoted:
                if (c == m_delimiter) {
                    pushField(pos, false);
                    state = State::FieldStart;
                } else if (c == '\n') {
                    recordEnd = pos;
                } else if (c == '"') {
                    fault(pos, QStringLiteral("a quote inside an unquoted field; put the whole field in quotes and "
                                              "double the quotes inside it (\"5\"\" screen\")"));
                }
                break;
            case State::QuoteInQuoted:
                if (c == '"') {
                    doubled = true;
                    state = State::Quoted;
                } else if (c == m_delimiter) {
                    pushField(pos - 1, true);
                    state = State::FieldStart;
                } else if (c == '\n') {
                    recordEnd = pos;
                } else if (c == '\r') {
                    state = State::ClosedCR;
                } else {
                    fault(pos, QStringLiteral("text after the closing quote of a field; a quote inside a quoted "
                                              "field must be doubled (\"\")"));
                    state = State::AfterQuoted;
                }
                break;
            case State::ClosedCR:
                if (c == '\n') {
                    recordEnd = pos;
                } else {
                    fault(pos - 1, QStringLiteral("text after the closing quote of a field; a quote inside a quoted "
                                                  "field must be doubled (\"\")"));
                    state = State::AfterQuoted;
                    continue; // look at this byte again as text after the quote
                }
                break;
            case State::AfterQuoted:
                if (c == m_delimiter) {
                    pushField(pos, true);
                    state = State::FieldStart;
                } else if (c == '\n') {
                    recordEnd = pos;
                }
                break;
            case State::Quoted:
                break;
            }
            if (recordEnd < 0)
                ++pos;
        }
        const bool atEnd = recordEnd < 0 && pos >= available && m_reader.atEof();
        if (recordEnd >= 0 || atEnd) {
            if (atEnd)
                recordEnd = available;
            if (atEnd && available == 0 && dropped == 0 && pos == 0 && state == State::FieldStart)
                return false;
            // The last field, without the '\r' of a CRLF.
            qint64 contentEnd = recordEnd;
            if (contentEnd > 0 && b[contentEnd - 1] == '\r' && state != State::Quoted)
                --contentEnd;
            switch (state) {
            case State::FieldStart:
                fieldBegin = contentEnd;
                pushField(contentEnd, false);
                break;
            case State::Unquoted:
                pushField(contentEnd, false);
                break;
            case State::QuoteInQuoted:
            case State::ClosedCR:
                pushField(contentEnd - 1, true);
                break;
            case State::AfterQuoted:
                pushField(contentEnd, true);
                break;
            case State::Quoted:
                fault(quoteAt, QStringLiteral("unterminated quoted field: the input ends before its closing quote; "
                                              "add the missing '\"'"));
                pushField(recordEnd, true);
                contentEnd = recordEnd;
                break;
            }
            m_pendingConsume = recordEnd < available ? recordEnd + 1 : recordEnd;
            m_pendingLines = newlines + 1;
            if (dropped > 0) {
                record.data = nullptr;
                record.length = dropped + contentEnd;
                record.tooLong = true;
                record.fields.clear();
            } else {
                record.data = b;
                record.length = contentEnd;
                // A record that is just a line break (or CRLF) is an empty line, not one empty field.
                if (contentEnd == 0 && record.fields.size() == 1 && !record.fields[0].quoted)
                    record.fields.clear();
            }
            return true;
        }
        if (dropped > 0 || available > m_maxRecordBytes) {
            // Too long to keep: pass over what was scanned, keeping the state (and a '\r' at the end).
            const qint64 keep = pos > 0 && b[pos - 1] == '\r' ? 1 : 0;
            m_reader.consume(pos - keep);
            dropped += pos - keep;
            pos = keep;
            fieldBegin = 0;
            quoteAt = 0;
        }
        auto more = m_reader.readMore();
        if (!more)
            return more.error();
    }
}

} // namespace kwb::import
