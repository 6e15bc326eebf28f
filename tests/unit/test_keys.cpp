// Secret keys, public keys and signing.
#include <gtest/gtest.h>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"

namespace brotr {
namespace {

TEST(Keys, Bip340PublicKeyVectors) {
    // Test vectors 0 and 1 of BIP-340.
    EXPECT_EQ(to_hex(*public_key_from_secret_hex(
                  "0000000000000000000000000000000000000000000000000000000000000003")),
              "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    EXPECT_EQ(to_hex(*public_key_from_secret_hex(
                  "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef")),
              "dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659");
}

TEST(Keys, RejectsInvalidSecretKeys) {
    for (const std::string& hex : std::vector<std::string>{
             "0000000000000000000000000000000000000000000000000000000000000000",  // zero
             "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",  // the group order
             "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // above it
             "B7E151628AED2A6ABF7158809CF4F3C762E7160F38B4DA56A784D9045190CFEF",  // upper case
             "b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfe",   // 63 characters
             "",
             "nsec1notahexkey"}) {
        EXPECT_FALSE(parse_secret_key(hex).has_value()) << hex;
        EXPECT_FALSE(public_key_from_secret_hex(hex).has_value()) << hex;
    }
    EXPECT_TRUE(parse_secret_key("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140").has_value());
}

TEST(Keys, GeneratedKeysAreValidAndDistinct) {
    const SecretKey a = generate_secret_key();
    const SecretKey b = generate_secret_key();
    EXPECT_NE(a, b);
    EXPECT_TRUE(parse_secret_key(to_hex(a)).has_value());
    EXPECT_EQ(*public_key_from_secret_hex(to_hex(a)), public_key(a));
}

TEST(Keys, SignedEventsVerify) {
    const SecretKey secret = generate_secret_key();
    Event e;
    e.created_at = 1700000000;
    e.kind = 1;
    e.tags = {{"t", "test"}, {"p", std::string(64, 'a')}};
    e.content = "signed by brotr \"quoted\" \n 🚀";
    sign_event(e, secret);
    EXPECT_EQ(e.pubkey, public_key(secret));
    EXPECT_EQ(e.id, compute_event_id(e));
    EXPECT_EQ(check_event(e), EventError::ok);

    // Fresh auxiliary randomness: the same event signs differently, both valid.
    Event again = e;
    sign_event(again, secret);
    EXPECT_EQ(again.id, e.id);
    EXPECT_NE(again.sig, e.sig);
    EXPECT_EQ(check_event(again), EventError::ok);

    const auto parsed = parse_event(to_json(e));
    ASSERT_EQ(parsed.error, EventError::ok);
    EXPECT_EQ(check_event(*parsed.event), EventError::ok);
}

TEST(Keys, SignatureIsBoundToTheKey) {
    Event e;
    e.content = "x";
    sign_event(e, generate_secret_key());
    e.pubkey = public_key(generate_secret_key());
    e.id = compute_event_id(e);
    EXPECT_EQ(check_event(e), EventError::invalid_signature);
}

TEST(Keys, SigningWithAnInvalidKeyThrows) {
    Event e;
    SecretKey zero{};
    EXPECT_THROW(sign_event(e, zero), std::invalid_argument);
    EXPECT_THROW(public_key(zero), std::invalid_argument);
}

}  // namespace
}  // namespace brotr
