// A small strict JSON tokenizer over an untrusted buffer, made for the event
// parser: strings are decoded (every escape, surrogate pairs) and checked
// for valid UTF-8, numbers are checked against the JSON grammar, and values
// of any type can be skipped. No allocation except into caller strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace brotr::detail {

// Why reading stopped. Syntax errors and invalid UTF-8 are not recoverable:
// the rest of the text cannot be trusted to be tokenized correctly.
enum class ReadFailure : std::uint8_t { none, syntax, invalid_utf8 };

// The parts of a JSON number that decide whether it is a usable integer.
struct JsonNumber {
    bool negative = false;
    bool integral = true;    // no fraction and no exponent
    bool overflow = false;   // the digits do not fit in 64 bits
    std::uint64_t magnitude = 0;
};

class JsonReader {
public:
    explicit JsonReader(std::string_view text)
        : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()) {}

    void skip_whitespace() {
        const char* start = p_;
        while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
        if (p_ != start) canonical_ = false;
    }
    bool at_end() const { return p_ == end_; }
    // The next character, or '\0' at the end (never a valid token start).
    char peek() const { return p_ < end_ ? *p_ : '\0'; }
    // Consumes c if it is next.
    bool consume(char c) {
        if (p_ < end_ && *p_ == c) {
            ++p_;
            return true;
        }
        return false;
    }
    std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

    // Reads a string at the cursor (which must be on '"') and appends its
    // decoded value to out (or only validates it when out is null).
    bool read_string(std::string* out);
    // Fast path for fields that are plain ASCII without escapes: when the
    // string at the cursor contains no backslash and no byte outside
    // 0x20..0x7e, consumes it and returns its contents; otherwise leaves the
    // cursor alone and returns false (use read_string then).
    bool read_plain_string(std::string_view& out);
    // Fastest path for id, pubkey and sig: when the string at the cursor is
    // exactly out.size()*2 lower-case hex digits, decodes it into out and
    // consumes it; otherwise leaves the cursor alone and returns false.
    bool read_exact_hex(std::span<std::uint8_t> out);
    bool read_number(JsonNumber& out);
    // Skips one value of any type; nesting deeper than kMaxDepth is a syntax error.
    bool skip_value() { return skip_value(0); }

    // Whether the text read since reset_canonical() is byte for byte what
    // JSON.stringify would write for the same values: no whitespace, and
    // only the escapes it uses (\" \\ \b \f \n \r \t, \u00xx in lower case for
    // other control characters). Such text can be hashed as it is.
    void reset_canonical() { canonical_ = true; }
    bool canonical() const { return canonical_; }
    const char* position() const { return p_; }

    // Marks a syntax error at the cursor (used by callers for structural tokens).
    bool fail_syntax() { return fail(ReadFailure::syntax); }
    ReadFailure failure() const { return failure_; }
    std::size_t failure_offset() const { return failure_offset_; }
    std::string_view failure_reason() const { return failure_reason_; }

    static constexpr int kMaxDepth = 256;
    // Decoding buffers larger than this are released after use.
    static constexpr std::size_t kMaxKeptBuffer = 1 << 20;

private:
    bool skip_value(int depth);
    bool read_literal(std::string_view word);
    bool read_escape(std::string* out);
    bool read_utf8_sequence();
    bool fail(ReadFailure f, std::string_view reason = {});

    const char* begin_;
    const char* p_;
    const char* end_;
    bool canonical_ = true;
    ReadFailure failure_ = ReadFailure::none;
    std::size_t failure_offset_ = 0;
    std::string_view failure_reason_;
};

}  // namespace brotr::detail
