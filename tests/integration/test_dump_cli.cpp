// brotr-dump on real stores: every view, its JSON form, errors, and reading
// while another process keeps writing.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using nlohmann::json;
using test::brotr_dump_bin;
using test::run_command;

class DumpCli : public ::testing::Test {
protected:
    void SetUp() override {
        Store s = Store::init(path, StoreVariant::bigbrotr);
        events = gen.batch(150);
        const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, &relay, 1000, false});
        s.insert_events(items);
        for (int i = 0; i < 3; ++i) {
            RelayMetadata m;
            m.relay_url = relay.str();
            m.generated_at = 5000 + i;
            Nip66 n;
            n.openable = n.readable = true;
            n.rtt_open = 100 + i;
            m.nip66 = n;
            Nip11 d;
            d.name = "Example";
            d.software = "strfry";
            m.nip11 = d;
            s.insert_relay_metadata(m);
        }
        s.insert_relay(*RelayUrl::parse("wss://quiet.example.com"), 10);
        s.put_service_state("synchronizer", R"({"relay_timestamps":{"wss://relay.example.com":123}})", 77);
    }

    test::CommandOutput dump(std::vector<std::string> args) {
        std::vector<std::string> argv = {brotr_dump_bin().string(), "--store", path};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_command(argv);
    }

    test::TempDir dir;
    std::string path = (dir / "store").string();
    test::EventGenerator gen{8, 15};
    std::vector<Event> events;
};

