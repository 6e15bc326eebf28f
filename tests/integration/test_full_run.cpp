// The whole loop as a user runs it: `brotr run` over loopback relays. The
// initializer seeds two real relays, the monitor checks them, the
// synchronizer archives their events; the finder then discovers a third
// relay from a kind 10002 event archived from the first, and the next
// cycles check and sync it. Also: a monitor key that does not match
// keys.public_key stops start-up without the key appearing anywhere.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "brotr/store.hpp"
#include "support/http_test_client.hpp"
#include "support/metrics_text.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"

using namespace std::chrono_literals;

namespace brotr::test {
namespace {

struct Generated {
    std::vector<Bytes32> ids;
};

StoreOptions opened_as(OpenMode mode) {
    StoreOptions options;
    options.mode = mode;
    return options;
}

Generated load(RelayPeer& relay, const GeneratedEvents& spec, const std::filesystem::path& file) {
    generate_events(spec, file);
    EXPECT_EQ(relay.load_events(file), spec.count);
    Generated g;
    for (const std::string& line : read_lines(file)) {
        auto parsed = parse_event(line);
        if (parsed.event) g.ids.push_back(parsed.event->id);
    }
    return g;
}

// Events of `g` stored and linked to `relay_url`.
std::size_t archived_from(const Store& store, const Generated& g, const std::string& relay_url) {
    std::size_t n = 0;
    for (const Bytes32& id : g.ids) {
        auto links = store.event_relays(id);
        n += std::any_of(links.begin(), links.end(), [&](const EventRelayRow& r) { return r.relay_url == relay_url; });
    }
    return n;
}

// `metrics_port`: 0 leaves the metrics endpoint off.
void write_config(const std::filesystem::path& dir, const std::vector<std::string>& seeds,
                  const std::string& monitor_public_key, std::uint16_t metrics_port = 0) {
    std::filesystem::create_directories(dir / "services");
    write_file(dir / "brotr.yaml",
               "store:\n  path: store\n  variant: bigbrotr\n"
               "logging:\n  level: info\n"
               "network:\n  allow_loopback: true\n"
               // Trimmed as soon as every consumer (here the finder) has read it.
               "changelog:\n  trim: true\n  retention: 0\n  trim_interval: 10\n" +
                   (metrics_port ? "metrics:\n  enabled: true\n  port: " + std::to_string(metrics_port) + "\n"
                                 : std::string()));
    std::string seed_text = "# loopback test relays\n";
    for (const std::string& s : seeds) seed_text += s + "\n";
    write_file(dir / "seeds.txt", seed_text);
    write_file(dir / "services/initializer.yaml", "seed:\n  enabled: true\n  file_path: seeds.txt\n");
    write_file(dir / "services/finder.yaml",
               "interval: 2\napi:\n  sources: []\n  delay_between_requests: 0\nevents:\n  enabled: true\n");
    const std::string keys =
        monitor_public_key.empty() ? "keys: {}\n" : "keys:\n  public_key: \"" + monitor_public_key + "\"\n";
    write_file(dir / "services/monitor.yaml",
               "interval: 2\ntor:\n  enabled: false\n" + keys +
                   "timeouts:\n  clearnet: 5\nconcurrency:\n  max_parallel: 10\n  batch_size: 1\n"
                   "selection:\n  min_age_since_check: 3600\n");
    write_file(dir / "services/synchronizer.yaml",
               "interval: 2\ntor:\n  enabled: false\ntime_range:\n  lookback_seconds: 3600\n"
               "timeouts:\n  clearnet:\n    request: 5\n    relay: 60\n"
               "concurrency:\n  max_parallel: 4\n  max_processes: 1\n  stagger_delay: [0, 0]\n"
               "source:\n  max_metadata_age: 43200\n  require_readable: true\n");
}

TEST(FullRun, SeedMonitorSyncThenDiscoverCheckAndSyncAThirdRelay) {
    if (!RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    TempDir dir;
    RelayPeer first, second, third;
    const Generated from_first = load(first, {.count = 40, .start = 1700000000}, dir / "first.jsonl");
    const Generated from_second = load(second, {.count = 30, .start = 1700001000}, dir / "second.jsonl");
    const Generated from_third = load(third, {.count = 20, .start = 1700002000}, dir / "third.jsonl");
    // The relay list that leads to the third relay, archived from the first.
    const Generated relay_list =
        load(first, {.count = 1, .start = 1700003000, .kind = 10002, .tags = {{"r", third.url()}}}, dir / "list.jsonl");

    const SecretKey monitor_key = generate_secret_key();
    const std::filesystem::path config = dir / "config";
    const std::uint16_t metrics_port = pick_free_port();
    write_config(config, {first.url(), second.url()}, to_hex(public_key(monitor_key)), metrics_port);

    ChildProcess brotr({brotr_bin().string(), "run", "--config", config.string()},
                       {{"MONITOR_PRIVATE_KEY", to_hex(monitor_key)}});
    const std::string store_path = (config / "store").string();
    const std::string third_url = RelayUrl::parse(third.url())->str();

    // Wait until the third relay's events are archived (or give up).
    bool done = false;
    const auto deadline = std::chrono::steady_clock::now() + 180s;
    std::optional<Store> follower;
    while (!done && std::chrono::steady_clock::now() < deadline && brotr.running()) {
        std::this_thread::sleep_for(500ms);
        if (!follower) {
            if (!std::filesystem::exists(store_path)) continue;
            try {
                follower.emplace(Store::open(store_path, opened_as(OpenMode::secondary)));
            } catch (const StoreError&) {
                continue;  // still being created
            }
        }
        follower->catch_up();
        done = archived_from(*follower, from_third, third_url) == from_third.ids.size();
    }
    follower.reset();
    // What the services counted, from the metrics endpoint of the running process.
    std::string scrape;
    if (done) {
        // The synchronizer counts a relay's events when that relay's sync
        // ends, a moment after a reader sees them: scrape until the count
        // has caught up.
        const double archived =
            static_cast<double>(from_first.ids.size() + from_second.ids.size() + from_third.ids.size() + 1);
        const auto scrape_deadline = std::chrono::steady_clock::now() + 10s;
        do {
            Client client(metrics_port);
            auto r = client.get("/metrics");
            EXPECT_EQ(r.result_int(), 200);
            scrape = r.body();
            if (metric_value(scrape, "brotr_sync_events_stored_total").value_or(0) >= archived) break;
            std::this_thread::sleep_for(100ms);
        } while (std::chrono::steady_clock::now() < scrape_deadline);
        Client client(metrics_port);
        EXPECT_EQ(client.get("/v1/events").result_int(), 404);  // this address serves /metrics only
    }
    brotr.stop();
    ASSERT_TRUE(done) << "the third relay's events were not archived in time; brotr stderr:\n" << brotr.stderr_text();

    Store store = Store::open(store_path, opened_as(OpenMode::read_only));
    const std::string first_url = RelayUrl::parse(first.url())->str();
    const std::string second_url = RelayUrl::parse(second.url())->str();
    EXPECT_EQ(archived_from(store, from_first, first_url), from_first.ids.size());
    EXPECT_EQ(archived_from(store, relay_list, first_url), 1u);
    EXPECT_EQ(archived_from(store, from_second, second_url), from_second.ids.size());
    EXPECT_EQ(archived_from(store, from_third, third_url), from_third.ids.size());

    // Three relays, each checked: readable, writable with the monitor's key.
    EXPECT_EQ(store.relays().size(), 3u);
    for (const std::string& url : {first_url, second_url, third_url}) {
        auto snapshot = store.latest_metadata(url);
        ASSERT_TRUE(snapshot && snapshot->nip66 && snapshot->nip11) << url;
        EXPECT_TRUE(snapshot->nip66->readable) << url;
        EXPECT_TRUE(snapshot->nip66->writable) << url;
        EXPECT_EQ(snapshot->nip11->name, "brotr test relay") << url;
    }
    auto finder_state = store.get_service_state("finder");
    ASSERT_TRUE(finder_state);
    EXPECT_NE(finder_state->state_json.find("changelog_cursor"), std::string::npos);
    // The changelog service trimmed no further than the finder had read,
    // which is why the relay list still led to the third relay.
    const ChangelogStatus changelog = store.changelog_status();
    ASSERT_EQ(changelog.consumers.size(), 1u);
    EXPECT_EQ(changelog.consumers[0].name, "finder");
    EXPECT_LE(changelog.trimmed_to, changelog.consumers[0].cursor);
    EXPECT_TRUE(store.get_service_state("monitor"));
    EXPECT_TRUE(store.get_service_state("synchronizer"));
    const std::string log = brotr.stderr_text();
    EXPECT_NE(log.find("finder: cycle_completed"), std::string::npos) << log;
    EXPECT_NE(log.find("monitor: cycle_completed"), std::string::npos) << log;
    EXPECT_NE(log.find("changelog: cycle_completed"), std::string::npos) << log;
    EXPECT_EQ(log.find(to_hex(monitor_key)), std::string::npos);

    // The metrics agree with the store: every archived event was stored by
    // the synchronizer (counted once, however many relays sent it), the
    // third relay came from the finder's event scan, each relay was checked
    // writable with round trips observed.
    const double stored = metric_value(scrape, "brotr_sync_events_stored_total").value_or(-1);
    EXPECT_GE(stored, static_cast<double>(from_first.ids.size() + from_second.ids.size() + from_third.ids.size() + 1));
    EXPECT_LE(stored, static_cast<double>(store.summary().events));
    EXPECT_GE(metric_value(scrape, "brotr_sync_relays_total{result=\"ok\"}").value_or(0), 3);
    EXPECT_EQ(metric_value(scrape, "brotr_finder_relays_discovered_total{source=\"events\"}"), 1);
    EXPECT_GE(metric_value(scrape, "brotr_monitor_relays_checked_total{result=\"writable\"}").value_or(0), 3);
    EXPECT_GE(metric_value(scrape, "brotr_monitor_rtt_seconds_count{check=\"open\"}").value_or(0), 3);
    EXPECT_GE(metric_value(scrape, "brotr_service_cycles_total{service=\"synchronizer\",result=\"ok\"}").value_or(0), 1);
    EXPECT_GE(metric_value(scrape, "brotr_store_events").value_or(0), stored);
    EXPECT_TRUE(metric_value(scrape, "brotr_store_changelog_entries"));
    EXPECT_TRUE(metric_value(scrape, "brotr_changelog_consumer_lag_entries{consumer=\"finder\"}"));
    EXPECT_NE(scrape.find("\nbrotr_build_info{version=\""), std::string::npos);
    const std::string docs = read_file(std::filesystem::path(*env("BROTR_SOURCE_DIR")) / "docs" / "api.md");
    for (const std::string& family : metric_families(scrape))
        EXPECT_NE(docs.find("`" + family + "`"), std::string::npos) << family << " is not in docs/api.md";
}

TEST(FullRun, MonitorKeyMismatchStopsStartUpWithoutShowingTheKey) {
    TempDir dir;
    const SecretKey configured = generate_secret_key();
    const SecretKey actual = generate_secret_key();
    write_config(dir / "config", {}, to_hex(public_key(configured)));
    CommandOutput r = run_command({"env", "MONITOR_PRIVATE_KEY=" + to_hex(actual), brotr_bin().string(), "monitor",
                                   "--once", "--config", (dir / "config").string()});
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("does not match"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(to_hex(actual)), std::string::npos);
    EXPECT_EQ(r.out.find(to_hex(actual)), std::string::npos);
}

TEST(FullRun, FinderOnceAddsRelaysFromArchivedEvents) {
    TempDir dir;
    write_config(dir / "config", {}, "");
    {
        Store store = Store::init((dir / "config" / "store").string(), StoreVariant::bigbrotr);
        Event e;
        e.kind = 10002;
        e.created_at = 1700000000;
        e.tags = {{"r", "wss://found.example"}, {"r", "ws://10.0.0.7"}};
        sign_event(e, generate_secret_key());
        EventWithRelay item{e, nullptr, 0, false};
        store.insert_events(std::span<const EventWithRelay>(&item, 1));
    }
    CommandOutput r = run_command({brotr_bin().string(), "finder", "--once", "--config", (dir / "config").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("new_relays=1"), std::string::npos) << r.err;
    Store store = Store::open((dir / "config" / "store").string(), opened_as(OpenMode::read_only));
    ASSERT_EQ(store.relays().size(), 1u);
    EXPECT_EQ(store.relays()[0].url, "wss://found.example");
}

}  // namespace
}  // namespace brotr::test
