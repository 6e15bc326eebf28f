// The synchronizer against the real relay (tests/peers/relay.mjs, the
// third-party @nostr-relay packages) holding events signed by nostr-tools.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "brotr/hex.hpp"
#include "support/relay_peer.hpp"
#include "test_sync_support.hpp"

using namespace brotr;
using namespace std::chrono_literals;
namespace test = brotr::test;

namespace {

std::vector<Event> parse_jsonl(const std::filesystem::path& file) {
    std::vector<Event> events;
    for (const auto& line : test::read_lines(file)) {
        auto parsed = parse_event(line);
        if (!parsed.event) throw std::runtime_error("generated event does not parse: " + line);
        events.push_back(*parsed.event);
    }
    return events;
}

// Every event stored, each linked to exactly `relays`.
void expect_archived(Store& store, const std::vector<Event>& events, const std::set<std::string>& relays) {
    std::size_t missing = 0, wrong_links = 0;
    for (const auto& e : events) {
        auto stored = store.get_event(e.id);
        if (!stored || !(*stored == e)) {
            ++missing;
            continue;
        }
        std::set<std::string> linked;
        for (const auto& row : store.event_relays(e.id)) linked.insert(row.relay_url);
        if (linked != relays) ++wrong_links;
    }
    EXPECT_EQ(missing, 0u);
    EXPECT_EQ(wrong_links, 0u);
}

class SyncRealRelay : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    }
    test::TempDir dir_;
};

}  // namespace

