#include "storage/key_layout.hpp"

#include <algorithm>

#include "brotr/hex.hpp"
#include "nostr/event_sha256.hpp"

namespace brotr::storage {

std::string_view cf_name(Cf cf) {
    switch (cf) {
        case Cf::meta: return "meta";
        case Cf::event_ids: return "event_ids";
        case Cf::events: return "events";
        case Cf::event_relays: return "event_relays";
        case Cf::relay_events: return "relay_events";
        case Cf::idx_created: return "idx_created";
        case Cf::idx_kind: return "idx_kind";
        case Cf::idx_pubkey: return "idx_pubkey";
        case Cf::idx_tag: return "idx_tag";
        case Cf::relays: return "relays";
        case Cf::nip11: return "nip11";
        case Cf::nip66: return "nip66";
        case Cf::relay_metadata: return "relay_metadata";
        case Cf::service_state: return "service_state";
        case Cf::counters: return "counters";
        case Cf::changelog: return "changelog";
    }
    return "?";
}

std::string serial_key(std::uint64_t serial) {
    std::string k;
    put_be64(k, serial);
    return k;
}

std::string id_key(const Bytes32& id) {
    std::string k;
    put_bytes(k, id);
    return k;
}

std::array<std::uint8_t, 8> sig_digest(const Bytes64& sig) {
    const Bytes32 full = detail::sha256(std::string_view(reinterpret_cast<const char*>(sig.data()), sig.size()));
    std::array<std::uint8_t, 8> out{};
    std::memcpy(out.data(), full.data(), out.size());
    return out;
}

void append_event_ids_value(std::string& out, std::uint64_t serial, const Bytes64& sig) {
    put_be64(out, serial);
    put_bytes(out, sig_digest(sig));
}

std::string event_ids_value(std::uint64_t serial, const Bytes64& sig) {
    std::string v;
    append_event_ids_value(v, serial, sig);
    return v;
}

std::string event_relay_key(std::uint64_t serial, std::string_view relay_url) {
    std::string k;
    k.reserve(8 + relay_url.size());
    put_be64(k, serial);
    k.append(relay_url);
    return k;
}

std::string relay_events_prefix(std::string_view relay_url) {
    std::string k(relay_url);
    k.push_back(kUrlTerminator);
    return k;
}

void append_relay_event_key(std::string& out, std::string_view relay_url, std::int64_t seen_at, std::uint64_t serial) {
    out.append(relay_url);
    out.push_back(kUrlTerminator);
    put_be64(out, static_cast<std::uint64_t>(seen_at));
    put_be64(out, serial);
}

std::string relay_event_key(std::string_view relay_url, std::int64_t seen_at, std::uint64_t serial) {
    std::string k;
    append_relay_event_key(k, relay_url, seen_at, serial);
    return k;
}

void append_created_key(std::string& out, std::int64_t created_at, std::uint64_t serial) {
    put_be64(out, invert_time(created_at));
    put_be64(out, serial);
}

std::string created_key(std::int64_t created_at, std::uint64_t serial) {
    std::string k;
    append_created_key(k, created_at, serial);
    return k;
}

std::string kind_prefix(std::uint16_t kind) {
    std::string k;
    put_be16(k, kind);
    return k;
}

void append_kind_key(std::string& out, std::uint16_t kind, std::int64_t created_at, std::uint64_t serial) {
    put_be16(out, kind);
    append_created_key(out, created_at, serial);
}

std::string kind_key(std::uint16_t kind, std::int64_t created_at, std::uint64_t serial) {
    std::string k;
    append_kind_key(k, kind, created_at, serial);
    return k;
}

std::string pubkey_prefix(const Bytes32& pubkey) {
    return std::string(reinterpret_cast<const char*>(pubkey.data()), kPubkeyPrefixSize);
}

void append_pubkey_key(std::string& out, const Bytes32& pubkey, std::int64_t created_at, std::uint64_t serial) {
    out.append(reinterpret_cast<const char*>(pubkey.data()), kPubkeyPrefixSize);
    append_created_key(out, created_at, serial);
}

std::string pubkey_key(const Bytes32& pubkey, std::int64_t created_at, std::uint64_t serial) {
    std::string k;
    append_pubkey_key(k, pubkey, created_at, serial);
    return k;
}

std::array<std::uint8_t, 8> tag_hash(std::string_view value) {
    std::array<std::uint8_t, 8> out{};
    // Only a full 64-character lower-case hex value takes this path, so
    // "abcd" and a hex id never share a scheme by accident of length.
    if (std::array<std::uint8_t, 32> bytes; value.size() == 64 && from_hex_lower(value, bytes)) {
        std::copy_n(bytes.begin(), out.size(), out.begin());
        return out;
    }
    // FNV-1a, then a 64-bit finalizer so that short values spread over all bytes.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : value) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    for (int i = 7; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h & 0xff);
        h >>= 8;
    }
    return out;
}

