#pragma once

#include "Result.h"

#include <QString>

#include <limits>
#include <span>
#include <string_view>
#include <vector>

namespace simdjson::dom {
class element;
class object;
} // namespace simdjson::dom

namespace kwb::sandbox {

/// One member of a request, as the service's model declares it.
struct FieldSpec
{
    enum class Type : quint8 { String, Integer, Boolean, Timestamp, Blob, Structure };
    enum class Pattern : quint8 { None, Name, StreamArn, HashKey, SequenceNumber };

    const char *name = "";
    Type type = Type::String;
    bool notNull = false;
    qint64 minValue = std::numeric_limits<qint64>::min();
    qint64 maxValue = std::numeric_limits<qint64>::max();
    Pattern pattern = Pattern::None;
    int minLength = -1; ///< characters (UTF-16 units, as Java counts), bytes for a Blob
    int maxLength = -1;
    std::span<const char *const> enumValues = {};
    std::span<const FieldSpec> children = {};
};

/// The short names the operations' member tables are written with (StreamOperations,
/// RecordOperations): `using namespace spec;`.
namespace spec {
using Spec = FieldSpec;
using Type = FieldSpec::Type;
using Pattern = FieldSpec::Pattern;
} // namespace spec

/// A member's value once checked: which of the fields is meaningful depends on its type.
struct FieldValue
{
    bool present = false;
    std::string_view text; ///< String, and Blob (still base64)
    qint64 integer = 0;    ///< Integer
    double number = 0;     ///< Timestamp (epoch seconds)
    bool boolean = false;  ///< Boolean
    std::vector<FieldValue> children; ///< Structure, by the spec's child index
};

/// The checked members of a request (or of one Structure member), read by the names the spec
/// gives them, so that reordering a spec cannot make an operation read the wrong member. A value.
class Fields
{
public:
    Fields() = default;
    Fields(std::span<const FieldSpec> specs, std::vector<FieldValue> values);

    /// The member called `name` (not present when the request left it out). Asking for a name
    /// the spec does not have is a programming error: it stops the program.
    const FieldValue &operator[](std::string_view name) const & { return m_values[index(name)]; }
    /// Not on a temporary (`f.structure("x")["y"]`): the value would dangle. Keep the Fields.
    const FieldValue &operator[](std::string_view name) const && = delete;
    /// The members of the Structure member called `name` (none present when it was left out).
    Fields structure(std::string_view name) const;

private:
    size_t index(std::string_view name) const;

    std::span<const FieldSpec> m_specs;
    std::vector<FieldValue> m_values;
};

/// Checks a request body against an operation's members the way Kinesis does, in two passes:
/// types first (the first mismatch is a SerializationException, e.g. "class java.lang.String
/// can not be converted to an Integer"), then constraints, up to ten of them collected into one
/// ValidationException ("2 validation errors detected: Value 'x' at 'streamName' failed to
/// satisfy constraint: ..."). Unknown members are ignored. Stateless; the text views point into
/// the parsed document. The helpers are public for PutRecords, which checks its records itself.
class RequestValidator
{
public:
    /// The checked members, or an Error whose code is the exception name.
    static Result<Fields> validate(const simdjson::dom::object &body, std::span<const FieldSpec> specs);

    /// The SerializationException message for `element` where `spec` wants another type; empty
    /// when it fits. Fills `value` when it fits.
    static QString typeProblem(const simdjson::dom::element &element, const FieldSpec &spec, FieldValue &value);
    /// Appends the constraint failures of `value` (at `path`, e.g. "records.1.member.partitionKey").
    static void checkConstraints(const FieldValue &value, const FieldSpec &spec, const QString &path,
                                 QStringList &errors);
    /// "1 validation error detected: ..." from the collected failures.
    static Error validationError(const QStringList &errors);
    static Error serializationError(const QString &message);

    /// Java's String.length() of UTF-8 text: UTF-16 code units.
    static qsizetype javaLength(std::string_view utf8);
    static bool matches(FieldSpec::Pattern pattern, std::string_view text);
    static const char *patternText(FieldSpec::Pattern pattern);
    /// "Value 'x' at 'path' failed to satisfy constraint: <constraint>".
    static QString failure(const QString &shownValue, const QString &path, const QString &constraint);
    static QString lowerFirst(const char *name);

    static constexpr int kMaxErrors = 10;
};

} // namespace kwb::sandbox
