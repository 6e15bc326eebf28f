// Event output: the canonical serialization that the id is the hash of, and
// the NIP-01 JSON object. Both escape strings like JSON.stringify.
#include <charconv>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "nostr/event_json_escape.hpp"

namespace brotr {
namespace {

void append_integer(std::int64_t value, std::string& out) {
    char buf[24];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, result.ptr);
}

void append_hex_string(std::span<const std::uint8_t> bytes, std::string& out) {
    out.push_back('"');
    append_hex(bytes, out);
    out.push_back('"');
}

// An upper bound guess that avoids regrowing the output in the common case.
std::size_t estimated_size(const Event& e) {
    std::size_t size = 300 + e.content.size();
    for (const auto& tag : e.tags) {
        size += 4;
        for (const auto& value : tag) size += value.size() + 3;
    }
    return size;
}

}  // namespace

void append_canonical_serialization(const Event& e, std::string& out) {
    out.reserve(out.size() + estimated_size(e));
    out.append("[0,");
    append_hex_string(e.pubkey, out);
    out.push_back(',');
    append_integer(e.created_at, out);
    out.push_back(',');
    append_integer(e.kind, out);
    out.push_back(',');
    detail::append_tags_json(e.tags, out);
    out.push_back(',');
    detail::append_json_string(e.content, out);
    out.push_back(']');
}

std::string canonical_serialization(const Event& e) {
    std::string out;
    append_canonical_serialization(e, out);
    return out;
}

void append_json(const Event& e, std::string& out) {
    out.reserve(out.size() + estimated_size(e) + 200);
    out.append("{\"id\":");
    append_hex_string(e.id, out);
    out.append(",\"pubkey\":");
    append_hex_string(e.pubkey, out);
    out.append(",\"created_at\":");
    append_integer(e.created_at, out);
    out.append(",\"kind\":");
    append_integer(e.kind, out);
    out.append(",\"tags\":");
    detail::append_tags_json(e.tags, out);
    out.append(",\"content\":");
    detail::append_json_string(e.content, out);
    out.append(",\"sig\":");
    append_hex_string(e.sig, out);
    out.push_back('}');
}

std::string to_json(const Event& e) {
    std::string out;
    append_json(e, out);
    return out;
}

}  // namespace brotr
