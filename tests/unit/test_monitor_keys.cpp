// The monitor's key check at start-up: MONITOR_PRIVATE_KEY against
// keys.public_key, with messages that never show the secret key.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "services/monitor_keys.hpp"

namespace brotr::services {
namespace {

struct KeyPair {
    std::string secret_hex;
    std::string public_hex;
};

KeyPair fresh_pair() {
    SecretKey secret = generate_secret_key();
    return {to_hex(secret), to_hex(public_key(secret))};
}

std::string error_of(std::string_view configured, const std::optional<std::string>& env) {
    try {
        load_monitor_keys(configured, env);
    } catch (const MonitorKeyError& e) {
        return e.what();
    }
    return {};
}

TEST(MonitorKeys, NoKeysMeansNoWriteTest) {
    MonitorKeys keys = load_monitor_keys("", std::nullopt);
    EXPECT_FALSE(keys.secret);
    EXPECT_NE(keys.note.find("skipped"), std::string::npos);
    EXPECT_FALSE(load_monitor_keys("", std::string()).secret);  // set but empty counts as unset
}

TEST(MonitorKeys, PublicKeyWithoutSecretSkipsTheWriteTest) {
    MonitorKeys keys = load_monitor_keys(fresh_pair().public_hex, std::nullopt);
    EXPECT_FALSE(keys.secret);
    EXPECT_NE(keys.note.find("MONITOR_PRIVATE_KEY"), std::string::npos);
}

TEST(MonitorKeys, MatchingPairIsLoaded) {
    KeyPair pair = fresh_pair();
    MonitorKeys keys = load_monitor_keys(pair.public_hex, pair.secret_hex);
    ASSERT_TRUE(keys.secret);
    EXPECT_EQ(to_hex(*keys.secret), pair.secret_hex);
    EXPECT_EQ(to_hex(keys.public_key), pair.public_hex);
}

TEST(MonitorKeys, SurroundingBlanksAndUpperCaseAreAccepted) {
    KeyPair pair = fresh_pair();
    std::string upper = pair.secret_hex;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(load_monitor_keys(pair.public_hex, " " + upper + "\n").secret);
}

TEST(MonitorKeys, MismatchStopsStartUpWithoutShowingTheSecret) {
    KeyPair configured = fresh_pair();
    KeyPair actual = fresh_pair();
    std::string message = error_of(configured.public_hex, actual.secret_hex);
    ASSERT_FALSE(message.empty());
    EXPECT_NE(message.find("does not match"), std::string::npos);
    EXPECT_NE(message.find(configured.public_hex), std::string::npos);
    EXPECT_NE(message.find(actual.public_hex), std::string::npos);
    EXPECT_EQ(message.find(actual.secret_hex), std::string::npos);
}

TEST(MonitorKeys, SecretWithoutPublicKeyIsAnError) {
    KeyPair pair = fresh_pair();
    std::string message = error_of("", pair.secret_hex);
    ASSERT_FALSE(message.empty());
    EXPECT_NE(message.find("keys.public_key"), std::string::npos);
    EXPECT_EQ(message.find(pair.secret_hex), std::string::npos);
}

TEST(MonitorKeys, InvalidSecretsAreRefusedWithoutEcho) {
    const std::string zero(64, '0');
    const std::string order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";  // the group order
    const std::string short_key = "abcdef0123";
    const std::string not_hex = "zz" + std::string(62, '1');
    const std::string nsec = "nsec1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq";
    for (const std::string& bad : {zero, order, short_key, not_hex, nsec}) {
        std::string message = error_of(fresh_pair().public_hex, bad);
        ASSERT_FALSE(message.empty()) << bad;
        EXPECT_NE(message.find("not a valid secret key"), std::string::npos);
        EXPECT_EQ(message.find(bad), std::string::npos);
    }
}

}  // namespace
}  // namespace brotr::services
