#include "nostr/event_json_reader.hpp"

#include <cstring>

#include "brotr/hex.hpp"
#include "nostr/event_string_scan.hpp"

namespace brotr::detail {
namespace {


inline int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
}

}  // namespace

bool JsonReader::fail(ReadFailure f, std::string_view reason) {
    if (failure_ == ReadFailure::none) {
        failure_ = f;
        failure_offset_ = offset();
        failure_reason_ = reason;
    }
    return false;
}

bool JsonReader::read_plain_string(std::string_view& out) {
    if (p_ >= end_ || *p_ != '"') return false;
    const char* q = p_ + 1;
    q += reader_plain_prefix(q, end_);
    if (q >= end_ || *q != '"') return false;
    out = std::string_view(p_ + 1, static_cast<std::size_t>(q - p_ - 1));
    p_ = q + 1;
    return true;
}

bool JsonReader::read_exact_hex(std::span<std::uint8_t> out) {
    const std::size_t digits = out.size() * 2;
    if (static_cast<std::size_t>(end_ - p_) < digits + 2 || p_[0] != '"' || p_[digits + 1] != '"') return false;
    if (!from_hex_lower(std::string_view(p_ + 1, digits), out)) return false;
    p_ += digits + 2;
    return true;
}

// Validates one multi-byte UTF-8 sequence at the cursor and steps over it:
// no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool JsonReader::read_utf8_sequence() {
    const auto b0 = static_cast<unsigned char>(p_[0]);
    int length = 0;
    unsigned char min1 = 0x80, max1 = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        length = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        length = 3;
        if (b0 == 0xe0) min1 = 0xa0;
        if (b0 == 0xed) max1 = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        length = 4;
        if (b0 == 0xf0) min1 = 0x90;
        if (b0 == 0xf4) max1 = 0x8f;
    } else {
        return fail(ReadFailure::invalid_utf8, "invalid UTF-8 lead byte");
    }
    if (end_ - p_ < length) return fail(ReadFailure::invalid_utf8, "truncated UTF-8 sequence");
    const auto b1 = static_cast<unsigned char>(p_[1]);
    if (b1 < min1 || b1 > max1) return fail(ReadFailure::invalid_utf8, "invalid UTF-8 sequence");
    for (int i = 2; i < length; ++i) {
        const auto b = static_cast<unsigned char>(p_[i]);
        if (b < 0x80 || b > 0xbf) return fail(ReadFailure::invalid_utf8, "invalid UTF-8 sequence");
    }
    p_ += length;
    return true;
}

bool JsonReader::read_string(std::string* out) {
    if (!consume('"')) return fail(ReadFailure::syntax, "expected a string");
    // Bytes that are copied unchanged accumulate in [pending, p_) and are
    // appended in one piece when an escape or the closing quote comes. A
    // string with escapes is decoded into a per-thread buffer first, so that
    // out is allocated once at its final size rather than grown piecewise.
    thread_local std::string decoded;
    std::string* sink = nullptr;  // the buffer, once an escape was seen
    const char* pending = p_;
    for (;;) {
        p_ += reader_plain_prefix(p_, end_);
        if (p_ >= end_) return fail(ReadFailure::syntax, "unterminated string");
        const auto c = static_cast<unsigned char>(*p_);
        if (c >= 0x80) {
            if (!read_utf8_sequence()) return false;
            continue;
        }
        if (c == '"') {
            if (out != nullptr) {
                if (sink != nullptr) {
                    sink->append(pending, static_cast<std::size_t>(p_ - pending));
                    out->append(*sink);
                    if (sink->capacity() > kMaxKeptBuffer) std::string().swap(*sink);
                } else {
                    out->append(pending, static_cast<std::size_t>(p_ - pending));
                }
            }
            ++p_;
            return true;
        }
        if (c == '\\') {
            if (out != nullptr) {
                if (sink == nullptr) {
                    sink = &decoded;
                    sink->clear();
                }
                sink->append(pending, static_cast<std::size_t>(p_ - pending));
            }
            if (!read_escape(sink)) return false;
            pending = p_;
            continue;
        }
        return fail(ReadFailure::syntax, "unescaped control character in a string");
    }
}

