// `brotr api` and `brotr run` with the api service, as child processes: a
// new user's first run (no config directory), serving beside a writer, the
// bearer-token rule for non-loopback hosts, and start-up errors.
#include <signal.h>
#include <stdlib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "brotr/store.hpp"
#include "support/brotr_process.hpp"
#include "support/http_test_client.hpp"
#include "support/relay_peer.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using namespace std::chrono_literals;
using test::BrotrProcess;
using test::Client;

const RelayUrl kRelay = *RelayUrl::parse("wss://relay.example.com");

void insert(Store& store, test::EventGenerator& gen, int n) {
    std::vector<EventWithRelay> items;
    std::vector<Event> events = gen.batch(static_cast<std::size_t>(n));
    for (auto& e : events) items.push_back({std::move(e), &kRelay, 1'700'000'000, false});
    store.insert_events(items);
}

// /health's event count, or -1 while the server does not answer.
long health_events(std::uint16_t port) {
    try {
        Client c(port, 2s);
        auto r = c.get("/health");
        if (r.result_int() != 200) return -1;
        return nlohmann::json::parse(r.body())["events"].get<long>();
    } catch (const std::exception&) {
        return -1;
    }
}

bool wait_for_events(std::uint16_t port, long want, std::chrono::seconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (health_events(port) == want) return true;
        std::this_thread::sleep_for(100ms);
    }
    return false;
}

TEST(ApiCli, ServesAStoreWithNoConfigAndFollowsTheWriter) {
    test::TempDir dir;
    const std::string path = (dir / "store").string();
    test::EventGenerator gen(5);
    {
        Store store = Store::init(path, StoreVariant::bigbrotr);
        insert(store, gen, 120);
    }
    const std::uint16_t port = test::pick_free_port();
    BrotrProcess api({"api", "--store", path, "--listen", "127.0.0.1:" + std::to_string(port)}, dir / "api.log");
    ASSERT_TRUE(api.wait_for_log("api: listening", 30s)) << api.log();
    EXPECT_TRUE(wait_for_events(port, 120, 10s)) << api.log();
    {
        Client c(port);
        auto events = nlohmann::json::parse(c.get("/v1/events?limit=5").body());
        EXPECT_EQ(events["events"].size(), 5u);
        EXPECT_FALSE(events["next"].is_null());
    }
    // A writer beside it: the API sees the new events once it catches up.
    {
        Store writer = Store::open(path);
        insert(writer, gen, 30);
        EXPECT_TRUE(wait_for_events(port, 150, 20s)) << api.log();
    }
    api.signal(SIGTERM);
    EXPECT_EQ(api.wait(30s), 0) << api.log();
    EXPECT_NE(api.log().find("api: cycle_completed"), std::string::npos) << api.log();
}

TEST(ApiCli, ANonLoopbackHostNeedsABearerTokenFromTheEnvironment) {
    test::TempDir dir;
    const std::string path = (dir / "store").string();
    Store::init(path, StoreVariant::bigbrotr);
    const std::uint16_t port = test::pick_free_port();
    const std::string listen = "0.0.0.0:" + std::to_string(port);
    ::unsetenv("BROTR_API_TOKEN");
    auto refused = test::run_command({test::brotr_bin().string(), "api", "--store", path, "--listen", listen});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_NE(refused.err.find("BROTR_API_TOKEN"), std::string::npos) << refused.err;

    ::setenv("BROTR_API_TOKEN", "tok-7f3a9c", 1);
    BrotrProcess api({"api", "--store", path, "--listen", listen}, dir / "api.log");
    ::unsetenv("BROTR_API_TOKEN");
    ASSERT_TRUE(api.wait_for_log("api: listening", 30s)) << api.log();
    Client c(port);
    EXPECT_EQ(c.get("/health").result_int(), 401);
    EXPECT_EQ(c.get("/health", "Authorization: Bearer tok-7f3a9c\r\n").result_int(), 200);
    api.signal(SIGTERM);
    EXPECT_EQ(api.wait(30s), 0);
    EXPECT_EQ(api.log().find("tok-7f3a9c"), std::string::npos) << "the token must never be logged";
}

TEST(ApiCli, StartUpErrorsAreClear) {
    test::TempDir dir;
    auto missing = test::run_command({test::brotr_bin().string(), "api", "--store", (dir / "none").string(),
                                      "--listen", "127.0.0.1:1"});
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("cannot open the store"), std::string::npos) << missing.err;
    auto bad = test::run_command({test::brotr_bin().string(), "api", "--listen", "nowhere"});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("expected HOST:PORT"), std::string::npos) << bad.err;

    // A port already taken: the server cannot listen and says where.
    const std::string path = (dir / "store").string();
    Store::init(path, StoreVariant::bigbrotr);
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const std::string where = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
    auto busy = test::run_command({test::brotr_bin().string(), "api", "--store", path, "--listen", where});
    EXPECT_NE(busy.exit_code, 0);
    EXPECT_NE((busy.out + busy.err).find("cannot listen on " + where), std::string::npos) << busy.err;
}

