// Parsed x-only public keys of recent authors, per thread. Parsing a key
// (a square root on the curve) costs about an eighth of a signature check,
// and an archive sees the same authors over and over.
#pragma once

#include <cstddef>

#include <secp256k1_extrakeys.h>

#include "brotr/event.hpp"

namespace brotr::detail {

// Direct-mapped: a key has one slot, its first 8 bytes (read as an integer
// in memory order) modulo this. 4096 slots are 384 KiB per verifying thread.
inline constexpr std::size_t kXonlyPubkeyCacheSlots = 4096;

// secp256k1_xonly_pubkey_parse(), answered from this thread's cache when the
// key was parsed recently. False when the bytes are not a valid x-only key
// (such keys are never cached).
bool parse_xonly_pubkey_cached(const secp256k1_context* ctx, const Bytes32& key, secp256k1_xonly_pubkey& out);

}  // namespace brotr::detail
