// Relay metadata snapshots: the NIP-11 document and the NIP-66 test results
// of one check, each content-addressed by the same SHA-256 that PostgreSQL's
// compute_nip11_hash / compute_nip66_hash return (docs/postgres.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "brotr/event.hpp"  // Bytes32

namespace brotr {

// JSON-valued fields hold the value's jsonb canonical text (what PostgreSQL's
// jsonb::text prints), so hashing and export need no re-parsing.
struct Nip11 {
    std::optional<std::string> name, description, banner, icon, pubkey, contact;
    std::optional<std::string> supported_nips;  // jsonb text of an array
    std::optional<std::string> software, version, privacy_policy, terms_of_service;
    std::optional<std::string> limitation;    // jsonb text of an object
    std::optional<std::string> extra_fields;  // jsonb text of an object
    bool operator==(const Nip11&) const = default;
};

struct Nip66 {
    bool openable = false, readable = false, writable = false;
    std::optional<std::int32_t> rtt_open, rtt_read, rtt_write;  // milliseconds
    bool operator==(const Nip66&) const = default;
};

struct RelayMetadata {
    std::string relay_url;  // normalized
    std::int64_t generated_at = 0;
    std::optional<Nip11> nip11;
    std::optional<Nip66> nip66;
};

// SHA-256 of jsonb_build_object('name', .., ..)::text, byte-identical to PostgreSQL.
// Throw brotr::JsonbError (a std::invalid_argument) for values PostgreSQL would
// refuse too: text that is not UTF-8 or holds a NUL byte, JSON fields that are
// not valid JSON. JSON fields may be in any formatting; they are canonicalised.
Bytes32 compute_nip11_id(const Nip11& doc);
Bytes32 compute_nip66_id(const Nip66& result);

}  // namespace brotr
