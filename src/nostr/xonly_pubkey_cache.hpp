// Parsed x-only public keys of recent authors, per thread. Parsing a key
// (a square root on the curve) costs about an eighth of a signature check,
// and an archive sees the same authors over and over.
#pragma once

#include <cstddef>

#include <secp256k1_extrakeys.h>

#include "brotr/event.hpp"

namespace brotr::detail {

// Direct-mapped: a key has one slot, its first 8 bytes (read as an integer
// in memory order) modulo this. 16384 slots are about 1.5 MiB per verifying
// thread. Simulated on the 100k-event benchmark file (7,959 authors, the top
// 100 writing 23% of the events), two importing threads hit 67.6% with 4096
// slots, 79.7% with 16384, 82.2% with 32768.
inline constexpr std::size_t kXonlyPubkeyCacheSlots = 16384;

// secp256k1_xonly_pubkey_parse(), answered from this thread's cache when the
// key was parsed recently. False when the bytes are not a valid x-only key
// (such keys are never cached).
bool parse_xonly_pubkey_cached(const secp256k1_context* ctx, const Bytes32& key, secp256k1_xonly_pubkey& out);

}  // namespace brotr::detail
