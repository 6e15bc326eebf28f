// NIP-13 proof of work: difficulty counting and nonce mining.
#include <gtest/gtest.h>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"

namespace brotr {
namespace {

Bytes32 id_from_hex(const std::string& hex) { return *parse_hex_array<32>(hex); }

TEST(Pow, DifficultyCountsLeadingZeroBits) {
    // The example id of NIP-13.
    EXPECT_EQ(pow_difficulty(id_from_hex("000000000e9d97a1ab09fc381030b346cdd7a142ad57e6df0b46dc9bef6c7e2d")), 36);
    EXPECT_EQ(pow_difficulty(id_from_hex("8000000000000000000000000000000000000000000000000000000000000000")), 0);
    EXPECT_EQ(pow_difficulty(id_from_hex("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")), 1);
    EXPECT_EQ(pow_difficulty(id_from_hex("00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")), 8);
    EXPECT_EQ(pow_difficulty(id_from_hex("0001000000000000000000000000000000000000000000000000000000000000")), 15);
    EXPECT_EQ(pow_difficulty(id_from_hex("0000000000000000000000000000000000000000000000000000000000000001")), 255);
    EXPECT_EQ(pow_difficulty(Bytes32{}), 256);
}

Event sample_event(const SecretKey& secret) {
    Event e;
    e.pubkey = public_key(secret);
    e.created_at = 1700000000;
    e.kind = 1;
    e.tags = {{"t", "pow"}, {"nonce", "999", "4"}, {"e", std::string(64, 'b')}};
    e.content = "proof of work \"test\"\n";
    return e;
}

TEST(Pow, MinesTheTargetAndCommitsToIt) {
    const SecretKey secret = generate_secret_key();
    Event e = sample_event(secret);
    ASSERT_TRUE(mine_pow(e, 12));
    EXPECT_GE(pow_difficulty(e.id), 12);
    EXPECT_EQ(e.id, compute_event_id(e));
    // The old nonce tag is replaced, other tags keep their order, nonce is last.
    ASSERT_EQ(e.tags.size(), 3u);
    EXPECT_EQ(e.tags[0], (Tag{"t", "pow"}));
    EXPECT_EQ(e.tags[1], (Tag{"e", std::string(64, 'b')}));
    EXPECT_EQ(e.tags[2][0], "nonce");
    EXPECT_EQ(e.tags[2][2], "12");
    EXPECT_EQ(committed_pow_target(e), 12);

    // Signing keeps the mined id.
    const Bytes32 mined = e.id;
    sign_event(e, secret);
    EXPECT_EQ(e.id, mined);
    EXPECT_EQ(check_event(e), EventError::ok);
}

TEST(Pow, SignWithPow) {
    const SecretKey secret = generate_secret_key();
    Event e;
    e.kind = 1;
    e.content = std::string(5000, 'x');  // a long tail after the nonce
    ASSERT_TRUE(sign_event_with_pow(e, secret, 10));
    EXPECT_GE(pow_difficulty(e.id), 10);
    EXPECT_EQ(check_event(e), EventError::ok);
    EXPECT_EQ(committed_pow_target(e), 10);

    Event plain;
    ASSERT_TRUE(sign_event_with_pow(plain, secret, 0));
    EXPECT_TRUE(plain.tags.empty());
    EXPECT_EQ(check_event(plain), EventError::ok);
}

TEST(Pow, GivesUpWhenOutOfAttemptsOrCancelled) {
    const SecretKey secret = generate_secret_key();
    Event e = sample_event(secret);
    MineOptions limited;
    limited.max_attempts = 10;
    EXPECT_FALSE(mine_pow(e, 64, limited));
    EXPECT_FALSE(committed_pow_target(e).has_value());

    std::atomic<bool> cancel{true};
    MineOptions cancelled;
    cancelled.cancel = &cancel;
    EXPECT_FALSE(mine_pow(e, 64, cancelled));
    EXPECT_FALSE(sign_event_with_pow(e, secret, 64, cancelled));
}

TEST(Pow, RejectsImpossibleTargets) {
    Event e;
    EXPECT_THROW(mine_pow(e, -1), std::invalid_argument);
    EXPECT_THROW(mine_pow(e, 257), std::invalid_argument);
}

TEST(Pow, CommittedTargetNeedsANumericThirdElement) {
    Event e;
    e.tags = {{"nonce", "1"}};
    EXPECT_FALSE(committed_pow_target(e).has_value());
    e.tags = {{"nonce", "1", "x"}};
    EXPECT_FALSE(committed_pow_target(e).has_value());
    e.tags = {{"nonce", "1", "21"}};
    EXPECT_EQ(committed_pow_target(e), 21);
}

}  // namespace
}  // namespace brotr
