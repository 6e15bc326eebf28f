#include "nostr/xonly_pubkey_cache.hpp"

#include <cstdint>
#include <cstring>
#include <memory>

namespace brotr::detail {

namespace {

// Keys are uniformly distributed, so their first bytes pick slots evenly.
// The slots are allocated on a thread's first check. A key crafted to evict
// another only costs that other key a parse.
constexpr std::size_t kSlots = kXonlyPubkeyCacheSlots;

struct Slot {
    Bytes32 key{};
    secp256k1_xonly_pubkey parsed{};  // libsecp256k1 allows copying it
    bool used = false;
};

Slot& slot_for(const Bytes32& key) {
    thread_local std::unique_ptr<Slot[]> slots;
    if (!slots) slots = std::make_unique<Slot[]>(kSlots);
    std::uint64_t h;
    std::memcpy(&h, key.data(), sizeof h);
    return slots[h % kSlots];
}

}  // namespace

bool parse_xonly_pubkey_cached(const secp256k1_context* ctx, const Bytes32& key, secp256k1_xonly_pubkey& out) {
    Slot& slot = slot_for(key);
    if (slot.used && slot.key == key) {
        out = slot.parsed;
        return true;
    }
    if (secp256k1_xonly_pubkey_parse(ctx, &out, key.data()) != 1) return false;
    slot.key = key;
    slot.parsed = out;
    slot.used = true;
    return true;
}

}  // namespace brotr::detail
