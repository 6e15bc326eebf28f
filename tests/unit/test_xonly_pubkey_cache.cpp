// Verification with parsed keys kept per thread: a cached key gives the same
// answers as a fresh parse, for good and bad signatures, for invalid keys
// (never cached) and for keys that share a cache slot.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <map>
#include <thread>
#include <vector>

#include <secp256k1_extrakeys.h>

#include "brotr/event.hpp"
#include "nostr/secp256k1_context.hpp"
#include "nostr/xonly_pubkey_cache.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

Bytes32 serialized(const secp256k1_xonly_pubkey& key) {
    Bytes32 out{};
    EXPECT_EQ(secp256k1_xonly_pubkey_serialize(detail::secp256k1_shared_context(), out.data(), &key), 1);
    return out;
}

TEST(XonlyPubkeyCache, ACachedKeyIsTheKeyParsed) {
    test::EventGenerator gen(3, 20);
    const auto* ctx = detail::secp256k1_shared_context();
    for (int round = 0; round < 2; ++round) {  // the second round is answered from the cache
        for (const Bytes32& key : gen.pubkeys()) {
            secp256k1_xonly_pubkey parsed;
            ASSERT_TRUE(detail::parse_xonly_pubkey_cached(ctx, key, parsed));
            EXPECT_EQ(serialized(parsed), key);
        }
    }
}

TEST(XonlyPubkeyCache, BadSignaturesOfAKnownAuthorStillFail) {
    test::EventGenerator gen(4, 1);
    const auto events = gen.batch(20);
    for (const Event& e : events) ASSERT_TRUE(verify_signature(e));
    for (Event e : events) {
        e.sig[10] ^= 0x01;
        EXPECT_FALSE(verify_signature(e));
        EXPECT_EQ(check_event(e), EventError::invalid_signature);
    }
}

TEST(XonlyPubkeyCache, InvalidKeysAreRefusedEveryTime) {
    Event e = test::EventGenerator(5, 1).next();
    e.pubkey.fill(0xff);  // above the field prime: not a point
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(verify_signature(e));
    secp256k1_xonly_pubkey parsed;
    EXPECT_FALSE(detail::parse_xonly_pubkey_cached(detail::secp256k1_shared_context(), e.pubkey, parsed));
}

TEST(XonlyPubkeyCache, KeysSharingASlotDoNotMixUp) {
    // Two authors whose keys fall into the same slot.
    test::EventGenerator gen(6, 2000);
    std::map<std::uint64_t, std::size_t> by_slot;
    std::size_t a = 0, b = 0;
    bool found = false;
    for (std::size_t i = 0; i < gen.pubkeys().size() && !found; ++i) {
        std::uint64_t h;
        std::memcpy(&h, gen.pubkeys()[i].data(), sizeof h);
        auto [it, fresh] = by_slot.emplace(h % detail::kXonlyPubkeyCacheSlots, i);
        if (!fresh) {
            a = it->second;
            b = i;
            found = true;
        }
    }
    ASSERT_TRUE(found) << "no two of 2000 keys share a slot";
    const Event from_a = gen.make(1, "a", {}, 1'700'000'000, a);
    const Event from_b = gen.make(1, "b", {}, 1'700'000'000, b);
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(verify_signature(from_a));
        EXPECT_TRUE(verify_signature(from_b));
        Event claims_a = from_b;
        claims_a.pubkey = from_a.pubkey;  // b's signature under a's key
        EXPECT_FALSE(verify_signature(claims_a));
    }
}

TEST(XonlyPubkeyCache, EveryThreadHasItsOwn) {
    test::EventGenerator gen(7, 50);
    const auto events = gen.batch(400);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int round = 0; round < 3; ++round)
                for (const Event& e : events)
                    if (!verify_signature(e)) ++failures;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace brotr
