// The text that NIP-11 / NIP-66 ids hash: jsonb_build_object(...)::text with
// the table's column names as keys. Exposed for diagnostics and tests.
#pragma once

#include <string>

#include "brotr/metadata.hpp"

namespace brotr {

// Throw JsonbError when a value cannot be stored in PostgreSQL (text that is
// not UTF-8 or holds NUL, a JSON field that is not valid JSON).
std::string nip11_hash_text(const Nip11& doc);
std::string nip66_hash_text(const Nip66& result);

}  // namespace brotr
