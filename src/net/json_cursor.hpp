// A small cursor over untrusted JSON text, for the envelopes of relay
// messages: ["EVENT", "<sub>", {...}] and friends. The event object itself is
// left to the strict event parser; this only finds where it starts and ends.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace brotr::net::json {

class Cursor {
public:
    explicit Cursor(std::string_view text) : text_(text) {}

    // Skips whitespace, then consumes `c` if it is next.
    bool eat(char c);
    // Skips whitespace; true when nothing is left.
    bool at_end();
    // Skips whitespace; the next character, or '\0' at the end.
    char peek();

    // A string value, escapes decoded to UTF-8 (lone surrogates become U+FFFD).
    bool read_string(std::string& out);
    bool read_bool(bool& out);
    // Any value, checked for well-formedness (nesting at most kMaxDepth),
    // returning its exact text.
    bool read_raw(std::string_view& out);
    bool skip_value() {
        std::string_view ignored;
        return read_raw(ignored);
    }

    static constexpr int kMaxDepth = 64;

private:
    void skip_ws();
    bool skip_value_at(int depth);
    bool skip_string();
    bool skip_number();
    bool skip_literal(std::string_view word);

    std::string_view text_;
    std::size_t pos_ = 0;
};

// Appends `s` as a JSON string literal (quotes and NIP-01 escaping).
void append_string(std::string& out, std::string_view s);

}  // namespace brotr::net::json
