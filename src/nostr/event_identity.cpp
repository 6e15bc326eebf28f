// scan_event_identity(): the id and sig of an event text without building
// the event. A bulk loader looks them up first and parses in full only the
// events it does not have; for a file it has mostly seen, that skips nearly
// all parsing (and its allocations).
//
// The scan is strict where it decides: the whole text must be one JSON
// object with valid syntax and UTF-8, every NIP-01 field present once with
// the right JSON type, id and sig plain lower-case hex. Anything else gives
// nullopt, and parse_event() then names the reason. What the scan does not
// check (values inside tags, number ranges) is covered by the id: same id and
// same sig as a stored event means that event.
#include <algorithm>
#include <vector>

#include "brotr/event.hpp"
#include "nostr/event_json_reader.hpp"

namespace brotr {
namespace {

using detail::JsonReader;

// The JSON type each NIP-01 field must have, by its first character.
bool starts_as(std::string_view key, char c) {
    const bool number = c == '-' || (c >= '0' && c <= '9');
    if (key == "pubkey" || key == "content") return c == '"';
    if (key == "created_at" || key == "kind") return number;
    if (key == "tags") return c == '[';
    return true;  // unknown fields may hold anything
}

}  // namespace

std::optional<EventIdentity> scan_event_identity(std::string_view json) {
    static constexpr std::string_view kFields[] = {"id", "pubkey", "created_at", "kind", "tags", "content", "sig"};
    JsonReader reader(json);
    EventIdentity identity;
    unsigned seen = 0;
    std::vector<std::string_view> unknown;  // usually stays empty (no allocation)
    reader.skip_whitespace();
    if (!reader.consume('{')) return std::nullopt;
    reader.skip_whitespace();
    if (reader.consume('}')) return std::nullopt;
    for (;;) {
        reader.skip_whitespace();
        std::string_view key;
        // A key with escapes is left to the full parser.
        if (reader.peek() != '"' || !reader.read_plain_string(key)) return std::nullopt;
        reader.skip_whitespace();
        if (!reader.consume(':')) return std::nullopt;
        reader.skip_whitespace();
        const auto* field = std::find(std::begin(kFields), std::end(kFields), key);
        if (field != std::end(kFields)) {
            const unsigned bit = 1u << (field - std::begin(kFields));
            if ((seen & bit) != 0) return std::nullopt;  // duplicate_field
            seen |= bit;
        } else {
            if (std::find(unknown.begin(), unknown.end(), key) != unknown.end()) return std::nullopt;
            unknown.push_back(key);
        }
        if (key == "id") {
            if (!reader.read_exact_hex(identity.id)) return std::nullopt;
        } else if (key == "sig") {
            if (!reader.read_exact_hex(identity.sig)) return std::nullopt;
        } else {
            if (!starts_as(key, reader.peek()) || !reader.skip_value()) return std::nullopt;
        }
        reader.skip_whitespace();
        if (reader.consume(',')) continue;
        if (reader.consume('}')) break;
        return std::nullopt;
    }
    reader.skip_whitespace();
    if (!reader.at_end() || seen != (1u << std::size(kFields)) - 1) return std::nullopt;
    return identity;
}

}  // namespace brotr
