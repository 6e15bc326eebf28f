#include "model/jsonb_text.hpp"

#include <algorithm>
#include <cstdint>

namespace brotr {
namespace {

// numeric's storage limits (PostgreSQL 15): at most 131072 decimal digits
// before the point (weight 32767 in base-10000 digits) and a display scale of
// at most 16383; exponents of INT_MAX/2 or more are refused outright.
constexpr std::size_t kNumericMaxIntegerDigits = 131072;
constexpr long long kNumericMaxScale = 16383;
constexpr long long kNumericMaxExponent = 1073741823;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the well-formed UTF-8 sequence starting at s[i] (a byte >= 0x80),
// or 0 when it is malformed: overlong forms, surrogates and code points above
// U+10FFFF are refused, as PostgreSQL's UTF-8 verification does.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) -> unsigned { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    auto cont = [&](std::size_t k) { return (at(k) & 0xC0u) == 0x80u; };
    unsigned b0 = at(i), b1 = at(i + 1);
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(i + 1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
        if (b0 == 0xE0 && b1 < 0xA0) return 0;  // overlong
        if (b0 == 0xED && b1 > 0x9F) return 0;  // UTF-16 surrogate
        return cont(i + 1) && cont(i + 2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
        if (b0 == 0xF0 && b1 < 0x90) return 0;  // overlong
        if (b0 == 0xF4 && b1 > 0x8F) return 0;  // above U+10FFFF
        return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    }
    return 0;
}

// escape_json() of PostgreSQL, for text already known to be valid.
void append_escaped(std::string_view text, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (char c : text) {
        switch (c) {
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out += kHex[(c >> 4) & 0xF];
                    out += kHex[c & 0xF];
                } else {
                    out += c;
                }
        }
    }
    out += '"';
}

// Sorts members as jsonb stores them (length, then bytes) and keeps the last
// value of each repeated key; stable_sort keeps repeats in input order.
void append_object(std::vector<std::pair<std::string, std::string>>& members, std::string& out) {
    std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
        if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
        return a.first < b.first;  // std::string compares bytes as unsigned char
    });
    out += '{';
    bool first = true;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
        if (!first) out += ", ";
        first = false;
        append_escaped(members[i].first, out);
        out += ": ";
        out += members[i].second;
    }
    out += '}';
}

std::string canonical_number(bool negative, std::string_view int_digits, std::string_view frac_digits,
                             long long exponent) {
    if (exponent >= kNumericMaxExponent || exponent <= -kNumericMaxExponent)
        throw JsonbError("number out of PostgreSQL numeric range (exponent too large)");
    std::string digits;
    digits.reserve(int_digits.size() + frac_digits.size());
    digits.append(int_digits).append(frac_digits);
    const long long len = static_cast<long long>(digits.size());
    const long long point = static_cast<long long>(int_digits.size()) + exponent;  // digits before the point
    const long long scale = std::max(0LL, static_cast<long long>(frac_digits.size()) - exponent);
    if (scale > kNumericMaxScale)
        throw JsonbError("number out of PostgreSQL numeric range (more than 16383 digits after the point)");

    const auto first_nonzero = digits.find_first_not_of('0');
    std::string out;
    if (first_nonzero == std::string::npos) {
        out = "0";  // numeric has no negative zero
    } else {
        const long long lead = static_cast<long long>(first_nonzero);
        if (point - lead > static_cast<long long>(kNumericMaxIntegerDigits))
            throw JsonbError("number out of PostgreSQL numeric range (more than 131072 digits before the point)");
        if (negative) out += '-';
        if (point <= lead) {
            out += '0';
        } else {
            out.append(digits, static_cast<std::size_t>(lead),
                       static_cast<std::size_t>(std::min(point, len) - lead));
            if (point > len) out.append(static_cast<std::size_t>(point - len), '0');
        }
    }
    if (scale > 0) {
        out += '.';
        for (long long i = point; i < point + scale; ++i) out += (i >= 0 && i < len) ? digits[static_cast<std::size_t>(i)] : '0';
    }
    return out;
}

class Parser {
public:
    explicit Parser(std::string_view in) : in_(in) {}

