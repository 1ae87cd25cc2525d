#pragma once

#include "Record.h"
#include "import/ColumnMapping.h"

#include <QString>
#include <QStringView>

#include <functional>
#include <optional>

namespace kwb::import {

/// Input formats the importer reads. Auto picks one from the file name and the first bytes
/// (Importer::detect).
enum class Format {
    Auto,
    JsonLines,  ///< one JSON object per line (.jsonl, .ndjson)
    JsonArray,  ///< a JSON array of objects (.json), streamed element by element
    JsonObject, ///< a single JSON object: one record
    AwsCli,     ///< `aws kinesis put-records` input ({"StreamName"|"StreamARN", "Records": [...]}) or its
                ///< bare Records array; Data is base64 and records have only PartitionKey, Data, ExplicitHashKey
    Csv,        ///< RFC 4180 with a header row
    Tsv,        ///< the same with tabs between fields
    Text,       ///< one record per line (LF or CRLF)
    RawFile,    ///< the whole input is one record, byte for byte (like awscli fileb://)
    KplRecords, ///< Kinesis records as consumers get them (`aws kinesis get-records` output, a Lambda
                ///< event, base64 lines or one raw record); KPL aggregated ones unpacked into their user
                ///< records (KplImporter). Detected only for a file that starts with the KPL magic
};

/// How JSON objects become records (JsonLines, JsonArray, JsonObject; AwsCli is always Records).
enum class JsonShape {
    Auto,    ///< Records when the first object has "Data" and no members but PartitionKey, Data,
             ///< ExplicitHashKey; Objects otherwise, or when a key, data or explicit hash key field is given
    Records, ///< {"PartitionKey", "Data", "ExplicitHashKey"} objects
    Objects, ///< any object: its bytes as they are in the file are the data (or the value of the data
             ///< field); the key comes from a field path or a key strategy
};

/// How a data value in the input becomes the record's bytes.
enum class DataEncoding {
    Auto,   ///< Base64 for AwsCli, Text otherwise
    Text,   ///< the value's own bytes (UTF-8 for JSON strings)
    Base64, ///< standard alphabet (A-Z a-z 0-9 + /), '=' padding optional
    Hex,    ///< pairs of hex digits, either case
};

/// Where partition keys come from. Any strategy but Auto applies to every record, replacing the
/// input's own keys.
enum class KeyStrategy {
    Auto,      ///< the input's key (the PartitionKey member or column); Text: RowNumber; RawFile: FileName;
               ///< JSON objects: Field when partitionKeyField is set
    Field,     ///< ImportOptions::partitionKeyField: a dotted path into JSON objects ("user.id"; numbers
               ///< and bools become their JSON text), or a CSV/TSV column name
    Constant,  ///< ImportOptions::constantKey for every record
    Uuid,      ///< a random UUID (version 4) per record
    RowNumber, ///< the record's 1-based position in the input, bad records counted ("1", "2", ...)
    Random,    ///< a random 64-bit decimal number per record
    FileName,  ///< the input's file name ("orders.jsonl"; "stdin" for standard input)
};

/// What to do with a record that cannot be imported.
enum class BadRowPolicy {
    Skip, ///< leave it out, list it in the report and go on
    Stop, ///< list it in the report and stop reading
};

/// Called after each block read with the bytes read so far and the total (-1 when unknown, e.g.
/// standard input). Return false to cancel the import. Runs on the importing thread.
using ProgressCallback = std::function<bool(qint64 bytesDone, qint64 bytesTotal)>;

/// Everything an import can be told. A plain value; copy it to the worker thread.
struct ImportOptions
{
    Format format = Format::Auto;
    JsonShape jsonShape = JsonShape::Auto;
    DataEncoding dataEncoding = DataEncoding::Auto;
    KeyStrategy keyStrategy = KeyStrategy::Auto;
    QString partitionKeyField; ///< for KeyStrategy::Field; setting it with Auto means Field
    QString constantKey;       ///< for KeyStrategy::Constant
    /// JSON objects: the record's data is the value of this field (a dotted path like
    /// partitionKeyField): a string's bytes decoded with dataEncoding, any other value its JSON
    /// text as written. Empty: each whole object is the data. CSV/TSV: the data column when
    /// columns.data is empty.
    QString dataField;
    /// JSON objects: the explicit hash key from this field (a dotted path): a decimal string or
    /// number from 0 to 2^128-1, or null for none. CSV/TSV: the explicit hash key column when
    /// columns.explicitHashKey is empty.
    QString explicitHashKeyField;
    ColumnMapping columns;     ///< CSV/TSV columns; empty names use the usual ones
    qint64 maxRecordBytes = limits::kDefaultMaxRecordBytes; ///< partition key (UTF-8) + data
    BadRowPolicy onBadRow = BadRowPolicy::Skip;
    bool skipEmptyLines = true; ///< Text: false makes an empty line a record with empty data
    qint64 limit = 0;           ///< stop after reading this many records, bad ones included (0: all)
    int maxStoredIssues = 10000; ///< ImportReport::issues keeps at most this many; the count stays exact
    quint64 randomSeed = 0;     ///< Uuid and Random keys: 0 seeds from the system; others repeat
    qint64 blockBytes = 1024 * 1024; ///< read size; memory use is a few blocks plus the largest record
    /// Hash partition keys and append to the store on one helper thread (a std::thread the import
    /// starts and joins) while the calling thread parses; only with 2+ cores. False keeps all the
    /// work on the calling thread.
    bool useHelperThread = true;
    /// JSON Lines: lines of the plain record shape ({"PartitionKey": "...", "Data": "..."}) are
    /// taken without a parser (JsonRecordScanner). False sends every line through simdjson; the
    /// result is the same (tests compare the two).
    bool jsonFastPath = true;

    /// The CSV/TSV columns in force: `columns`, with dataField and explicitHashKeyField naming the
    /// roles it leaves empty.
    ColumnMapping columnMapping() const;
};

/// Short names used by the command line and in messages ("jsonl", "json", "json-object", "awscli",
/// "csv", "tsv", "text", "file", "kpl", "auto").
QString formatName(Format format);
std::optional<Format> parseFormat(QStringView name);
QString jsonShapeName(JsonShape shape); ///< "auto", "records", "objects"
std::optional<JsonShape> parseJsonShape(QStringView name);
QString dataEncodingName(DataEncoding encoding); ///< "auto", "utf8", "base64", "hex"
std::optional<DataEncoding> parseDataEncoding(QStringView name); ///< also accepts "text"
QString keyStrategyName(KeyStrategy strategy); ///< "auto", "field", "constant", "uuid", "row", "random", "filename"
std::optional<KeyStrategy> parseKeyStrategy(QStringView name); ///< also accepts "index", "row-number"

} // namespace kwb::import
