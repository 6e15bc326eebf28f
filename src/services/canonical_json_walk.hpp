// Walking canonical jsonb text (what to_jsonb_text prints): the members of an
// object, the elements of an array, string values. Untrusted documents are
// canonicalised first, which checks them completely and resolves duplicate
// keys, so these walkers only need to find where values begin and end. They
// never recurse, so nesting depth costs nothing here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brotr::services::json_walk {

enum class Kind { object, array, string, number, boolean, null, invalid };
Kind kind_of(std::string_view value);

// Members of an object as (decoded key, raw value); nullopt when `value` is not an object.
std::optional<std::vector<std::pair<std::string, std::string_view>>> members(std::string_view value);
// Elements of an array as raw values; nullopt when `value` is not an array.
std::optional<std::vector<std::string_view>> elements(std::string_view value);
// The decoded text of a string value; nullopt when `value` is not a string.
std::optional<std::string> string_value(std::string_view value);
// The value of an integer literal that fits in long long; nullopt otherwise
// (fractions, exponents and other kinds included).
std::optional<long long> integer_value(std::string_view value);

}  // namespace brotr::services::json_walk
