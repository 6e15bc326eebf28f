// The synchronizer against in-process relays that misbehave the ways real
// relays do not on their own: forged events, events outside the window,
// floods past the limit, garbage, contradictions, dropped connections, stalls.
#include <algorithm>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"
#include "support/relay_peer.hpp"
#include "test_sync_support.hpp"

using namespace brotr;
using namespace std::chrono_literals;
namespace test = brotr::test;

namespace {

constexpr std::int64_t kStart = 1'700'000'000;

std::size_t stored_of(Store& store, const std::vector<Event>& events) {
    std::size_t n = 0;
    for (const auto& e : events)
        if (store.get_event(e.id)) ++n;
    return n;
}

}  // namespace

TEST(SyncFaults, ForgedSignaturesAndWrongIdsAreCountedAndDropped) {
    auto good = test::signed_events(300, kStart, 5);
    auto bad_sig = test::signed_events(20, kStart + 1000, 1, 2);
    for (auto& e : bad_sig) e.sig[10] ^= 0x01;
    auto wrong_id = test::signed_events(15, kStart + 2000, 1, 3);
    for (auto& e : wrong_id) e.content += " (edited after signing)";  // id no longer matches
    std::vector<Event> all = good;
    all.insert(all.end(), bad_sig.begin(), bad_sig.end());
    all.insert(all.end(), wrong_id.begin(), wrong_id.end());
    test::ScriptedRelay relay({.events = all, .cap = 1000});

    test::SyncHarness h(test::sync_config({relay.url()}, 100));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("synced_events"), good.size()) << cycle.text();
    EXPECT_EQ(cycle.number("invalid_invalid_signature"), bad_sig.size()) << cycle.text();
    EXPECT_EQ(cycle.number("invalid_id_mismatch"), wrong_id.size()) << cycle.text();
    EXPECT_EQ(stored_of(h.store(), good), good.size());
    EXPECT_EQ(stored_of(h.store(), bad_sig), 0u);
    EXPECT_EQ(stored_of(h.store(), wrong_id), 0u);
}

TEST(SyncFaults, EventsOutsideTheWindowAreCountedAndNotStored) {
    auto inside = test::signed_events(120, kStart, 4);
    auto outside = test::signed_events(10, kStart - 500, 1, 4);
    test::ScriptedRelay relay({.events = inside, .cap = 1000,
                               .tamper = [&](const std::string& sub, std::int64_t, std::int64_t, std::size_t,
                                             std::vector<std::string>& frames) {
                                   // Events older than the window ask for: a relay ignoring `since`.
                                   for (const auto& e : outside) frames.push_back(test::event_frame(sub, e));
                               }});
    test::SyncHarness h(test::sync_config({relay.url()}, 500));
    // Window from the saved timestamp: starts after the outside events.
    h.store().put_service_state("synchronizer",
                                R"({"relay_timestamps":{")" + relay.url() + R"(":)" + std::to_string(kStart - 1) + "}}",
                                1);
    h.reconfigure(test::sync_config({relay.url()}, 500));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_events"), inside.size()) << cycle.text();
    EXPECT_GE(cycle.number("dropped_filter_mismatch"), outside.size()) << cycle.text();
    EXPECT_EQ(stored_of(h.store(), outside), 0u);
}

TEST(SyncFaults, FloodPastTheLimitIsCountedAndEveryEventStillArrives) {
    auto events = test::signed_events(400, kStart, 2);
    auto extra = test::signed_events(200, kStart + 5000, 1, 5);
    test::ScriptedRelay relay({.events = events, .cap = 1000,
                               .tamper = [&](const std::string& sub, std::int64_t, std::int64_t, std::size_t,
                                             std::vector<std::string>& frames) {
                                   // After the answer, more events than the limit allows.
                                   for (int i = 0; i < 30; ++i) frames.push_back(test::event_frame(sub, extra[i]));
                               }});
    test::SyncHarness h(test::sync_config({relay.url()}, 50));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_GT(cycle.number("dropped_over_limit") + cycle.number("dropped_filter_mismatch"), 0u) << cycle.text();
    EXPECT_EQ(stored_of(h.store(), events), events.size()) << cycle.text();
}

