#pragma once

#include "Result.h"

#include <QString>

namespace kwb::ui {

/// Turns errors into sentences for the banner: what went wrong in words, then what to try.
/// Credential problems are named as such (no keys found, keys refused, session expired).
class ProblemText
{
public:
    /// `endpoint` names the target in network messages; may be empty.
    static QString describe(const Error &error, const QString &endpoint = {});
    /// True for errors about credentials (so the banner can offer to change them).
    static bool isCredentialProblem(const Error &error);
};

} // namespace kwb::ui
