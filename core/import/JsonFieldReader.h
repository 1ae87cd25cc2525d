#pragma once

#include "import/JsonLocator.h"
#include "import/RecordSink.h"

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

namespace kwb::import {

/// Reads the values at the field paths of ImportOptions (partition key, data, explicit hash key;
/// dotted, such as user.id) out of a parsed JSON object, and imports whole objects as records (the
/// objects shape). Every rejection says which field and where it is. Internal to JsonRecordReader;
/// one thread.
class JsonFieldReader
{
public:
    explicit JsonFieldReader(JsonLocator &locator)
        : m_locator(locator)
    {}

    /// Takes the field paths and the data encoding for the next input of `sink`.
    void begin(RecordSink &sink, DataEncoding encoding);

    /// The text of the key field path, for messages.
    const QString &keyPath() const { return m_keyPath.text; }
    /// The key at the key field path of `root` (text `p`, `length` at `at`), as a string (numbers and
    /// booleans as written); false when it was rejected.
    bool readKey(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                 QByteArrayView &key, SourceLocation &keyAt);
    /// Imports a whole object: its key from the key field or the key strategy, its data from the
    /// data field or the whole text. `quotedLongIntegers`: `root` was parsed from a copy with long
    /// integers quoted (JsonText::quoteLongIntegers), so strings are checked against the text.
    void importObject(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                      bool quotedLongIntegers);

private:
    /// A dotted field path (ImportOptions::partitionKeyField, dataField, explicitHashKeyField).
    struct FieldPath
    {
        std::vector<std::string> parts;
        JsonLocator::Path views; ///< into parts
        QString text;
        const char *what = ""; ///< "key field", for messages
        const char *ifMissing = ""; ///< what to do when an object does not have it

        void set(const QString &path, const char *role, const char *hint);
        bool isEmpty() const { return views.empty(); }
    };
    /// The value at `path` in the object; false when it was rejected (missing, or under a value
    /// that is not an object).
    bool findField(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                   const FieldPath &path, simdjson::dom::element &value);
    /// The explicit hash key at its field path (none for null); false when it was rejected.
    bool readHashKey(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                     std::optional<UInt128> &hashKey);
    /// Accepts the record with the value at the data field path as its data; false when rejected.
    bool acceptFieldData(const simdjson::dom::element &root, const char *p, qint64 length, SourceLocation at,
                         QByteArrayView key, SourceLocation keyAt, const QString &keyWhat,
                         std::optional<UInt128> hashKey, bool quotedLongIntegers);
    void rejectNoKey(SourceLocation at);

    JsonLocator &m_locator;
    RecordSink *m_sink = nullptr;
    DataEncoding m_encoding = DataEncoding::Text;
    FieldPath m_keyPath;
    FieldPath m_dataPath;
    FieldPath m_hashPath;
    std::string m_scratch;
    char m_numberKey[32] = {};
};

} // namespace kwb::import
