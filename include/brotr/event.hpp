// The Nostr event (NIP-01): strict parsing of untrusted JSON, the canonical
// serialization that defines the id, Schnorr verification and signing.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace brotr {

using Bytes32 = std::array<std::uint8_t, 32>;
using Bytes64 = std::array<std::uint8_t, 64>;
using Tag = std::vector<std::string>;
using Tags = std::vector<Tag>;

struct Event {
    Bytes32 id{};
    Bytes32 pubkey{};
    std::int64_t created_at = 0;  // unix seconds, >= 0
    std::uint16_t kind = 0;       // NIP-01: 0..65535
    Tags tags;
    std::string content;
    Bytes64 sig{};

    bool operator==(const Event&) const = default;
};

// Why a JSON text is not a valid event. Each value is a distinct, countable
// drop reason (importers and relay sessions count drops per reason).
enum class EventError : std::uint8_t {
    ok = 0,
    malformed_json,        // not JSON, or trailing garbage after the object
    not_an_object,
    duplicate_field,
    missing_field,         // one of id, pubkey, created_at, kind, tags, content, sig absent
    bad_id,                // not 64 lower-case hex characters
    bad_pubkey,            // not 64 lower-case hex characters
    bad_sig,               // not 128 lower-case hex characters
    bad_created_at,        // not a non-negative integer that fits in int64
    bad_kind,              // not an integer in 0..65535
    bad_tags,              // not an array of arrays of strings
    bad_content,           // not a string
    invalid_utf8,          // a string is not valid UTF-8
    id_mismatch,           // id is not SHA-256 of the canonical serialization
    invalid_signature,     // Schnorr signature does not verify for pubkey
};
inline constexpr std::size_t kEventErrorCount = 15;

// Stable snake_case name of an error, e.g. "bad_kind" (used in logs and counters).
std::string_view to_string(EventError e);
// A sentence for people, e.g. "kind must be an integer between 0 and 65535".
std::string_view describe(EventError e);
// Writes to_string(e) (readable test failures and log lines).
std::ostream& operator<<(std::ostream& out, EventError e);

struct ParsedEvent {
    std::optional<Event> event;
    EventError error = EventError::ok;
    std::string detail;  // extra context for people (which field, position); may be empty
};

// Strict parse of one NIP-01 event object. Unknown extra fields are ignored.
// Does not check the id or signature: see check_event().
ParsedEvent parse_event(std::string_view json);

// What makes a stored copy of an event the same event (see the store).
struct EventIdentity {
    Bytes32 id{};
    Bytes64 sig{};
    bool operator==(const EventIdentity&) const = default;
};

// The id and sig of an event text, without building the event: nullopt
// unless the text is a JSON object of valid syntax with every NIP-01 field
// once, of the right JSON type, and id and sig in lower-case hex (then
// parse_event() tells why). Values inside the other fields are not checked.
std::optional<EventIdentity> scan_event_identity(std::string_view json);

// [0,<pubkey hex>,<created_at>,<kind>,<tags>,<content>] with NIP-01 escaping
// (the same bytes JSON.stringify produces), no whitespace.
std::string canonical_serialization(const Event& e);
void append_canonical_serialization(const Event& e, std::string& out);

// SHA-256 of the canonical serialization.
Bytes32 compute_event_id(const Event& e);

// Schnorr (BIP-340) signature check of sig over id for pubkey. Thread-safe.
bool verify_signature(const Event& e);

// id matches the content, then the signature verifies. ok, id_mismatch or invalid_signature.
EventError check_event(const Event& e);

// parse_event() then check_event() in one call, for untrusted events: the id
// is hashed straight from the input text when that is already canonical
// (the usual case), which saves serializing the event again. The event is
// returned only when it is valid; error is any parse error, id_mismatch or
// invalid_signature.
ParsedEvent parse_and_check_event(std::string_view json);

// The event as a NIP-01 JSON object:
// {"id":..,"pubkey":..,"created_at":..,"kind":..,"tags":..,"content":..,"sig":..}
std::string to_json(const Event& e);
void append_json(const Event& e, std::string& out);

}  // namespace brotr
