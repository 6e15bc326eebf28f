#include "net/json_cursor.hpp"

#include <cstdint>

#include "brotr/hex.hpp"

namespace brotr::net::json {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void Cursor::skip_ws() {
    while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        ++pos_;
    }
}

bool Cursor::eat(char c) {
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == c) {
        ++pos_;
        return true;
    }
    return false;
}

bool Cursor::at_end() {
    skip_ws();
    return pos_ == text_.size();
}

char Cursor::peek() {
    skip_ws();
    return pos_ < text_.size() ? text_[pos_] : '\0';
}

bool Cursor::read_string(std::string& out) {
    out.clear();
    if (peek() != '"') return false;
    std::size_t p = pos_ + 1;
    for (;;) {
        if (p >= text_.size()) return false;
        char c = text_[p];
        if (c == '"') break;
        if (static_cast<unsigned char>(c) < 0x20) return false;  // raw control character
        if (c != '\\') {
            out.push_back(c);
            ++p;
            continue;
        }
        if (++p >= text_.size()) return false;
        char e = text_[p++];
        switch (e) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'u': {
                auto read_unit = [&](std::uint32_t& unit) {
                    if (p + 4 > text_.size()) return false;
                    unit = 0;
                    for (int i = 0; i < 4; ++i) {
                        int d = hex_digit_value(text_[p + i]);
                        if (d < 0) return false;
                        unit = unit * 16 + static_cast<std::uint32_t>(d);
                    }
                    p += 4;
                    return true;
                };
                std::uint32_t unit = 0;
                if (!read_unit(unit)) return false;
                if (unit >= 0xD800 && unit <= 0xDBFF && p + 6 <= text_.size() && text_[p] == '\\' &&
                    text_[p + 1] == 'u') {
                    std::size_t save = p;
                    p += 2;
                    std::uint32_t low = 0;
                    if (!read_unit(low)) return false;
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        append_utf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
                        break;
                    }
                    p = save;  // not a pair: the high surrogate stands alone
                }
                append_utf8(out, unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : unit);
                break;
            }
            default:
                return false;
        }
    }
    pos_ = p + 1;
    return true;
}

bool Cursor::read_bool(bool& out) {
    char c = peek();
    if (c == 't' && skip_literal("true")) {
        out = true;
        return true;
    }
    if (c == 'f' && skip_literal("false")) {
        out = false;
        return true;
    }
    return false;
}

bool Cursor::read_raw(std::string_view& out) {
    skip_ws();
    std::size_t start = pos_;
    if (!skip_value_at(0)) return false;
    out = text_.substr(start, pos_ - start);
    return true;
}

bool Cursor::skip_literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
}

bool Cursor::skip_string() {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    std::size_t p = pos_ + 1;
    while (p < text_.size()) {
        char c = text_[p];
        if (c == '"') {
            pos_ = p + 1;
            return true;
        }
        if (static_cast<unsigned char>(c) < 0x20) return false;
        if (c == '\\') {
            if (p + 1 >= text_.size()) return false;
            char e = text_[p + 1];
            if (e == 'u') {
                if (p + 6 > text_.size()) return false;
                for (int i = 2; i < 6; ++i) {
                    if (hex_digit_value(text_[p + i]) < 0) return false;
                }
                p += 6;
                continue;
            }
            if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
                return false;
            }
            p += 2;
            continue;
        }
        ++p;
    }
    return false;
}

bool Cursor::skip_number() {
    std::size_t p = pos_;
    if (p < text_.size() && text_[p] == '-') ++p;
    if (p >= text_.size()) return false;
    if (text_[p] == '0') {
        ++p;
    } else if (is_digit(text_[p])) {
        while (p < text_.size() && is_digit(text_[p])) ++p;
    } else {
        return false;
    }
    if (p < text_.size() && text_[p] == '.') {
        ++p;
        if (p >= text_.size() || !is_digit(text_[p])) return false;
        while (p < text_.size() && is_digit(text_[p])) ++p;
    }
    if (p < text_.size() && (text_[p] == 'e' || text_[p] == 'E')) {
        ++p;
        if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
        if (p >= text_.size() || !is_digit(text_[p])) return false;
        while (p < text_.size() && is_digit(text_[p])) ++p;
    }
    pos_ = p;
    return true;
}

bool Cursor::skip_value_at(int depth) {
    if (depth > kMaxDepth) return false;
    switch (peek()) {
        case '"': return skip_string();
        case 't': return skip_literal("true");
        case 'f': return skip_literal("false");
        case 'n': return skip_literal("null");
        case '[': {
            ++pos_;
            if (eat(']')) return true;
            do {
                if (!skip_value_at(depth + 1)) return false;
            } while (eat(','));
            return eat(']');
        }
        case '{': {
            ++pos_;
            if (eat('}')) return true;
            do {
                skip_ws();
                if (!skip_string() || !eat(':') || !skip_value_at(depth + 1)) return false;
            } while (eat(','));
            return eat('}');
        }
        default: return skip_number();
    }
}

void append_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[(c >> 4) & 0xF]);
                    out.push_back(kHex[c & 0xF]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

}  // namespace brotr::net::json
