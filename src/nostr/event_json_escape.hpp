// JSON string output with exactly the escaping of JavaScript's
// JSON.stringify, which NIP-01 takes as the definition of the id bytes.
#pragma once

#include <string>
#include <string_view>

#include "brotr/event.hpp"

namespace brotr::detail {

// Appends "s" quoted: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx
// (lower-case hex), every other byte verbatim. The input is assumed valid UTF-8.
void append_json_string(std::string_view s, std::string& out);

// The NIP-01 tag array as JSON text with that escaping, no whitespace,
// e.g. [["e","ab.."],["p","cd.."]]: the id serialization and the tags
// column of the PostgreSQL export.
void append_tags_json(const Tags& tags, std::string& out);

}  // namespace brotr::detail
