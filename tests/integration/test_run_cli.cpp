// `brotr synchronizer --once`, `brotr initializer` and `brotr run` as child
// processes, against the real relay and in-process fakes: archives, exit
// codes, config errors, SIGTERM ending with state persisted.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "brotr/store.hpp"
#include "services/sync_state.hpp"
#include "support/brotr_process.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"

using namespace brotr;
using namespace std::chrono_literals;
namespace test = brotr::test;
using test::BrotrProcess;

namespace {

// An implementation directory for loopback tests: the store inside it, the
// given relays as synchronizer overrides, loopback allowed, no services
// that would reach the internet.
struct ConfigDir {
    explicit ConfigDir(const test::TempDir& dir, const std::vector<std::string>& relays,
                       const std::string& extra_sync_yaml = {}) : root(dir.path() / "impl") {
        std::filesystem::create_directories(root / "services");
        test::write_file(root / "brotr.yaml",
                         "store:\n  path: store\n  variant: bigbrotr\n"
                         "logging:\n  level: info\n"
                         "network:\n  allow_loopback: true\n");
        std::string sync =
            "interval: 3600\n"
            "tor:\n  enabled: false\n"
            "filter:\n  limit: 50\n"
            "time_range:\n  lookback_seconds: 3600\n"
            "concurrency:\n  max_parallel: 4\n  max_processes: 2\n  stagger_delay: [0, 0]\n";
        if (!relays.empty()) {
            sync += "overrides:\n";
            for (const auto& r : relays) sync += "  - url: " + r + "\n" + extra_sync_yaml;
        }
        test::write_file(root / "services" / "synchronizer.yaml", sync);
        test::write_file(root / "services" / "initializer.yaml", "seed:\n  enabled: true\n  file_path: seeds.txt\n");
        test::write_file(root / "seeds.txt", "# test seeds\nwss://relay.one.example\nrelay.two.example\nnot a url\n");
        test::write_file(root / "services" / "finder.yaml", "enabled: false\n");
        test::write_file(root / "services" / "monitor.yaml", "enabled: false\n");
    }
    std::string store() const { return (root / "store").string(); }
    std::filesystem::path root;
};

std::optional<std::int64_t> saved_timestamp(Store& store, const std::string& url) {
    auto saved = store.get_service_state("synchronizer");
    if (!saved) return std::nullopt;
    auto state = services::SyncState::from_json(saved->state_json);
    return state ? state->timestamp(url) : std::nullopt;
}

Store open_read_only(const std::string& path) {
    StoreOptions o;
    o.mode = OpenMode::read_only;
    return Store::open(path, o);
}

class RunCli : public ::testing::Test {
protected:
    test::TempDir dir_;
};

}  // namespace