TEST(SyncFaults, GarbageFramesAreCountedAndTheSyncGoesOn) {
    auto events = test::signed_events(100, kStart, 3);
    test::ScriptedRelay relay({.events = events, .cap = 1000,
                               .tamper = [](const std::string& sub, std::int64_t, std::int64_t, std::size_t,
                                            std::vector<std::string>& frames) {
                                   frames.insert(frames.begin(), "this is not json");
                                   frames.push_back(R"(["EVENT",")" + sub + R"(",{"id":"zz"}])");
                                   frames.push_back(R"(["EVENT","someone-else",{}])");
                               }});
    test::SyncHarness h(test::sync_config({relay.url()}, 500));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
    EXPECT_GE(cycle.number("dropped_malformed_message"), 1u) << cycle.text();
    EXPECT_GE(cycle.number("dropped_unknown_subscription"), 1u) << cycle.text();
    EXPECT_GE(cycle.number("invalid_bad_id") + cycle.number("invalid_missing_field"), 1u) << cycle.text();
}

TEST(SyncFaults, UnorderedRelayIsSyncedCompletely) {
    auto events = test::signed_events(900, kStart, 6);
    test::ScriptedRelay relay({.events = events, .cap = 1000,
                               .tamper = [](const std::string&, std::int64_t, std::int64_t, std::size_t,
                                            std::vector<std::string>& frames) {
                                   std::reverse(frames.begin(), frames.end());  // oldest first
                               }});
    test::SyncHarness h(test::sync_config({relay.url()}, 100));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_GT(cycle.number("midpoint_splits"), 0u) << cycle.text();
    EXPECT_EQ(stored_of(h.store(), events), events.size());
}

TEST(SyncFaults, ContradictingRelayEndsItsSyncWithoutAdvancingItsTimestamp) {
    // Claims its newest second holds `limit` events, then, asked for that
    // second alone, answers with a single one.
    auto events = test::signed_events(200, kStart, 20);
    test::ScriptedRelay relay({.events = events, .cap = 1000,
                               .tamper = [](const std::string&, std::int64_t since, std::int64_t until, std::size_t,
                                            std::vector<std::string>& frames) {
                                   if (since == until && frames.size() > 1) frames.resize(1);
                               }});
    test::SyncHarness h(test::sync_config({relay.url()}, 20));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("failed_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("failed_contradicted"), 1u) << cycle.text();
    EXPECT_EQ(h.saved_timestamp(relay.url()), -1);  // default_start 0, minus one: not advanced
}

TEST(SyncFaults, DroppedConnectionLeavesTheTimestampAndTheNextCycleCompletes) {
    auto events = test::signed_events(1000, kStart, 4);
    test::ScriptedRelay relay({.events = events, .cap = 1000, .drop_first_connection_at_req = 5});
    test::SyncHarness h(test::sync_config({relay.url()}, 40));
    h.store().put_service_state("synchronizer",
                                R"({"relay_timestamps":{")" + relay.url() + R"(":)" + std::to_string(kStart - 10) + "}}",
                                1);
    h.reconfigure(test::sync_config({relay.url()}, 40));
    auto first = h.run_cycle();
    EXPECT_EQ(first.number("failed_relays"), 1u) << first.text();
    EXPECT_EQ(first.number("failed_disconnected"), 1u) << first.text();
    EXPECT_GT(first.number("synced_events"), 0u) << "answers before the drop are kept: " << first.text();
    EXPECT_EQ(h.saved_timestamp(relay.url()), kStart - 10);

    auto second = h.run_cycle();
    EXPECT_EQ(second.number("synced_relays"), 1u) << second.text();
    EXPECT_EQ(stored_of(h.store(), events), events.size());
    EXPECT_GT(h.saved_timestamp(relay.url()).value_or(0), kStart);
}

TEST(SyncFaults, StalledRelayIsAbandonedAfterTheRequestTimeout) {
    auto events = test::signed_events(300, kStart, 2);
    test::ScriptedRelay relay({.events = events, .cap = 1000, .stall_after_reqs = 2});
    auto config = test::sync_config({relay.url()}, 50);
    config.overrides[0].request = 1.0;
    test::SyncHarness h(config);
    const auto started = std::chrono::steady_clock::now();
    auto cycle = h.run_cycle();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 60s);
    EXPECT_EQ(cycle.number("failed_timeout"), 1u) << cycle.text();
    EXPECT_EQ(h.saved_timestamp(relay.url()), -1);
}

