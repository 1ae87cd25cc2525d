#pragma once

#include "Result.h"
#include "import/BlockReader.h"

#include <QString>

#include <vector>

namespace kwb::import {

/// Splits RFC 4180 CSV (or TSV with `delimiter` '\t') into records and fields, streaming: quoted
/// fields may hold delimiters, doubled quotes and line breaks; records end at LF or CRLF; a record
/// longer than `maxRecordBytes` is passed over and comes back with `tooLong`. Faults (a quote in an
/// unquoted field, text after a closing quote, an unterminated quote) are reported with their
/// offset, not fixed. Internal to the importer; one thread.
class CsvReader
{
public:
    struct Field
    {
        qint64 begin = 0; ///< offset in the record of the first byte of the value (after an opening quote)
        qint64 end = 0;   ///< offset after the value (before a closing quote)
        bool quoted = false;
        bool doubledQuotes = false; ///< the value has "" pairs to turn into "
    };
    struct Record
    {
        const char *data = nullptr; ///< the record's bytes, valid until the next call; null when tooLong
        qint64 length = 0;          ///< without the line break
        qint64 line = 0;            ///< 1-based line where the record starts
        std::vector<Field> fields;
        bool tooLong = false;
        qint64 faultOffset = -1; ///< offset in the record of the first fault, -1 when none
        QString fault;

        bool isEmptyLine() const { return !tooLong && length == 0; }
    };

    CsvReader(BlockReader &reader, char delimiter, qint64 maxRecordBytes)
        : m_reader(reader), m_delimiter(delimiter), m_maxRecordBytes(maxRecordBytes)
    {
    }

    /// The next record; false at the end of the input.
    Result<bool> next(Record &record);

    /// The field's value with doubled quotes undone; may point into `scratch`.
    static QByteArrayView value(const Record &record, const Field &field, QByteArray &scratch);

private:
    BlockReader &m_reader;
    char m_delimiter;
    qint64 m_maxRecordBytes;
    qint64 m_line = 1;
    qint64 m_pendingConsume = 0;
    qint64 m_pendingLines = 0;
};

} // namespace kwb::import
