// Nostr keys: secp256k1 secret keys, x-only public keys (BIP-340), event
// signing, and NIP-13 proof of work.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string_view>

#include "brotr/event.hpp"

namespace brotr {

using SecretKey = Bytes32;

// A fresh random secret key (from the OS random generator).
SecretKey generate_secret_key();

// 64 lower-case hex characters encoding a valid secp256k1 secret key
// (non-zero, below the group order); nullopt otherwise.
std::optional<SecretKey> parse_secret_key(std::string_view hex);

// The x-only public key (the Nostr pubkey) of a valid secret key.
Bytes32 public_key(const SecretKey& secret);
std::optional<Bytes32> public_key_from_secret_hex(std::string_view secret_hex);

// Fills pubkey, id and sig of `event` from its other fields: BIP-340
// Schnorr with fresh auxiliary randomness. Throws std::invalid_argument for
// an invalid secret key.
void sign_event(Event& event, const SecretKey& secret);

// ---- NIP-13 proof of work --------------------------------------------------

// Number of leading zero bits of an event id (0..256).
int pow_difficulty(const Bytes32& id);

// The difficulty an event commits to in its ["nonce", <n>, <target>] tag, or
// nullopt when it has no such tag with a numeric target.
std::optional<int> committed_pow_target(const Event& event);

struct MineOptions {
    std::uint64_t max_attempts = UINT64_MAX;        // give up after this many ids
    const std::atomic<bool>* cancel = nullptr;      // checked now and then; true stops mining
};

// Mines a NIP-13 nonce: replaces any "nonce" tag of `event` with
// ["nonce", <n>, <target>] (last tag) and searches n until the id has at
// least `target_difficulty` leading zero bits. The pubkey must be set (it is
// hashed); created_at, kind, other tags and content are kept. On success
// event.id is the mined id and the function returns true; sign the event
// afterwards (signing keeps the id). False when cancelled or out of attempts.
bool mine_pow(Event& event, int target_difficulty, const MineOptions& options = {});

// Sets the pubkey from the secret key, mines to `target_difficulty` (0 skips
// mining) and signs. False when mining gave up (see MineOptions).
bool sign_event_with_pow(Event& event, const SecretKey& secret, int target_difficulty,
                         const MineOptions& options = {});

}  // namespace brotr
