#include "net/filter.hpp"

#include <algorithm>

#include "brotr/hex.hpp"
#include "net/json_cursor.hpp"

namespace brotr::net {

namespace {

void append_strings(std::string& out, const char* key, const std::vector<std::string>& values, bool& first) {
    if (!first) out.push_back(',');
    first = false;
    json::append_string(out, key);
    out += ":[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out.push_back(',');
        json::append_string(out, values[i]);
    }
    out.push_back(']');
}

void append_number(std::string& out, const char* key, auto value, bool& first) {
    if (!first) out.push_back(',');
    first = false;
    json::append_string(out, key);
    out.push_back(':');
    out += std::to_string(value);
}

bool hex_matches(const std::vector<std::string>& wanted, const Bytes32& bytes) {
    if (wanted.empty()) return true;
    const std::string hex = to_hex(bytes);
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return hex.starts_with(w); });
}

bool tag_matches(const TagFilter& filter, const Event& e) {
    return std::any_of(e.tags.begin(), e.tags.end(), [&](const Tag& tag) {
        return tag.size() >= 2 && tag[0] == filter.name &&
               std::find(filter.values.begin(), filter.values.end(), tag[1]) != filter.values.end();
    });
}

}  // namespace

void Filter::append_json(std::string& out) const {
    out.push_back('{');
    bool first = true;
    if (!ids.empty()) append_strings(out, "ids", ids, first);
    if (!authors.empty()) append_strings(out, "authors", authors, first);
    if (!kinds.empty()) {
        if (!first) out.push_back(',');
        first = false;
        out += "\"kinds\":[";
        for (std::size_t i = 0; i < kinds.size(); ++i) {
            if (i) out.push_back(',');
            out += std::to_string(kinds[i]);
        }
        out.push_back(']');
    }
    for (const auto& tag : tags) append_strings(out, ("#" + tag.name).c_str(), tag.values, first);
    if (since) append_number(out, "since", *since, first);
    if (until) append_number(out, "until", *until, first);
    if (limit) append_number(out, "limit", *limit, first);
    out.push_back('}');
}

std::string Filter::to_json() const {
    std::string out;
    append_json(out);
    return out;
}

bool Filter::matches(const Event& e) const {
    if (since && e.created_at < *since) return false;
    if (until && e.created_at > *until) return false;
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end()) return false;
    if (!hex_matches(ids, e.id) || !hex_matches(authors, e.pubkey)) return false;
    return std::all_of(tags.begin(), tags.end(), [&](const TagFilter& t) { return tag_matches(t, e); });
}

}  // namespace brotr::net
