// Ids and signatures: the fixture from nostr-tools checks out, and any
// change to what the signature covers is caught.
#include <gtest/gtest.h>

#include <thread>

#include "brotr/event.hpp"
#include "brotr/hex.hpp"
#include "test_event_fixtures.hpp"

namespace brotr {
namespace {

Event fixture_event() {
    auto parsed = parse_event(test::kNostrToolsEvent);
    EXPECT_EQ(parsed.error, EventError::ok);
    return *parsed.event;
}

TEST(EventCheck, FixtureFromAnotherImplementationVerifies) {
    const Event e = fixture_event();
    EXPECT_EQ(to_hex(compute_event_id(e)), "813be683d6cb8d95a96ace40c8c6eb8c97b87cfa63ee7dcfb82d6c5b59da3265");
    EXPECT_TRUE(verify_signature(e));
    EXPECT_EQ(check_event(e), EventError::ok);
}

TEST(EventCheck, ChangedContentIsAnIdMismatch) {
    Event e = fixture_event();
    e.content[0] = 'H';
    EXPECT_EQ(check_event(e), EventError::id_mismatch);
}

TEST(EventCheck, EveryCoveredFieldChangesTheId) {
    const Event original = fixture_event();
    std::vector<Event> changed(6, original);
    changed[0].pubkey[31] ^= 1;
    changed[1].created_at += 1;
    changed[2].kind = 2;
    changed[3].tags[1][1] = "Nostr";
    changed[4].tags.push_back({});
    changed[5].content += " ";
    for (const Event& e : changed) EXPECT_EQ(check_event(e), EventError::id_mismatch);
}

TEST(EventCheck, ChangedIdIsAMismatch) {
    Event e = fixture_event();
    e.id[0] ^= 0x80;
    EXPECT_EQ(check_event(e), EventError::id_mismatch);
}

TEST(EventCheck, ChangedSignatureIsInvalid) {
    for (std::size_t i : {0u, 31u, 32u, 63u}) {
        Event e = fixture_event();
        e.sig[i] ^= 0x01;
        EXPECT_FALSE(verify_signature(e)) << i;
        EXPECT_EQ(check_event(e), EventError::invalid_signature) << i;
    }
}

TEST(EventCheck, SignatureOverAnotherIdIsInvalid) {
    // Content changed and the id recomputed, but the old signature kept.
    Event e = fixture_event();
    e.content = "forged";
    e.id = compute_event_id(e);
    EXPECT_EQ(check_event(e), EventError::invalid_signature);
}

TEST(EventCheck, PubkeyNotOnTheCurveIsInvalidNotACrash) {
    Event e = fixture_event();
    e.pubkey.fill(0xff);  // x >= field prime: not a valid x-only key
    EXPECT_FALSE(verify_signature(e));
    e.pubkey.fill(0x00);
    EXPECT_FALSE(verify_signature(e));
    e.sig.fill(0xff);
    EXPECT_FALSE(verify_signature(e));
}

TEST(EventCheck, ThreadsShareTheVerifier) {
    const Event good = fixture_event();
    Event bad = good;
    bad.sig[5] ^= 4;
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) {
                if (check_event(good) != EventError::ok) ++wrong;
                if (check_event(bad) != EventError::invalid_signature) ++wrong;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace brotr
