#include "services/canonical_json_walk.hpp"

#include <charconv>

#include "net/json_cursor.hpp"

namespace brotr::services::json_walk {

namespace {

// JSON whitespace (RFC 8259): only these four; \v and \f are not.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim_json_space(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// End (one past) of the value starting at text[pos], or npos when it is cut short.
std::size_t value_end(std::string_view text, std::size_t pos) {
    if (pos >= text.size()) return std::string_view::npos;
    const char first = text[pos];
    if (first == '"' || first == '{' || first == '[') {
        std::size_t depth = 0;
        bool in_string = false;
        for (std::size_t i = pos; i < text.size(); ++i) {
            const char c = text[i];
            if (in_string) {
                if (c == '\\') ++i;
                else if (c == '"') {
                    in_string = false;
                    if (depth == 0) return i + 1;  // a bare string value ends here
                }
                continue;
            }
            if (c == '"') in_string = true;
            else if (c == '{' || c == '[') ++depth;
            else if (c == '}' || c == ']') {
                if (depth == 0) return std::string_view::npos;
                if (--depth == 0) return i + 1;
            }
        }
        return std::string_view::npos;
    }
    std::size_t i = pos;
    while (i < text.size() && text[i] != ',' && text[i] != '}' && text[i] != ']' && text[i] != ':' &&
           !is_space(text[i])) {
        ++i;
    }
    return i == pos ? std::string_view::npos : i;
}

std::size_t skip_space(std::string_view text, std::size_t pos) {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    return pos;
}

// Splits the inside of a container into raw items; `with_keys` reads "key": value pairs.
template <typename OnItem>
bool split(std::string_view value, char open, char close, bool with_keys, OnItem on_item) {
    value = trim_json_space(value);
    if (value.size() < 2 || value.front() != open || value.back() != close) return false;
    const std::string_view inner = value.substr(1, value.size() - 2);
    std::size_t pos = skip_space(inner, 0);
    if (pos == inner.size()) return true;
    for (;;) {
        std::string_view key;
        if (with_keys) {
            if (inner[pos] != '"') return false;
            const std::size_t key_end = value_end(inner, pos);
            if (key_end == std::string_view::npos) return false;
            key = inner.substr(pos, key_end - pos);
            pos = skip_space(inner, key_end);
            if (pos >= inner.size() || inner[pos] != ':') return false;
            pos = skip_space(inner, pos + 1);
        }
        const std::size_t end = value_end(inner, pos);
        if (end == std::string_view::npos) return false;
        if (!on_item(key, inner.substr(pos, end - pos))) return false;
        pos = skip_space(inner, end);
        if (pos == inner.size()) return true;
        if (inner[pos] != ',') return false;
        pos = skip_space(inner, pos + 1);
        if (pos == inner.size()) return false;
    }
}

}  // namespace

Kind kind_of(std::string_view value) {
    value = trim_json_space(value);
    if (value.empty()) return Kind::invalid;
    switch (value.front()) {
        case '{': return Kind::object;
        case '[': return Kind::array;
        case '"': return Kind::string;
        case 't':
        case 'f': return Kind::boolean;
        case 'n': return Kind::null;
        default: return (value.front() == '-' || (value.front() >= '0' && value.front() <= '9')) ? Kind::number
                                                                                                  : Kind::invalid;
    }
}

std::optional<std::vector<std::pair<std::string, std::string_view>>> members(std::string_view value) {
    std::vector<std::pair<std::string, std::string_view>> out;
    bool ok = split(value, '{', '}', true, [&](std::string_view key, std::string_view item) {
        auto decoded = string_value(key);
        if (!decoded) return false;
        out.emplace_back(std::move(*decoded), item);
        return true;
    });
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::vector<std::string_view>> elements(std::string_view value) {
    std::vector<std::string_view> out;
    bool ok = split(value, '[', ']', false, [&](std::string_view, std::string_view item) {
        out.push_back(item);
        return true;
    });
    if (!ok) return std::nullopt;
    return out;
}

std::optional<std::string> string_value(std::string_view value) {
    value = trim_json_space(value);
    if (kind_of(value) != Kind::string) return std::nullopt;
    net::json::Cursor cursor(value);
    std::string out;
    if (!cursor.read_string(out) || !cursor.at_end()) return std::nullopt;
    return out;
}

std::optional<long long> integer_value(std::string_view value) {
    value = trim_json_space(value);
    if (value.empty()) return std::nullopt;
    long long n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
    return n;
}

}  // namespace brotr::services::json_walk
