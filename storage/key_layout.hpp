// The on-disk layout of a brotr store (format 2.1, brotr/store_variant.hpp;
// docs/store-format.md, "Format versions"): every column family, its keys and its values, described byte by
// byte in docs/store-format.md. The codecs below and in event_codec.hpp /
// metadata_codec.hpp / counter_record.hpp are the only code that builds or
// reads these bytes.
//
// Integers in keys are big-endian so that byte order is numeric order.
// Timestamps in the query indexes are stored inverted (~created_at) so that a
// forward scan yields the newest events first, the order every reader wants.
//
// Events get a serial number (u64, in insertion order) when first stored. The
// indexes, relay links and changelog refer to an event by its serial, 8 bytes
// instead of the 32-byte id: that keeps every index entry small, which is what
// makes the store smaller than the JSONL it was imported from.
//
// | CF             | key                                             | value                         |
// |----------------|-------------------------------------------------|-------------------------------|
// | meta           | "variant" / "format_version"                    | "bigbrotr"|"lilbrotr" / "2"   |
// | event_ids      | id(32)                                          | serial(8) · sig_digest(8)     |
// | events         | serial(8)                                       | compact event (event_codec)   |
// | event_relays   | serial(8) · relay_url                           | seen_at(8)                    |
// | relay_events   | relay_url · 0x00 · seen_at(8) · serial(8)       | empty                         |
// | idx_created    | ~created_at(8) · serial(8)                      | empty                         |
// | idx_kind       | kind(2) · ~created_at(8) · serial(8)            | empty                         |
// | idx_pubkey     | pubkey[0..8) · ~created_at(8) · serial(8)       | empty                         |
// | idx_tag        | letter(1) · tag_hash(8) · ~created_at(8) · serial(8) | empty (bigbrotr only)    |
// | relays         | relay_url                                       | network(1) · inserted_at(8)   |
// | nip11          | id(32)                                          | metadata_codec                |
// | nip66          | id(32)                                          | metadata_codec                |
// | relay_metadata | relay_url · 0x00 · generated_at(8)              | flags(1) · [nip11_id] · [nip66_id] |
// | service_state  | service name                                    | updated_at(8) · JSON text     |
// | counters       | see "counters" below                            | counter_record (merge operator) or empty marker |
// | changelog      | seq(8)                                          | table(1) · row key            |
//
// meta also holds "changelog_trimmed_to" (decimal text) once
// Store::trim_changelog has deleted entries.
//
// event_ids holds a digest of the signature (the first 8 bytes of its
// SHA-256) beside the serial, so that recognising a duplicate (same id, same
// sig) takes one lookup in this small column family. Making another sig with
// the same digest is a 2^64 second-preimage search.
//
// idx_pubkey and idx_tag key on 8 bytes of the value (pubkeys are uniformly
// distributed already; tag values are hashed, see tag_hash()). Two values can
// share those 8 bytes, so a query re-checks every candidate event against the
// full filter: the index narrows, the event decides.
//
// Row keys in the changelog are the keys of the row's own column family:
// events -> serial(8); events_relays -> serial(8) · relay_url; relays -> url;
// nip11 / nip66 -> id(32); relay_metadata -> its key; service_state -> name.
//
// counters (one letter, then fields; records merge by adding counts and
// taking min/max of timestamps):
//   'g' · global_id(1)                     totals: events (with min/max created_at),
//                                          links, relays, snapshots, nip11, nip66,
//                                          pubkeys, kinds, the four kind classes,
//                                          and service_states
//   'h' · level(1) · bucket(8)             events per created_at >> (8*(level+1))
//   'k' · kind(2)                          events of a kind; distinct = pubkeys
//   'p' · pubkey(32)                       events of an author; distinct = kinds, min/max
//   'q' · pubkey(32) · kind(2)             marker: author used kind
//   'r' · relay_url · 0x00                 links of a relay; distinct = pubkeys, min/max
//   's' · relay_url · 0x00 · pubkey(32)    links of (relay, author); distinct = kinds, min/max
//   't' · relay_url · 0x00 · pubkey(32) · kind(2)   marker: (relay, author) used kind
//   'u' · relay_url · 0x00 · kind(2)       links of (relay, kind); distinct = pubkeys
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "brotr/bytes32_hash.hpp"
#include "brotr/event.hpp"
#include "brotr/store_variant.hpp"

namespace brotr::storage {

inline constexpr std::uint32_t kFormatVersion = kStoreFormatVersion;  // declared in brotr/store_variant.hpp

// Column family names, in the order they are opened.
enum class Cf : std::uint8_t {
    meta,
    event_ids,
    events,
    event_relays,
    relay_events,
    idx_created,
    idx_kind,
    idx_pubkey,
    idx_tag,
    relays,
    nip11,
    nip66,
    relay_metadata,
    service_state,
    counters,
    changelog,
};
inline constexpr std::size_t kCfCount = 16;
std::string_view cf_name(Cf cf);

inline constexpr char kUrlTerminator = '\0';
inline constexpr std::size_t kSerialSize = 8;
inline constexpr std::size_t kPubkeyPrefixSize = 8;

// ---- fixed-width integers ----------------------------------------------------

inline void put_be64(std::string& out, std::uint64_t v) {
    char b[8];
    for (int i = 7; i >= 0; --i) {
        b[i] = static_cast<char>(v & 0xff);
        v >>= 8;
    }
    out.append(b, 8);
}
inline void put_be16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}
inline std::uint64_t get_be64(const char* p) {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(p[i]);
    return v;
}
inline std::uint16_t get_be16(const char* p) {
    return static_cast<std::uint16_t>((static_cast<std::uint8_t>(p[0]) << 8) | static_cast<std::uint8_t>(p[1]));
}
inline std::uint64_t invert_time(std::int64_t t) { return ~static_cast<std::uint64_t>(t); }
inline std::int64_t uninvert_time(std::uint64_t v) { return static_cast<std::int64_t>(~v); }