    std::string document() {
        std::string out;
        skip_whitespace();
        value(out, 0);
        skip_whitespace();
        if (pos_ != in_.size()) fail("unexpected text after the JSON value");
        return out;
    }

    // A whole input that must be exactly one number token.
    std::string number_only() {
        std::string out;
        if (pos_ >= in_.size() || (in_[pos_] != '-' && !is_digit(in_[pos_]))) fail("not a JSON number");
        number(out);
        if (pos_ != in_.size()) fail("not a JSON number");
        return out;
    }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw JsonbError("invalid JSON at byte " + std::to_string(pos_) + ": " + what);
    }

    void skip_whitespace() {
        while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
            ++pos_;
    }

    void value(std::string& out, int depth) {
        if (pos_ >= in_.size()) fail("unexpected end of input");
        const char c = in_[pos_];
        if (c == '{') return object(out, depth + 1);
        if (c == '[') return array(out, depth + 1);
        if (c == '"') {
            std::string text;
            string(text);
            append_escaped(text, out);
            return;
        }
        if (c == '-' || is_digit(c)) return number(out);
        for (std::string_view literal : {"true", "false", "null"}) {
            if (in_.substr(pos_, literal.size()) == literal) {
                pos_ += literal.size();
                out += literal;
                return;
            }
        }
        fail("unexpected character");
    }

    void check_depth(int depth) const {
        if (depth > kJsonbMaxDepth) fail("nesting deeper than " + std::to_string(kJsonbMaxDepth) + " levels");
    }

    void object(std::string& out, int depth) {
        check_depth(depth);
        ++pos_;  // '{'
        std::vector<std::pair<std::string, std::string>> members;
        skip_whitespace();
        if (pos_ < in_.size() && in_[pos_] == '}') {
            ++pos_;
            out += "{}";
            return;
        }
        for (;;) {
            skip_whitespace();
            if (pos_ >= in_.size() || in_[pos_] != '"') fail("expected a string as object key");
            std::string key;
            string(key);
            skip_whitespace();
            if (pos_ >= in_.size() || in_[pos_] != ':') fail("expected ':' after object key");
            ++pos_;
            skip_whitespace();
            std::string member_value;
            value(member_value, depth);
            members.emplace_back(std::move(key), std::move(member_value));
            skip_whitespace();
            if (pos_ < in_.size() && in_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < in_.size() && in_[pos_] == '}') {
                ++pos_;
                break;
            }
            fail("expected ',' or '}' in object");
        }
        append_object(members, out);
    }

    void array(std::string& out, int depth) {
        check_depth(depth);
        ++pos_;  // '['
        out += '[';
        skip_whitespace();
        if (pos_ < in_.size() && in_[pos_] == ']') {
            ++pos_;
            out += ']';
            return;
        }
        for (bool first = true;; first = false) {
            if (!first) out += ", ";
            skip_whitespace();
            value(out, depth);
            skip_whitespace();
            if (pos_ < in_.size() && in_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < in_.size() && in_[pos_] == ']') {
                ++pos_;
                break;
            }
            fail("expected ',' or ']' in array");
        }
        out += ']';
    }

    std::uint32_t hex4() {
        if (pos_ + 4 > in_.size()) fail("truncated \\u escape");
        std::uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            const int h = hex_value(in_[pos_++]);
            if (h < 0) fail("\\u must be followed by four hexadecimal digits");
            v = (v << 4) | static_cast<std::uint32_t>(h);
        }
        return v;
    }

    // Decodes a string literal (at '"') into UTF-8 text.
    void string(std::string& text) {
        ++pos_;  // '"'
        for (;;) {
            if (pos_ >= in_.size()) fail("unterminated string");
            const auto c = static_cast<unsigned char>(in_[pos_]);
            if (c == '"') {
                ++pos_;
                return;
            }
            if (c < 0x20) fail("control character in string must be escaped");
            if (c >= 0x80) {
                const std::size_t n = utf8_sequence_length(in_, pos_);
                if (n == 0) fail("invalid UTF-8");
                text.append(in_.substr(pos_, n));
                pos_ += n;
                continue;
            }
            ++pos_;
            if (c != '\\') {
                text += static_cast<char>(c);
                continue;
            }
            if (pos_ >= in_.size()) fail("unterminated string");
            const char e = in_[pos_++];
            switch (e) {
                case '"': text += '"'; break;
                case '\\': text += '\\'; break;
                case '/': text += '/'; break;
                case 'b': text += '\b'; break;
                case 'f': text += '\f'; break;
                case 'n': text += '\n'; break;
                case 'r': text += '\r'; break;
                case 't': text += '\t'; break;
                case 'u': unicode_escape(text); break;
                default: fail("invalid escape sequence");
            }
        }
    }

    void unicode_escape(std::string& text) {
        std::uint32_t cp = hex4();
        if (cp >= 0xDC00 && cp <= 0xDFFF) fail("Unicode low surrogate must follow a high surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (in_.substr(pos_, 2) != "\\u") fail("Unicode high surrogate must be followed by a low surrogate");
            pos_ += 2;
            const std::uint32_t low = hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail("Unicode high surrogate must be followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        if (cp == 0) fail("\\u0000 cannot be converted to text");
        append_utf8(cp, text);
    }

    void number(std::string& out) {
        bool negative = false;
        if (in_[pos_] == '-') {
            negative = true;
            ++pos_;
        }
        const std::size_t int_start = pos_;
        if (pos_ >= in_.size() || !is_digit(in_[pos_])) fail("invalid number");
        if (in_[pos_] == '0') {
            ++pos_;
        } else {
            while (pos_ < in_.size() && is_digit(in_[pos_])) ++pos_;
        }
        const std::string_view int_digits = in_.substr(int_start, pos_ - int_start);
        std::string_view frac_digits;
        if (pos_ < in_.size() && in_[pos_] == '.') {
            const std::size_t frac_start = ++pos_;
            while (pos_ < in_.size() && is_digit(in_[pos_])) ++pos_;
            if (pos_ == frac_start) fail("invalid number: digits must follow '.'");
            frac_digits = in_.substr(frac_start, pos_ - frac_start);
        }
        long long exponent = 0;
        if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
            ++pos_;
            bool exp_negative = false;
            if (pos_ < in_.size() && (in_[pos_] == '+' || in_[pos_] == '-')) exp_negative = in_[pos_++] == '-';
            if (pos_ >= in_.size() || !is_digit(in_[pos_])) fail("invalid number: digits must follow the exponent");
            while (pos_ < in_.size() && is_digit(in_[pos_])) {
                // Saturate: anything this large is refused by canonical_number.
                if (exponent < kNumericMaxExponent) exponent = exponent * 10 + (in_[pos_] - '0');
                ++pos_;
            }
            if (exp_negative) exponent = -exponent;
        }
        if (pos_ < in_.size() && (is_digit(in_[pos_]) || in_[pos_] == '.' || in_[pos_] == 'e' || in_[pos_] == 'E'))
            fail("invalid number");  // e.g. a leading zero as in 01
        out += canonical_number(negative, int_digits, frac_digits, exponent);
    }

    std::string_view in_;
    std::size_t pos_ = 0;
};

}  // namespace

std::string to_jsonb_text(std::string_view json) { return Parser(json).document(); }

std::string jsonb_number_text(std::string_view number) { return Parser(number).number_only(); }

void append_jsonb_string(std::string_view text, std::string& out) {
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == 0) throw JsonbError("text contains a NUL byte, which PostgreSQL text cannot hold");
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = utf8_sequence_length(text, i);
        if (n == 0) throw JsonbError("text is not valid UTF-8 (byte " + std::to_string(i) + ")");
        i += n;
    }
    append_escaped(text, out);
}

void JsonbObjectBuilder::add_raw(std::string key, std::string canonical_value) {
    members_.emplace_back(std::move(key), std::move(canonical_value));
}

void JsonbObjectBuilder::add_string(std::string key, std::string_view text) {
    std::string value;
    append_jsonb_string(text, value);
    add_raw(std::move(key), std::move(value));
}

std::string JsonbObjectBuilder::finish() && {
    for (const auto& member : members_) {
        std::string ignored;
        append_jsonb_string(member.first, ignored);  // keys obey the same text rules
    }
    std::string out;
    append_object(members_, out);
    return out;
}

}  // namespace brotr