// One escape sequence at the cursor (on the backslash).
bool JsonReader::read_escape(std::string* out) {
    if (end_ - p_ < 2) return fail(ReadFailure::syntax, "unterminated escape");
    const char kind = p_[1];
    char simple = 0;
    switch (kind) {
        case '"': simple = '"'; break;
        case '\\': simple = '\\'; break;
        case '/': simple = '/'; break;
        case 'b': simple = '\b'; break;
        case 'f': simple = '\f'; break;
        case 'n': simple = '\n'; break;
        case 'r': simple = '\r'; break;
        case 't': simple = '\t'; break;
        case 'u': break;
        default: return fail(ReadFailure::syntax, "invalid escape");
    }
    if (kind == '/') canonical_ = false;  // JSON.stringify writes '/' as it is
    if (simple != 0) {
        if (out != nullptr) out->push_back(simple);
        p_ += 2;
        return true;
    }
    auto read_unit = [&](std::uint32_t& unit) {
        if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
        unit = 0;
        for (int i = 2; i < 6; ++i) {
            const int v = hex_value(p_[i]);
            if (v < 0) return false;
            unit = (unit << 4) | static_cast<std::uint32_t>(v);
        }
        p_ += 6;
        return true;
    };
    std::uint32_t unit = 0;
    if (!read_unit(unit)) return fail(ReadFailure::syntax, "invalid \\u escape");
    // JSON.stringify writes \u escapes only for control characters without a
    // short form, with lower-case hex digits.
    const bool short_form = unit == '\b' || unit == '\f' || unit == '\n' || unit == '\r' || unit == '\t';
    if (unit >= 0x20 || short_form || (p_[-2] >= 'A' && p_[-2] <= 'F') || (p_[-1] >= 'A' && p_[-1] <= 'F')) {
        canonical_ = false;
    }
    std::uint32_t code_point = unit;
    if (unit >= 0xdc00 && unit <= 0xdfff) {
        return fail(ReadFailure::invalid_utf8, "unpaired low surrogate escape");
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
        // UTF-16 high surrogate: only meaningful followed by a low one.
        std::uint32_t low = 0;
        const char* before_low = p_;
        if (!read_unit(low) || low < 0xdc00 || low > 0xdfff) {
            p_ = before_low;
            return fail(ReadFailure::invalid_utf8, "unpaired high surrogate escape");
        }
        code_point = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }
    if (out != nullptr) append_utf8(code_point, *out);
    return true;
}

bool JsonReader::read_number(JsonNumber& out) {
    out = JsonNumber{};
    out.negative = consume('-');
    auto is_digit = [&] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
    if (!is_digit()) return fail(ReadFailure::syntax, "invalid number");
    if (*p_ == '0') {
        ++p_;  // a leading zero stands alone; a digit after it fails at the caller
    } else {
        while (is_digit()) {
            const auto digit = static_cast<std::uint64_t>(*p_ - '0');
            if (out.magnitude > (UINT64_MAX - digit) / 10) out.overflow = true;
            out.magnitude = out.magnitude * 10 + digit;
            ++p_;
        }
    }
    if (consume('.')) {
        out.integral = false;
        if (!is_digit()) return fail(ReadFailure::syntax, "invalid number fraction");
        while (is_digit()) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
        out.integral = false;
        ++p_;
        if (!consume('+')) consume('-');
        if (!is_digit()) return fail(ReadFailure::syntax, "invalid number exponent");
        while (is_digit()) ++p_;
    }
    return true;
}

bool JsonReader::read_literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) {
        return fail(ReadFailure::syntax, "invalid literal");
    }
    p_ += word.size();
    return true;
}

bool JsonReader::skip_value(int depth) {
    switch (peek()) {
        case '"': return read_string(nullptr);
        case 't': return read_literal("true");
        case 'f': return read_literal("false");
        case 'n': return read_literal("null");
        case '{':
        case '[': {
            const char close = peek() == '{' ? '}' : ']';
            const bool object = close == '}';
            if (depth >= kMaxDepth) return fail(ReadFailure::syntax, "nesting too deep");
            ++p_;
            skip_whitespace();
            if (consume(close)) return true;
            for (;;) {
                skip_whitespace();
                if (object) {
                    if (peek() != '"') return fail(ReadFailure::syntax, "expected a member name");
                    if (!read_string(nullptr)) return false;
                    skip_whitespace();
                    if (!consume(':')) return fail(ReadFailure::syntax, "expected ':'");
                    skip_whitespace();
                }
                if (!skip_value(depth + 1)) return false;
                skip_whitespace();
                if (consume(',')) continue;
                if (consume(close)) return true;
                return fail(ReadFailure::syntax, object ? "expected ',' or '}'" : "expected ',' or ']'");
            }
        }
        default: {
            const char c = peek();
            if (c == '-' || (c >= '0' && c <= '9')) {
                JsonNumber ignored;
                return read_number(ignored);
            }
            return fail(ReadFailure::syntax, "expected a value");
        }
    }
}

}  // namespace brotr::detail
