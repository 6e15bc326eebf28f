// A NIP-11 relay information document as the monitor stores it: the typing
// rules of docs/services.md (Monitor) applied to an untrusted HTTP body.
//   - the body must be a JSON object (PostgreSQL jsonb must accept it);
//   - name, description, banner, icon, pubkey, contact, software, version,
//     privacy_policy, terms_of_service: kept when strings, else NULL;
//   - supported_nips: kept when an array of integers and strings, else NULL;
//   - limitation: kept when an object, else NULL;
//   - every other top-level key goes into extra_fields (an object, {} when
//     there is none).
// A key given twice counts once, with its last value (as jsonb does).
#pragma once

#include <optional>
#include <vector>
#include <string>
#include <string_view>

#include "brotr/metadata.hpp"

namespace brotr::services {

struct Nip11Document {
    Nip11 fields;
    std::string canonical_json;  // the whole document as canonical jsonb text
};

struct Nip11ParseResult {
    std::optional<Nip11Document> document;
    std::string error;  // why there is none: not JSON, not an object, refused by jsonb
};

Nip11ParseResult parse_nip11_document(std::string_view body);

// limitation.min_pow_difficulty when it is an integer in 0..256 (NIP-13 bits);
// nullopt when absent, not an integer or out of range.
std::optional<int> min_pow_difficulty(const Nip11& doc);

// The integers of supported_nips (strings holding an integer count too), in
// document order, without duplicates.
std::vector<int> supported_nip_numbers(const Nip11& doc);

}  // namespace brotr::services
