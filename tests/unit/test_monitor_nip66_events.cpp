// The NIP-66 events the monitor publishes: kind 30166 per relay, kind 10166 per cycle.
#include <gtest/gtest.h>

#include <algorithm>

#include "services/nip66_probe.hpp"
#include "services/nip66_publish.hpp"

namespace brotr::services {
namespace {

std::vector<Tag> tags_named(const Event& e, const std::string& name) {
    std::vector<Tag> out;
    for (const Tag& t : e.tags)
        if (!t.empty() && t[0] == name) out.push_back(t);
    return out;
}

RelayUrl url(const std::string& text) { return *RelayUrl::parse(text); }

TEST(Nip66Events, DiscoveryEventCarriesMeasurementsAndDocument) {
    Nip11ParseResult parsed = parse_nip11_document(
        R"({"name":"r","software":"strfry","supported_nips":[1,"11",42,"x"],
            "limitation":{"auth_required":true,"payment_required":false,"restricted_writes":"yes","min_pow_difficulty":8}})");
    ASSERT_TRUE(parsed.document);
    Nip66 nip66{true, true, false, 12, 7, std::nullopt};
    Event e = make_relay_discovery_event(url("wss://Relay.Example/"), nip66, &*parsed.document, 1700000000);
    EXPECT_EQ(e.kind, 30166);
    EXPECT_EQ(e.created_at, 1700000000);
    ASSERT_FALSE(e.tags.empty());
    EXPECT_EQ(e.tags[0], (Tag{"d", "wss://relay.example"}));
    EXPECT_EQ(tags_named(e, "n"), (std::vector<Tag>{{"n", "clearnet"}}));
    EXPECT_EQ(tags_named(e, "rtt-open"), (std::vector<Tag>{{"rtt-open", "12"}}));
    EXPECT_EQ(tags_named(e, "rtt-read"), (std::vector<Tag>{{"rtt-read", "7"}}));
    EXPECT_TRUE(tags_named(e, "rtt-write").empty());
    EXPECT_EQ(tags_named(e, "N"), (std::vector<Tag>{{"N", "1"}, {"N", "11"}, {"N", "42"}}));
    // Only boolean flags become requirements; the pow requirement comes from the difficulty.
    EXPECT_EQ(tags_named(e, "R"), (std::vector<Tag>{{"R", "auth"}, {"R", "!payment"}, {"R", "pow"}}));
    EXPECT_EQ(e.content, parsed.document->canonical_json);
}

TEST(Nip66Events, DiscoveryEventWithoutDocument) {
    const std::string onion = "ws://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    Event e = make_relay_discovery_event(url(onion), Nip66{true, false, false, 300, std::nullopt, std::nullopt},
                                         nullptr, 5);
    EXPECT_EQ(tags_named(e, "n"), (std::vector<Tag>{{"n", "tor"}}));
    EXPECT_TRUE(tags_named(e, "N").empty());
    EXPECT_TRUE(tags_named(e, "R").empty());
    EXPECT_TRUE(e.content.empty());
}

TEST(Nip66Events, SignedDiscoveryEventVerifies) {
    SecretKey secret = generate_secret_key();
    Event e = make_relay_discovery_event(url("wss://relay.example"), Nip66{true, true, true, 1, 2, 3}, nullptr, 10);
    sign_event(e, secret);
    EXPECT_EQ(check_event(e), EventError::ok);
    EXPECT_EQ(e.pubkey, public_key(secret));
}

TEST(Nip66Events, MonitorAnnouncement) {
    Event with_write = make_monitor_announcement({3600, 30000, true}, 99);
    EXPECT_EQ(with_write.kind, 10166);
    EXPECT_EQ(tags_named(with_write, "frequency"), (std::vector<Tag>{{"frequency", "3600"}}));
    EXPECT_EQ(tags_named(with_write, "c"),
              (std::vector<Tag>{{"c", "open"}, {"c", "read"}, {"c", "write"}, {"c", "nip11"}}));
    auto timeouts = tags_named(with_write, "timeout");
    ASSERT_EQ(timeouts.size(), 4u);
    EXPECT_EQ(timeouts[0], (Tag{"timeout", "30000", "open"}));

    Event without_write = make_monitor_announcement({900, 5000, false}, 99);
    auto checks = tags_named(without_write, "c");
    EXPECT_TRUE(std::none_of(checks.begin(), checks.end(), [](const Tag& t) { return t[1] == "write"; }));
}

TEST(Nip66Events, WriteTestEvent) {
    Event e = make_write_test_event(url("WSS://relay.example:443/path/"), 1234);
    EXPECT_EQ(e.kind, 30166);
    EXPECT_EQ(e.tags, (Tags{{"d", "wss://relay.example/path/"}}));
    EXPECT_EQ(e.content, "{}");
    EXPECT_EQ(e.created_at, 1234);
}

TEST(Nip66Events, RoundTripTimesRoundUp) {
    using std::chrono::microseconds;
    EXPECT_EQ(rtt_milliseconds(microseconds(0)), 1);
    EXPECT_EQ(rtt_milliseconds(microseconds(1)), 1);
    EXPECT_EQ(rtt_milliseconds(microseconds(1000)), 1);
    EXPECT_EQ(rtt_milliseconds(microseconds(1001)), 2);
    EXPECT_EQ(rtt_milliseconds(microseconds(-5)), 1);
    EXPECT_EQ(rtt_milliseconds(microseconds(INT64_MAX / 2)), INT32_MAX);
}

}  // namespace
}  // namespace brotr::services

namespace brotr::services {
namespace {

TEST(MiningCancellation, StopAllSetsEveryRegisteredFlagAndLaterOnes) {
    MiningCancellation cancellation;
    auto running = std::make_shared<std::atomic<bool>>(false);
    auto finished = std::make_shared<std::atomic<bool>>(false);
    cancellation.add(running);
    cancellation.add(finished);
    finished.reset();  // a search that ended: its flag is gone
    EXPECT_FALSE(running->load());
    cancellation.stop_all();
    EXPECT_TRUE(running->load());
    auto late = std::make_shared<std::atomic<bool>>(false);
    cancellation.add(late);
    EXPECT_TRUE(late->load());
}

}  // namespace
}  // namespace brotr::services