std::string tag_prefix(char letter, std::string_view value) {
    std::string k(1, letter);
    put_bytes(k, tag_hash(value));
    return k;
}

void append_tag_key(std::string& out, char letter, std::string_view value, std::int64_t created_at,
                    std::uint64_t serial) {
    out.push_back(letter);
    put_bytes(out, tag_hash(value));
    append_created_key(out, created_at, serial);
}

std::string tag_key(char letter, std::string_view value, std::int64_t created_at, std::uint64_t serial) {
    std::string k;
    append_tag_key(k, letter, value, created_at, serial);
    return k;
}

std::string relay_metadata_prefix(std::string_view relay_url) { return relay_events_prefix(relay_url); }

std::string relay_metadata_key(std::string_view relay_url, std::int64_t generated_at) {
    std::string k = relay_metadata_prefix(relay_url);
    put_be64(k, static_cast<std::uint64_t>(generated_at));
    return k;
}

std::string global_counter_key(Global g) {
    return std::string{'g', static_cast<char>(g)};
}

std::string histogram_key(int level, std::uint64_t bucket) {
    std::string k{'h', static_cast<char>(level)};
    put_be64(k, bucket);
    return k;
}

std::string kind_counter_key(std::uint16_t kind) {
    std::string k{'k'};
    put_be16(k, kind);
    return k;
}

std::string pubkey_counter_key(const Bytes32& pubkey) {
    std::string k{'p'};
    put_bytes(k, pubkey);
    return k;
}

std::string pubkey_kind_marker_key(const Bytes32& pubkey, std::uint16_t kind) {
    std::string k{'q'};
    put_bytes(k, pubkey);
    put_be16(k, kind);
    return k;
}

static std::string relay_counter_base(char letter, std::string_view relay_url) {
    std::string k(1, letter);
    k.append(relay_url);
    k.push_back(kUrlTerminator);
    return k;
}

std::string relay_counter_key(std::string_view relay_url) { return relay_counter_base('r', relay_url); }

std::string relay_pubkey_counter_key(std::string_view relay_url, const Bytes32& pubkey) {
    std::string k = relay_counter_base('s', relay_url);
    put_bytes(k, pubkey);
    return k;
}

std::string relay_pubkey_kind_marker_key(std::string_view relay_url, const Bytes32& pubkey, std::uint16_t kind) {
    std::string k = relay_counter_base('t', relay_url);
    put_bytes(k, pubkey);
    put_be16(k, kind);
    return k;
}

std::string relay_kind_counter_key(std::string_view relay_url, std::uint16_t kind) {
    std::string k = relay_counter_base('u', relay_url);
    put_be16(k, kind);
    return k;
}

KindClass kind_class(std::uint16_t kind) {
    if (kind == 1 || kind == 2 || (kind >= 4 && kind <= 44) || (kind >= 1000 && kind <= 9999))
        return KindClass::regular;
    if (kind == 0 || kind == 3 || (kind >= 10000 && kind <= 19999)) return KindClass::replaceable;
    if (kind >= 20000 && kind <= 29999) return KindClass::ephemeral;
    if (kind >= 30000 && kind <= 39999) return KindClass::addressable;
    return KindClass::none;
}

}  // namespace brotr::storage
