#pragma once

#include <QString>

#include <string_view>

namespace kwb::sandbox {

/// Strict base64 as the service reads a Blob: the standard alphabet, padded to a multiple of
/// 4, no white space, canonical last character. Functions, no state; thread-safe.
namespace base64 {

/// Empty when `text` is valid base64; else the service's complaint, e.g.
/// "Base64 encoded length is expected a multiple of 4 bytes but found: 5".
QString problem(std::string_view text);
/// The number of bytes `text` (valid base64) decodes to.
qsizetype decodedSize(std::string_view text);
/// Decodes valid base64 into `out` (decodedSize bytes).
void decode(std::string_view text, char *out);

} // namespace base64

} // namespace kwb::sandbox
