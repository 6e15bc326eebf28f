// Whether an event is authentic: its id is the hash of its content and its
// signature was made by its pubkey over that id.
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>

#include "brotr/event.hpp"
#include "nostr/event_sha256.hpp"
#include "nostr/secp256k1_context.hpp"
#include "nostr/xonly_pubkey_cache.hpp"

namespace brotr {

Bytes32 compute_event_id(const Event& e) {
    // Reused per thread so that hashing an event does not allocate.
    thread_local std::string buffer;
    buffer.clear();
    append_canonical_serialization(e, buffer);
    return detail::sha256(buffer);
}

bool verify_signature(const Event& e) {
    const secp256k1_context* ctx = detail::secp256k1_shared_context();
    secp256k1_xonly_pubkey pubkey;
    if (!detail::parse_xonly_pubkey_cached(ctx, e.pubkey, pubkey)) return false;
    return secp256k1_schnorrsig_verify(ctx, e.sig.data(), e.id.data(), e.id.size(), &pubkey) == 1;
}

EventError check_event(const Event& e) {
    if (compute_event_id(e) != e.id) return EventError::id_mismatch;
    if (!verify_signature(e)) return EventError::invalid_signature;
    return EventError::ok;
}

}  // namespace brotr
