#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace kwb {

/// What went wrong, as a value: errors never cross threads or signals as exceptions.
/// `kind` drives retry decisions; `code` is the service's error code (the text after `#` in
/// `__type`) or a local one; `message` is for people; `httpStatus` is 0 when no HTTP answer came.
struct Error
{
    enum class Kind {
        Input,      ///< bad input from the user or a file (usage, parse, validation done locally)
        Config,     ///< credentials, profiles, endpoints that cannot be resolved
        Throttling, ///< the service asked us to slow down
        Server,     ///< 5xx or InternalFailure: the service failed, a retry may succeed
        Network,    ///< connection refused/reset, DNS, TLS
        Timeout,    ///< connect or transfer timeout
        Access,     ///< authentication or authorisation refused
        Validation, ///< the service rejected the request as invalid
        NotFound,   ///< the stream (or another resource) does not exist
        InUse,      ///< the resource is busy (creating, deleting, updating)
        Kms,        ///< KMS problems with an encrypted stream
        Protocol,   ///< the answer is not what the protocol promises (non-JSON, truncated, counts)
        Cancelled,  ///< the caller cancelled
        Client,     ///< any other client-side (4xx) service error
    };

    Kind kind = Kind::Input;
    QString code;
    QString message;
    int httpStatus = 0;

    /// True when trying the same request again later may succeed; send::RetryPolicy decides.
    bool retriable() const;

    /// "code: message (HTTP 400)" in one line.
    QString toString() const;

    static Error input(QString message, QString code = QStringLiteral("InvalidInput"))
    {
        return Error{Kind::Input, std::move(code), std::move(message), 0};
    }
    static Error config(QString message, QString code = QStringLiteral("ConfigError"))
    {
        return Error{Kind::Config, std::move(code), std::move(message), 0};
    }
};

const char *errorKindName(Error::Kind kind);

/// Either a value or an Error. Small on purpose: `ok()`, `value()`, `error()`.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    const Error &error() const { return std::get<1>(m_data); }

    T valueOr(T fallback) const { return ok() ? value() : std::move(fallback); }

private:
    std::variant<T, Error> m_data;
};

/// Result for operations that return nothing but may fail.
template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

} // namespace kwb
