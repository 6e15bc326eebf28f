#include "brotr/filter.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"

namespace brotr {
namespace {

using nlohmann::json;

// A parse error with its message; thrown only inside parse_filter.
struct FilterError {
    std::string message;
};

[[noreturn]] void fail(std::string message) { throw FilterError{std::move(message)}; }

const json& array_field(const json& value, const std::string& name) {
    if (!value.is_array()) fail(name + " must be an array");
    return value;
}

std::vector<Bytes32> parse_hex_list(const json& value, const std::string& name) {
    std::vector<Bytes32> out;
    for (std::size_t i = 0; i < array_field(value, name).size(); ++i) {
        const json& item = value[i];
        std::optional<Bytes32> bytes;
        if (item.is_string()) bytes = parse_hex_array<32>(item.get_ref<const std::string&>());
        if (!bytes) fail(name + "[" + std::to_string(i) + "] must be 64 lower-case hex characters");
        out.push_back(*bytes);
    }
    return out;
}

// A JSON integer (not 1.0, not 1e3) in [0, max].
std::optional<std::uint64_t> non_negative_integer(const json& value, std::uint64_t max) {
    if (value.is_number_unsigned()) {
        const auto v = value.get<std::uint64_t>();
        if (v <= max) return v;
    } else if (value.is_number_integer()) {
        const auto v = value.get<std::int64_t>();
        if (v >= 0 && static_cast<std::uint64_t>(v) <= max) return static_cast<std::uint64_t>(v);
    }
    return std::nullopt;
}

std::vector<std::uint16_t> parse_kinds(const json& value) {
    std::vector<std::uint16_t> out;
    for (std::size_t i = 0; i < array_field(value, "kinds").size(); ++i) {
        const auto kind = non_negative_integer(value[i], 65535);
        if (!kind) fail("kinds[" + std::to_string(i) + "] must be an integer between 0 and 65535");
        out.push_back(static_cast<std::uint16_t>(*kind));
    }
    return out;
}

std::vector<std::string> parse_tag_values(const json& value, const std::string& name) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < array_field(value, name).size(); ++i) {
        if (!value[i].is_string()) fail(name + "[" + std::to_string(i) + "] must be a string");
        out.push_back(value[i].get<std::string>());
    }
    return out;
}

bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

Filter parse_object(const json& doc) {
    if (!doc.is_object()) fail("a filter must be a JSON object");
    Filter f;
    for (const auto& [key, value] : doc.items()) {
        if (key == "ids") {
            f.ids = parse_hex_list(value, key);
        } else if (key == "authors") {
            f.authors = parse_hex_list(value, key);
        } else if (key == "kinds") {
            f.kinds = parse_kinds(value);
        } else if (key == "since" || key == "until") {
            const auto t = non_negative_integer(value, static_cast<std::uint64_t>(INT64_MAX));
            if (!t) fail(key + " must be a non-negative integer (unix seconds)");
            (key == "since" ? f.since : f.until) = static_cast<std::int64_t>(*t);
        } else if (key == "limit") {
            const auto n = non_negative_integer(value, UINT64_MAX);
            if (!n) fail("limit must be a non-negative integer");
            f.limit = *n;
        } else if (!key.empty() && key[0] == '#') {
            if (key.size() != 2 || !is_ascii_letter(key[1])) {
                fail("tag filter \"" + key + "\": a tag filter key is '#' and one letter");
            }
            f.tags[key[1]] = parse_tag_values(value, key);
        } else {
            fail("unknown filter field \"" + key + "\"");
        }
    }
    return f;
}

json hex_array(const std::vector<Bytes32>& values) {
    json out = json::array();
    for (const auto& v : values) out.push_back(to_hex(v));
    return out;
}

template <typename T>
bool contains(const std::vector<T>& values, const T& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

bool has_tag_value(const Event& e, char letter, const std::vector<std::string>& values) {
    for (const Tag& tag : e.tags) {
        if (tag.size() >= 2 && tag[0].size() == 1 && tag[0][0] == letter && contains(values, tag[1])) return true;
    }
    return false;
}

}  // namespace

ParsedFilter parse_filter(std::string_view text) {
    ParsedFilter result;
    const json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) {
        result.error = "not valid JSON";
        return result;
    }
    try {
        result.filter = parse_object(doc);
    } catch (const FilterError& e) {
        result.error = e.message;
    }
    return result;
}

std::string to_json(const Filter& f) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    if (f.ids) out["ids"] = hex_array(*f.ids);
    if (f.authors) out["authors"] = hex_array(*f.authors);
    if (f.kinds) out["kinds"] = *f.kinds;
    for (const auto& [letter, values] : f.tags) out[std::string("#") + letter] = values;
    if (f.since) out["since"] = *f.since;
    if (f.until) out["until"] = *f.until;
    if (f.limit) out["limit"] = *f.limit;
    // Invalid UTF-8 in a tag value set by code is replaced rather than thrown.
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool Filter::matches(const Event& e) const {
    if (ids && !contains(*ids, e.id)) return false;
    if (authors && !contains(*authors, e.pubkey)) return false;
    if (kinds && !contains(*kinds, e.kind)) return false;
    if (since && e.created_at < *since) return false;
    if (until && e.created_at > *until) return false;
    for (const auto& [letter, values] : tags) {
        if (!has_tag_value(e, letter, values)) return false;
    }
    return true;
}

}  // namespace brotr