TEST(SyncFaults, SlowRelayIsAbandonedAfterTheRelayTimeout) {
    // Every answer arrives within the request timeout, but all of them
    // together take longer than the relay timeout.
    auto events = test::signed_events(2000, kStart, 1);
    test::ScriptedRelay relay({.events = events, .cap = 1000, .delay_per_answer = 300ms});
    auto config = test::sync_config({relay.url()}, 20);
    config.overrides[0].request = 5.0;
    config.overrides[0].relay = 2.0;
    test::SyncHarness h(config);
    const auto started = std::chrono::steady_clock::now();
    auto cycle = h.run_cycle();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);
    EXPECT_EQ(cycle.number("failed_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("failed_relay_timeout") + cycle.number("failed_timeout"), 1u) << cycle.text();
    EXPECT_LT(stored_of(h.store(), events), events.size());
}

TEST(SyncFaults, UnreachableRelayFailsToConnectAndOthersStillSync) {
    auto events = test::signed_events(50, kStart, 1);
    test::ScriptedRelay relay({.events = events});
    const std::string dead = "ws://127.0.0.1:" + std::to_string(test::pick_free_port());
    test::SyncHarness h(test::sync_config({relay.url(), dead}, 100));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("failed_connect"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
}

TEST(SyncFaults, OnionRelaysAreSkippedWhenTorIsDisabled) {
    auto config = test::sync_config({"ws://" + std::string(56, 'b') + ".onion"}, 100);
    test::SyncHarness h(config);
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("relays"), 0u) << cycle.text();
    EXPECT_EQ(cycle.number("skipped_relays"), 1u) << cycle.text();
}

TEST(SyncFaults, FilterOptionsFromConfigAreSentWithEveryRequest) {
    auto events = test::signed_events(60, kStart, 3);
    test::ScriptedRelay relay({.events = events, .cap = 1000});
    auto config = test::sync_config({relay.url()}, 100);
    config.filter.kinds = std::vector<std::uint16_t>{1, 7};
    config.filter.authors = std::vector<std::string>{to_hex(events.front().pubkey)};
    config.filter.tags = std::map<char, std::vector<std::string>>{{'t', {"nostr"}}};
    test::SyncHarness h(config);
    auto cycle = h.run_cycle();
    auto reqs = relay.received_reqs();
    ASSERT_FALSE(reqs.empty());
    for (const auto& req : reqs) {
        auto filter = nlohmann::json::parse(req)[2];
        EXPECT_EQ(filter["kinds"], nlohmann::json::array({1, 7})) << req;
        EXPECT_EQ(filter["authors"], nlohmann::json::array({to_hex(events.front().pubkey)})) << req;
        EXPECT_EQ(filter["#t"], nlohmann::json::array({"nostr"})) << req;
        EXPECT_EQ(filter["limit"], 100) << req;
        EXPECT_TRUE(filter.contains("since") && filter.contains("until")) << req;
    }
    // This relay ignores kinds/authors/tags and its events carry no `t` tag:
    // the session drops them as not what was asked for.
    EXPECT_EQ(cycle.number("synced_events"), 0u) << cycle.text();
    EXPECT_EQ(cycle.number("dropped_filter_mismatch"), events.size()) << cycle.text();
}