template <std::size_t N>
void put_bytes(std::string& out, const std::array<std::uint8_t, N>& a) {
    out.append(reinterpret_cast<const char*>(a.data()), N);
}

template <std::size_t N>
std::array<std::uint8_t, N> get_bytes(const char* p) {
    std::array<std::uint8_t, N> a{};
    std::memcpy(a.data(), p, N);
    return a;
}

// ---- keys ----------------------------------------------------------------

std::string serial_key(std::uint64_t serial);
std::string id_key(const Bytes32& id);
inline std::string_view id_key_view(const Bytes32& id) {  // the same bytes, not copied
    return {reinterpret_cast<const char*>(id.data()), id.size()};
}
std::array<std::uint8_t, 8> sig_digest(const Bytes64& sig);
std::string event_ids_value(std::uint64_t serial, const Bytes64& sig);
inline constexpr std::size_t kEventIdsValueSize = 16;
std::string event_relay_key(std::uint64_t serial, std::string_view relay_url);
std::string relay_events_prefix(std::string_view relay_url);  // url · 0x00
std::string relay_event_key(std::string_view relay_url, std::int64_t seen_at, std::uint64_t serial);
std::string created_key(std::int64_t created_at, std::uint64_t serial);
std::string kind_key(std::uint16_t kind, std::int64_t created_at, std::uint64_t serial);
std::string pubkey_key(const Bytes32& pubkey, std::int64_t created_at, std::uint64_t serial);
std::string tag_key(char letter, std::string_view value, std::int64_t created_at, std::uint64_t serial);
std::string relay_metadata_prefix(std::string_view relay_url);  // url · 0x00
std::string relay_metadata_key(std::string_view relay_url, std::int64_t generated_at);

// The same keys (and event_ids value) appended to `out`: the writer builds
// many per event into one reused buffer instead of a new string each.
void append_event_ids_value(std::string& out, std::uint64_t serial, const Bytes64& sig);
void append_relay_event_key(std::string& out, std::string_view relay_url, std::int64_t seen_at, std::uint64_t serial);
void append_created_key(std::string& out, std::int64_t created_at, std::uint64_t serial);
void append_kind_key(std::string& out, std::uint16_t kind, std::int64_t created_at, std::uint64_t serial);
void append_pubkey_key(std::string& out, const Bytes32& pubkey, std::int64_t created_at, std::uint64_t serial);
void append_tag_key(std::string& out, char letter, std::string_view value, std::int64_t created_at,
                    std::uint64_t serial);

// The prefix of an index key that a query seeks to (everything before ~created_at).
std::string kind_prefix(std::uint16_t kind);
std::string pubkey_prefix(const Bytes32& pubkey);
std::string tag_prefix(char letter, std::string_view value);

// 8 bytes standing for a tag value in idx_tag: a 64-character lower-case hex
// value (event ids, pubkeys) contributes its first 8 decoded bytes, anything
// else a 64-bit hash. Collisions only cost a re-check, never a wrong answer.
std::array<std::uint8_t, 8> tag_hash(std::string_view value);

// Whether a tag is indexed: its first element is exactly one character and it
// has a value (the tags that PostgreSQL's tags_to_tagvalues() returns).
inline bool is_indexable_tag(const Tag& t) { return t.size() >= 2 && t[0].size() == 1; }

// The serial at the end of any index / relay_events key.
inline std::uint64_t trailing_serial(std::string_view key) {
    return get_be64(key.data() + key.size() - kSerialSize);
}
// The created_at stored just before the serial in an idx_* key.
inline std::int64_t index_created_at(std::string_view key) {
    return uninvert_time(get_be64(key.data() + key.size() - kSerialSize - 8));
}

// ---- counters ----------------------------------------------------------------

enum class Global : std::uint8_t {
    events = 0,       // count, min/max created_at
    links = 1,        // events_relays rows
    relays = 2,
    snapshots = 3,    // relay_metadata rows
    nip11 = 4,
    nip66 = 5,
    pubkeys = 6,      // distinct authors
    kinds = 7,        // distinct kinds
    regular = 8,
    replaceable = 9,
    ephemeral = 10,
    addressable = 11,
    service_states = 12,
};

inline constexpr int kHistogramLevels = 7;  // bucket widths 2^8 .. 2^56 seconds
inline int histogram_shift(int level) { return 8 * (level + 1); }

std::string global_counter_key(Global g);
std::string histogram_key(int level, std::uint64_t bucket);
std::string kind_counter_key(std::uint16_t kind);
std::string pubkey_counter_key(const Bytes32& pubkey);
std::string pubkey_kind_marker_key(const Bytes32& pubkey, std::uint16_t kind);
std::string relay_counter_key(std::string_view relay_url);
std::string relay_pubkey_counter_key(std::string_view relay_url, const Bytes32& pubkey);
std::string relay_pubkey_kind_marker_key(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind);
std::string relay_kind_counter_key(std::string_view relay_url, std::uint16_t kind);

// The kind class of the events_statistics view, or nullopt for kinds in none.
enum class KindClass : std::uint8_t { regular, replaceable, ephemeral, addressable, none };
KindClass kind_class(std::uint16_t kind);

}  // namespace brotr::storage