TEST_F(SyncRealRelay, ArchivesEveryEventOnceWithItsRelayLinkThoughAnswersAreCapped) {
    // 4,000 events, 40 per second, while each REQ asks for 50: nearly every
    // answer ends inside a second.
    test::generate_events({.count = 4000, .start = 1'700'000'000, .per_second = 40}, dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});

    test::SyncHarness h(test::sync_config({relay.url()}, 50));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 1u) << cycle.text();
    EXPECT_EQ(cycle.number("failed_relays"), 0u) << cycle.text();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
    EXPECT_EQ(cycle.number("duplicate_events"), 0u) << cycle.text();
    EXPECT_EQ(cycle.number("relay_links"), events.size()) << cycle.text();
    EXPECT_EQ(h.store().summary().events, events.size());
    EXPECT_EQ(h.store().summary().event_relays, events.size());
    expect_archived(h.store(), events, {relay.url()});
    // Saved: the relay is complete up to now - lookback.
    auto saved = h.saved_timestamp(relay.url());
    ASSERT_TRUE(saved);
    EXPECT_GT(*saved, 1'700'000'100);
}

TEST_F(SyncRealRelay, LimitAboveTheRelaysOwnCapStillGetsEverything) {
    // The relay caps answers at 1,000 without saying so; brotr asks for 5,000.
    test::generate_events({.count = 3500, .start = 1'700'000'000, .per_second = 7}, dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    test::SyncHarness h(test::sync_config({relay.url()}, 5000));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
    expect_archived(h.store(), events, {relay.url()});
}

TEST_F(SyncRealRelay, SecondCycleFetchesOnlyNewEvents) {
    const std::int64_t t0 = 1'700'000'000;
    test::generate_events({.count = 600, .start = t0, .per_second = 12}, dir_ / "old.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "old.jsonl"});
    test::SyncHarness h(test::sync_config({relay.url()}, 50));

    // First cycle at t0 + 1h + 100 s: the window ends at t0 + 100.
    h.set_now(t0 + 3600 + 100);
    auto first = h.run_cycle();
    EXPECT_EQ(first.number("synced_events"), 600u) << first.text();
    EXPECT_EQ(h.saved_timestamp(relay.url()), t0 + 100);

    // New events after the saved timestamp, then a cycle an hour later.
    test::generate_events({.count = 300, .start = t0 + 101, .per_second = 30}, dir_ / "new.jsonl");
    EXPECT_EQ(relay.load_events(dir_ / "new.jsonl"), 300u);
    const auto fresh = parse_jsonl(dir_ / "new.jsonl");
    h.set_now(t0 + 7200 + 100);
    auto second = h.run_cycle();
    EXPECT_EQ(second.number("synced_events"), 300u) << second.text();
    // No event of the first cycle came back (it would count as a duplicate).
    EXPECT_EQ(second.number("duplicate_events"), 0u) << second.text();
    EXPECT_EQ(h.saved_timestamp(relay.url()), t0 + 3600 + 100);
    expect_archived(h.store(), fresh, {relay.url()});
    EXPECT_EQ(h.store().summary().events, 900u);

    // Nothing new: one empty request.
    h.set_now(t0 + 7200 + 200);
    auto third = h.run_cycle();
    EXPECT_EQ(third.number("synced_events"), 0u) << third.text();
    EXPECT_EQ(third.number("requests"), 1u) << third.text();
}

TEST_F(SyncRealRelay, SameEventsOnTwoRelaysGiveOneEventWithTwoLinks) {
    test::generate_events({.count = 800, .start = 1'700'000'000, .per_second = 20}, dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");
    test::RelayPeer a({.load_jsonl = dir_ / "events.jsonl"});
    test::RelayPeer b({.load_jsonl = dir_ / "events.jsonl"});
    test::SyncHarness h(test::sync_config({a.url(), b.url()}, 100));
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_relays"), 2u) << cycle.text();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
    EXPECT_EQ(cycle.number("duplicate_events"), events.size()) << cycle.text();
    EXPECT_EQ(cycle.number("relay_links"), 2 * events.size()) << cycle.text();
    EXPECT_EQ(h.store().summary().events, events.size());
    expect_archived(h.store(), events, {a.url(), b.url()});
}

TEST_F(SyncRealRelay, RelayStoppedMidSyncKeepsItsTimestampAndTheNextCycleCompletes) {
    test::generate_events({.count = 6000, .start = 1'700'000'000, .per_second = 3}, dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    // Small answers make the sync take hundreds of requests: time to stop the relay.
    test::SyncHarness h(test::sync_config({relay.url()}, 10));

    std::thread killer([&] {
        for (int i = 0; i < 2000 && h.store().summary().events < 200; ++i) std::this_thread::sleep_for(5ms);
        relay.stop();
    });
    auto first = h.run_cycle();
    killer.join();
    ASSERT_EQ(first.number("failed_relays"), 1u) << "the sync ended before the relay went away: " << first.text();
    EXPECT_LT(h.store().summary().events, events.size());
    // The saved position is where this sync started (0 - 1): nothing is skipped.
    EXPECT_EQ(h.saved_timestamp(relay.url()), -1);

    relay.start();
    auto second = h.run_cycle();
    EXPECT_EQ(second.number("synced_relays"), 1u) << second.text();
    EXPECT_EQ(h.store().summary().events, events.size());
    expect_archived(h.store(), events, {relay.url()});
    EXPECT_GT(h.saved_timestamp(relay.url()).value_or(0), 1'700'000'000);
}

TEST_F(SyncRealRelay, RegistryRelaysNeedLoopbackAllowedByTheAddressPolicy) {
    test::generate_events({.count = 50, .start = 1'700'000'000, .per_second = 5}, dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    auto mark_readable = [&](Store& store) {
        RelayMetadata m;
        m.relay_url = relay.url();
        m.generated_at = now - 60;
        Nip66 n;
        n.openable = n.readable = true;
        m.nip66 = n;
        store.insert_relay_metadata(m);
    };

    // Found in the registry (not in the config): the SSRF rule applies.
    test::SyncHarness refused(test::sync_config({}, 50));
    mark_readable(refused.store());
    auto denied = refused.run_cycle();
    EXPECT_EQ(denied.number("relays"), 1u) << denied.text();
    EXPECT_EQ(denied.number("failed_connect"), 1u) << denied.text();
    EXPECT_EQ(refused.store().summary().events, 0u);

    test::SyncHarness allowed(test::sync_config({}, 50), AddressPolicy{.allow_loopback = true});
    mark_readable(allowed.store());
    auto ok = allowed.run_cycle();
    EXPECT_EQ(ok.number("synced_relays"), 1u) << ok.text();
    EXPECT_EQ(ok.number("synced_events"), 50u) << ok.text();
}

TEST_F(SyncRealRelay, LilbrotrStoreKeepsEventsWithoutTagsOrContent) {
    test::generate_events({.count = 120, .start = 1'700'000'000, .per_second = 4, .content = "some text",
                           .tags = {{"t", "nostr"}}},
                          dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    test::SyncHarness h(test::sync_config({relay.url()}, 50), {}, StoreVariant::lilbrotr);
    auto cycle = h.run_cycle();
    EXPECT_EQ(cycle.number("synced_events"), events.size()) << cycle.text();
    auto stored = h.store().get_event(events.front().id);
    ASSERT_TRUE(stored);
    EXPECT_TRUE(stored->content.empty());
    EXPECT_TRUE(stored->tags.empty());
}