TEST_F(RunCli, SynchronizerOnceArchivesTheRelayAndExitsZero) {
    if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    test::generate_events({.count = 700, .start = 1'700'000'000, .per_second = 25}, dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    ConfigDir config(dir_, {relay.url()});

    auto out = test::run_command({test::brotr_bin().string(), "synchronizer", "--once", "--config", config.root.string()});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.err.find("synchronizer: cycle_completed"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("synced_events=700"), std::string::npos) << out.err;

    Store store = open_read_only(config.store());
    EXPECT_EQ(store.summary().events, 700u);
    EXPECT_EQ(store.summary().event_relays, 700u);
    EXPECT_TRUE(saved_timestamp(store, relay.url()).has_value());
}

TEST_F(RunCli, RunSeedsSyncsAndStopsOnSigtermWithStatePersisted) {
    if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    test::generate_events({.count = 300, .start = 1'700'000'000, .per_second = 10}, dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    ConfigDir config(dir_, {relay.url()});

    BrotrProcess brotr({"run", "--config", config.root.string(), "--grace", "5"}, dir_ / "run.log");
    ASSERT_TRUE(brotr.wait_for_log("synchronizer: cycle_completed", 120s)) << brotr.log();
    ASSERT_TRUE(brotr.wait_for_log("initializer: cycle_completed", 10s)) << brotr.log();
    brotr.signal(SIGTERM);
    auto code = brotr.wait(30s);
    ASSERT_TRUE(code.has_value()) << "still running 30 s after SIGTERM\n" << brotr.log();
    EXPECT_EQ(*code, 0) << brotr.log();
    EXPECT_NE(brotr.log().find("stop_requested signal=SIGTERM"), std::string::npos) << brotr.log();
    EXPECT_NE(brotr.log().find("runtime: stopped"), std::string::npos) << brotr.log();

    Store store = open_read_only(config.store());
    EXPECT_EQ(store.summary().events, 300u);
    EXPECT_TRUE(store.get_relay("wss://relay.one.example").has_value());
    EXPECT_TRUE(store.get_relay("wss://relay.two.example").has_value());
    EXPECT_TRUE(saved_timestamp(store, relay.url()).has_value());
}

TEST_F(RunCli, SigtermDuringAStalledSyncExitsZeroWithinTheGracePeriod) {
    // A relay that accepts the connection and then never answers.
    test::FakeServer stalled([](test::FakePeer& peer) {
        peer.accept_websocket(false);
        peer.stall(std::chrono::minutes(5));
    });
    ConfigDir config(dir_, {stalled.ws_url()}, "    timeouts:\n      request: 120\n      relay: 600\n");
    BrotrProcess brotr({"run", "synchronizer", "--config", config.root.string(), "--grace", "2"}, dir_ / "run.log");
    ASSERT_TRUE(brotr.wait_for_log("runtime: started", 60s)) << brotr.log();
    for (int i = 0; i < 200 && stalled.connections() == 0; ++i) std::this_thread::sleep_for(50ms);
    ASSERT_EQ(stalled.connections(), 1u) << brotr.log();
    const auto signalled = std::chrono::steady_clock::now();
    brotr.signal(SIGTERM);
    auto code = brotr.wait(60s);
    ASSERT_TRUE(code.has_value()) << brotr.log();
    EXPECT_EQ(*code, 0) << brotr.log();
    // Well before the 120 s request timeout: the in-flight request was abandoned.
    EXPECT_LT(std::chrono::steady_clock::now() - signalled, 60s);
}

TEST_F(RunCli, SigintAlsoEndsTheRunCleanly) {
    ConfigDir config(dir_, {});
    BrotrProcess brotr({"run", "--config", config.root.string()}, dir_ / "run.log");
    ASSERT_TRUE(brotr.wait_for_log("synchronizer: cycle_completed", 60s)) << brotr.log();
    brotr.signal(SIGINT);
    auto code = brotr.wait(30s);
    ASSERT_TRUE(code.has_value()) << brotr.log();
    EXPECT_EQ(*code, 0) << brotr.log();
    EXPECT_NE(brotr.log().find("stop_requested signal=SIGINT"), std::string::npos) << brotr.log();
}

TEST_F(RunCli, ConfigValueOutOfRangeStopsStartUpWithExitTwoNamingFileKeyAndValue) {
    ConfigDir config(dir_, {});
    test::write_file(config.root / "services" / "synchronizer.yaml", "filter:\n  limit: 0\n");
    auto out = test::run_command({test::brotr_bin().string(), "run", "--config", config.root.string()});
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_NE(out.err.find("synchronizer.yaml"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("filter.limit"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find('0'), std::string::npos) << out.err;
    EXPECT_FALSE(std::filesystem::exists(config.store())) << "nothing may be created on a config error";
}

TEST_F(RunCli, UnknownKeyInConfigExitsTwo) {
    ConfigDir config(dir_, {});
    test::write_file(config.root / "brotr.yaml", "store:\n  path: store\n  colour: blue\n");
    auto out = test::run_command({test::brotr_bin().string(), "synchronizer", "--once", "--config", config.root.string()});
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_NE(out.err.find("brotr.yaml"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("colour"), std::string::npos) << out.err;
}

TEST_F(RunCli, MissingConfigDirectoryExitsTwo) {
    auto out = test::run_command({test::brotr_bin().string(), "run", "--once", "--config", (dir_ / "nowhere").string()});
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_NE(out.err.find("nowhere"), std::string::npos) << out.err;
}

TEST_F(RunCli, UnknownServiceExitsTwo) {
    ConfigDir config(dir_, {});
    auto out = test::run_command({test::brotr_bin().string(), "run", "teleporter", "--config", config.root.string()});
    EXPECT_EQ(out.exit_code, 2) << out.err;
    EXPECT_NE(out.err.find("teleporter"), std::string::npos) << out.err;
}

TEST_F(RunCli, InitializerSeedsTheRegistryAndReportsCounts) {
    ConfigDir config(dir_, {});
    test::write_file(config.root / "seeds.txt",
                     "# seeds\n\nwss://a.example\nwss://A.example/\nb.example # inline comment\n"
                     "http://not-a-relay.example\nws://c.example:80\n   \nwss://a.example\n");
    auto out = test::run_command({test::brotr_bin().string(), "initializer", "--config", config.root.string()});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.err.find("seed_relays=3"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("added_relays=3"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("invalid_lines=1"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("duplicate_lines=2"), std::string::npos) << out.err;
    {
        Store store = open_read_only(config.store());
        std::vector<std::string> urls;
        for (const auto& r : store.relays()) urls.push_back(r.url);
        std::sort(urls.begin(), urls.end());
        EXPECT_EQ(urls, (std::vector<std::string>{"ws://c.example", "wss://a.example", "wss://b.example"}));
    }
    // Again: nothing new.
    auto again = test::run_command({test::brotr_bin().string(), "initializer", "--config", config.root.string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("added_relays=0"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("known_relays=3"), std::string::npos) << again.err;
}

TEST_F(RunCli, StoreOfTheOtherVariantIsRefused) {
    ConfigDir config(dir_, {});
    Store::init(config.store(), StoreVariant::lilbrotr);
    auto out = test::run_command({test::brotr_bin().string(), "initializer", "--config", config.root.string()});
    EXPECT_EQ(out.exit_code, 1) << out.err;
    EXPECT_NE(out.err.find("lilbrotr"), std::string::npos) << out.err;
}

TEST_F(RunCli, MissingSeedFileFailsTheInitializerCycle) {
    ConfigDir config(dir_, {});
    std::filesystem::remove(config.root / "seeds.txt");
    auto out = test::run_command({test::brotr_bin().string(), "initializer", "--once", "--config", config.root.string()});
    EXPECT_EQ(out.exit_code, 1) << out.err;
    EXPECT_NE(out.err.find("seeds.txt"), std::string::npos) << out.err;
}

TEST_F(RunCli, InitWithConfigCreatesTheConfiguredStoreAndSeedsIt) {
    ConfigDir config(dir_, {});
    test::write_file(config.root / "brotr.yaml", "store:\n  path: data/archive\n  variant: lilbrotr\n");
    auto out = test::run_command({test::brotr_bin().string(), "init", "--config", config.root.string()});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_NE(out.out.find("created lilbrotr store"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("seeded 2 relays"), std::string::npos) << out.out;
    EXPECT_NE(out.out.find("1 invalid lines"), std::string::npos) << out.out;
    {
        Store store = open_read_only((config.root / "data" / "archive").string());
        EXPECT_EQ(store.variant(), StoreVariant::lilbrotr);
        EXPECT_EQ(store.relays().size(), 2u);
    }
    auto again = test::run_command({test::brotr_bin().string(), "init", "--config", config.root.string()});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("already exists"), std::string::npos) << again.out;
    EXPECT_NE(again.out.find("0 new, 2 known"), std::string::npos) << again.out;

    auto both = test::run_command({test::brotr_bin().string(), "init", "--config", config.root.string(), "--store", "x"});
    EXPECT_EQ(both.exit_code, 2) << both.err;
    test::write_file(config.root / "services" / "initializer.yaml", "seed:\n  enabled: maybe\n");
    auto bad = test::run_command({test::brotr_bin().string(), "init", "--config", config.root.string()});
    EXPECT_EQ(bad.exit_code, 2) << bad.err;
    EXPECT_NE(bad.err.find("initializer.yaml"), std::string::npos) << bad.err;
}