TEST(ApiCli, BrotrRunStartsTheApiWhenApiYamlEnablesIt) {
    test::TempDir dir;
    const auto root = dir.path() / "impl";
    std::filesystem::create_directories(root / "services");
    const std::uint16_t port = test::pick_free_port();
    test::write_file(root / "brotr.yaml", "store:\n  path: store\n");
    test::write_file(root / "services" / "initializer.yaml", "seed:\n  enabled: false\n");
    // The finder, with no API to reach, scans the stored events and records
    // how far it read, which /health then shows.
    {
        Store store = Store::init((root / "store").string(), StoreVariant::bigbrotr);
        test::EventGenerator gen(9);
        insert(store, gen, 20);
    }
    test::write_file(root / "services" / "finder.yaml", "interval: 3600\napi:\n  sources: []\n");
    for (const char* off : {"monitor", "synchronizer"})
        test::write_file(root / "services" / (std::string(off) + ".yaml"), "enabled: false\n");
    test::write_file(root / "services" / "api.yaml", "enabled: true\nport: " + std::to_string(port) + "\n");
    BrotrProcess run({"run", "--config", root.string()}, dir / "run.log");
    ASSERT_TRUE(run.wait_for_log("api: listening", 30s)) << run.log();
    ASSERT_TRUE(run.wait_for_log("finder: cycle_completed", 30s)) << run.log();
    Client c(port);
    auto health = nlohmann::json::parse(c.get("/health").body());
    EXPECT_EQ(health["status"], "ok");
    EXPECT_EQ(health["events"], 20);
    EXPECT_TRUE(health["services"].contains("finder")) << health.dump();

    // /metrics: what ran shows, and Prometheus's own linter accepts the text.
    auto metrics = c.get("/metrics");
    EXPECT_EQ(metrics.result_int(), 200);
    EXPECT_EQ(metrics[boost::beast::http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
    const std::string text = metrics.body();
    EXPECT_NE(text.find("brotr_build_info{version=\""), std::string::npos) << text;
    EXPECT_NE(text.find("brotr_service_cycles_total{service=\"finder\",result=\"ok\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("brotr_api_requests_total{route=\"/health\",code=\"200\"} 1"), std::string::npos) << text;
    EXPECT_NE(text.find("brotr_store_events 20"), std::string::npos) << text;
    test::write_file(dir / "metrics.txt", text);
    auto lint = test::run_command({"/bin/sh", "-c", "promtool check metrics < " + (dir / "metrics.txt").string()});
    EXPECT_EQ(lint.exit_code, 0) << "promtool (Debian package prometheus, installed by tools/setup.sh --test): "
                                 << lint.out << lint.err;
    run.signal(SIGTERM);
    EXPECT_EQ(run.wait(30s), 0) << run.log();
}

}  // namespace
}  // namespace brotr
