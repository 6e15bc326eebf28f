// PostgreSQL's canonical jsonb text form (what `value::jsonb::text` prints),
// reimplemented byte for byte so that content hashes computed here equal the
// ones PostgreSQL computes (compute_nip11_hash / compute_nip66_hash).
//
// The rules, as PostgreSQL 15 applies them:
//  - object keys sorted by byte length, then bytewise; a duplicate key keeps
//    its last value;
//  - separators ", " between members and elements, ": " after a key;
//  - strings escaped as escape_json() does: \" \\ \b \f \n \r \t, any other
//    byte below 0x20 as \u00xx (lower-case hex), everything else verbatim
//    (including '/', DEL and UTF-8); \uXXXX escapes of the input are decoded;
//  - numbers as numeric_out prints the numeric the input parses to: no
//    exponent, the input's scale kept (1.50 -> 1.50, 1e3 -> 1000,
//    1.5e-3 -> 0.0015, -0 -> 0);
//  - true, false, null.
// Input PostgreSQL rejects is rejected too (invalid JSON or UTF-8, \u0000,
// unpaired surrogates, numbers beyond numeric's range).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brotr {

// The input cannot be represented as PostgreSQL jsonb; what() says why and where.
class JsonbError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

// Nesting deeper than this is refused (documents come from untrusted peers).
inline constexpr int kJsonbMaxDepth = 1000;

// Parses any JSON text and prints it in canonical jsonb form. Throws JsonbError.
std::string to_jsonb_text(std::string_view json);

// Appends `text` as a jsonb string literal. Throws JsonbError when PostgreSQL
// text cannot hold it (invalid UTF-8 or a NUL byte).
void append_jsonb_string(std::string_view text, std::string& out);

// Canonical form of one JSON number token, e.g. "1.5e1" -> "15". Throws JsonbError.
std::string jsonb_number_text(std::string_view number);

// Builds an object the way jsonb_build_object does: members in any order,
// printed sorted, the last value of a repeated key kept. Values are given as
// canonical jsonb text (from the functions above or literals like "null").
class JsonbObjectBuilder {
public:
    void add_raw(std::string key, std::string canonical_value);
    void add_string(std::string key, std::string_view text);  // throws JsonbError
    void add_null(std::string key) { add_raw(std::move(key), "null"); }
    void add_bool(std::string key, bool value) { add_raw(std::move(key), value ? "true" : "false"); }
    void add_integer(std::string key, long long value) { add_raw(std::move(key), std::to_string(value)); }
    std::string finish() &&;

private:
    std::vector<std::pair<std::string, std::string>> members_;
};

}  // namespace brotr
