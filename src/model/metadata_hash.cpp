// NIP-11 / NIP-66 ids: SHA-256 of jsonb_build_object(<column>, <value>, ...)::text,
// the same bytes PostgreSQL's compute_nip11_hash / compute_nip66_hash digest.
#include <openssl/sha.h>

#include <optional>
#include <string>

#include "brotr/metadata.hpp"
#include "model/jsonb_text.hpp"
#include "model/metadata_hash.hpp"

namespace brotr {
namespace {

Bytes32 sha256(const std::string& text) {
    Bytes32 out{};
    SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
    return out;
}

void add_text(JsonbObjectBuilder& object, std::string key, const std::optional<std::string>& value) {
    if (value)
        object.add_string(std::move(key), *value);
    else
        object.add_null(std::move(key));
}

// JSONB arguments: re-printed canonically so that an id never depends on how
// the caller happened to format the JSON (PostgreSQL parses it the same way).
void add_jsonb(JsonbObjectBuilder& object, std::string key, const std::optional<std::string>& value) {
    if (value)
        object.add_raw(std::move(key), to_jsonb_text(*value));
    else
        object.add_null(std::move(key));
}

void add_integer(JsonbObjectBuilder& object, std::string key, const std::optional<std::int32_t>& value) {
    if (value)
        object.add_integer(std::move(key), *value);
    else
        object.add_null(std::move(key));
}

}  // namespace

std::string nip11_hash_text(const Nip11& doc) {
    JsonbObjectBuilder object;
    add_text(object, "name", doc.name);
    add_text(object, "description", doc.description);
    add_text(object, "banner", doc.banner);
    add_text(object, "icon", doc.icon);
    add_text(object, "pubkey", doc.pubkey);
    add_text(object, "contact", doc.contact);
    add_jsonb(object, "supported_nips", doc.supported_nips);
    add_text(object, "software", doc.software);
    add_text(object, "version", doc.version);
    add_text(object, "privacy_policy", doc.privacy_policy);
    add_text(object, "terms_of_service", doc.terms_of_service);
    add_jsonb(object, "limitation", doc.limitation);
    add_jsonb(object, "extra_fields", doc.extra_fields);
    return std::move(object).finish();
}

std::string nip66_hash_text(const Nip66& result) {
    JsonbObjectBuilder object;
    object.add_bool("openable", result.openable);
    object.add_bool("readable", result.readable);
    object.add_bool("writable", result.writable);
    add_integer(object, "rtt_open", result.rtt_open);
    add_integer(object, "rtt_read", result.rtt_read);
    add_integer(object, "rtt_write", result.rtt_write);
    return std::move(object).finish();
}

Bytes32 compute_nip11_id(const Nip11& doc) { return sha256(nip11_hash_text(doc)); }

Bytes32 compute_nip66_id(const Nip66& result) { return sha256(nip66_hash_text(result)); }

}  // namespace brotr