TEST_F(DumpCli, StatsAsTableAndJson) {
    auto table = dump({"stats"});
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("events"), std::string::npos);
    EXPECT_NE(table.out.find("150"), std::string::npos) << table.out;

    auto r = dump({"stats", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = json::parse(r.out);
    const auto now = j["now"].get<std::int64_t>();
    StoreOptions ro;
    ro.mode = OpenMode::read_only;
    Store s = Store::open(path, ro);
    const auto expected = s.events_statistics(now);
    EXPECT_EQ(j["variant"], "bigbrotr");
    EXPECT_EQ(j["events_statistics"]["total_events"], expected.total_events);
    EXPECT_EQ(j["events_statistics"]["unique_pubkeys"], expected.unique_pubkeys);
    EXPECT_EQ(j["events_statistics"]["regular_events"], expected.regular_events);
    EXPECT_EQ(j["events_statistics"]["latest_event_timestamp"], *expected.latest_event_timestamp);
    EXPECT_EQ(j["tables"]["relays"], 2);
    EXPECT_EQ(j["tables"]["relay_metadata"], 3);
    EXPECT_EQ(j["tables"]["nip11"], 1);
    EXPECT_EQ(j["tables"]["nip66"], 3);
    EXPECT_EQ(j["tables"]["service_state"], 1);
}

TEST_F(DumpCli, RelaysRelayAndMetadata) {
    auto relays = json::parse(dump({"relays", "--json"}).out);
    ASSERT_EQ(relays.size(), 2u);
    EXPECT_EQ(relays[1]["relay_url"], "wss://relay.example.com");
    EXPECT_EQ(relays[1]["event_count"], 150);
    EXPECT_EQ(relays[1]["avg_rtt_open"], 101.0);
    EXPECT_TRUE(relays[1]["avg_rtt_write"].is_null());
    EXPECT_EQ(relays[0]["event_count"], 0);

    auto relay = dump({"relay", "wss://relay.example.com", "--json"});
    ASSERT_EQ(relay.exit_code, 0) << relay.err;
    auto j = json::parse(relay.out);
    ASSERT_EQ(j["snapshots"].size(), 3u);
    EXPECT_EQ(j["snapshots"][0]["generated_at"], 5002);
    EXPECT_EQ(j["snapshots"][0]["nip11"]["software"], "strfry");
    EXPECT_EQ(j["snapshots"][0]["nip66"]["rtt_open"], 102);
    Nip66 newest;
    newest.openable = newest.readable = true;
    newest.rtt_open = 102;
    EXPECT_EQ(j["snapshots"][0]["nip66_id"], to_hex(compute_nip66_id(newest)));
    auto table = dump({"relay", "wss://relay.example.com", "--limit", "1"});
    EXPECT_NE(table.out.find("1 snapshots"), std::string::npos) << table.out;
    auto missing = dump({"relay", "wss://nowhere.example.com"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("not in the store"), std::string::npos);

    auto latest = json::parse(dump({"metadata", "--json"}).out);
    ASSERT_EQ(latest.size(), 2u);
    EXPECT_TRUE(latest[0]["generated_at"].is_null());  // quiet.example.com, never checked
    EXPECT_EQ(latest[1]["generated_at"], 5002);
    EXPECT_EQ(dump({"metadata"}).exit_code, 0);
}

TEST_F(DumpCli, CountsEventsStateAndCheck) {
    auto kinds = json::parse(dump({"kinds", "--json"}).out);
    std::uint64_t total = 0;
    for (const auto& k : kinds) total += k["event_count"].get<std::uint64_t>();
    EXPECT_EQ(total, 150u);
    EXPECT_EQ(json::parse(dump({"kinds", "--by-relay", "--json"}).out).size(), kinds.size());
    EXPECT_EQ(json::parse(dump({"pubkeys", "--limit", "3", "--json"}).out).size(), 3u);
    auto by_relay = json::parse(dump({"pubkeys", "--by-relay", "--json"}).out);
    ASSERT_FALSE(by_relay.empty());
    EXPECT_TRUE(by_relay[0]["kinds_used"].is_array());

    auto ev = dump({"events", "--kinds", std::to_string(events[0].kind), "--authors", to_hex(events[0].pubkey)});
    ASSERT_EQ(ev.exit_code, 0) << ev.err;
    EXPECT_NE(ev.out.find(to_json(events[0])), std::string::npos);
    EXPECT_EQ(dump({"events", "--limit", "4"}).out.size() > 0, true);
    auto bad = dump({"events", "--authors", "nothex"});
    EXPECT_EQ(bad.exit_code, 2);

    auto state = json::parse(dump({"state", "--json"}).out);
    ASSERT_EQ(state.size(), 1u);
    EXPECT_EQ(state[0]["service_name"], "synchronizer");
    EXPECT_EQ(state[0]["state"]["relay_timestamps"]["wss://relay.example.com"], 123);
    EXPECT_EQ(state[0]["updated_at"], 77);

    auto check = dump({"check"});
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_NE(check.out.find("ok"), std::string::npos) << check.out;
    auto check_json = json::parse(dump({"check", "--json"}).out);
    EXPECT_EQ(check_json["ok"], true);
    EXPECT_EQ(check_json["events"], 150);
}

TEST(DumpCliErrors, MissingStoreAndBadUsage) {
    test::TempDir dir;
    auto r = run_command({brotr_dump_bin().string(), "--store", (dir / "none").string(), "stats"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no brotr store"), std::string::npos) << r.err;
    EXPECT_EQ(run_command({brotr_dump_bin().string()}).exit_code, 2);
    EXPECT_EQ(run_command({brotr_dump_bin().string(), "frobnicate"}).exit_code, 2);
    EXPECT_EQ(run_command({brotr_dump_bin().string(), "--help"}).exit_code, 0);
}

// The writer as `brotr run` opens the store, and as `brotr import` does (bulk load).
class DumpCliLive : public ::testing::TestWithParam<bool> {};

TEST_P(DumpCliLive, ReadsWhileAnotherProcessWrites) {
    test::TempDir dir;
    const std::string path = (dir / "store").string();
    test::EventGenerator gen(31, 20);
    const auto events = gen.batch(1500);
    Store::init(path, StoreVariant::bigbrotr);
    StoreOptions writing_options;
    writing_options.bulk_load = GetParam();
    Store writer = Store::open(path, writing_options);
    std::atomic<bool> done{false};
    std::thread writing([&] {
        const RelayUrl relay = *RelayUrl::parse("wss://live.example.com");
        for (std::size_t i = 0; i < events.size(); i += 25) {
            std::vector<EventWithRelay> items;
            for (std::size_t j = i; j < std::min(events.size(), i + 25); ++j) items.push_back({events[j], &relay, 1, false});
            writer.insert_events(items);
        }
        done = true;
    });
    std::uint64_t previous = 0;
    int rounds = 0;
    while (!done || rounds < 3) {
        auto stats = run_command({brotr_dump_bin().string(), "--store", path, "stats", "--json"});
        ASSERT_EQ(stats.exit_code, 0) << stats.err;
        auto n = json::parse(stats.out)["events_statistics"]["total_events"].get<std::uint64_t>();
        EXPECT_GE(n, previous);  // never goes back
        EXPECT_EQ(n % 25, 0u);   // whole batches only
        previous = n;
        auto check = run_command({brotr_dump_bin().string(), "--store", path, "check", "--json"});
        EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
        ++rounds;
    }
    writing.join();
    auto final_stats = run_command({brotr_dump_bin().string(), "--store", path, "stats", "--json"});
    EXPECT_EQ(json::parse(final_stats.out)["events_statistics"]["total_events"], events.size());
}

INSTANTIATE_TEST_SUITE_P(Writers, DumpCliLive, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "BulkLoad" : "Default"; });

}  // namespace
}  // namespace brotr
