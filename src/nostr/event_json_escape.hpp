// JSON string output with exactly the escaping of JavaScript's
// JSON.stringify, which NIP-01 takes as the definition of the id bytes.
#pragma once

#include <string>
#include <string_view>

namespace brotr::detail {

// Appends "s" quoted: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00xx
// (lower-case hex), every other byte verbatim. The input is assumed valid UTF-8.
void append_json_string(std::string_view s, std::string& out);

}  // namespace brotr::detail
