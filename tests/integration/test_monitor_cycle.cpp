// Whole monitor cycles over a store: relays of every kind in one cycle,
// concurrency and batching, Tor relays without Tor, and publishing the
// results as NIP-66 events to a relay.
#include <gtest/gtest.h>

#include <boost/asio/this_coro.hpp>

#include "brotr/hex.hpp"
#include "net/relay_session.hpp"
#include "services/nip66_publish.hpp"
#include "support/relay_peer.hpp"
#include "test_monitor_util.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace brotr::test {
namespace {

class MonitorCycle : public ::testing::Test {
protected:
    void SetUp() override {
        if (!RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
        store_.emplace(Store::init((dir_ / "store").string(), StoreVariant::bigbrotr));
    }

    void add(const std::string& url) { store_->insert_relay(relay_url(url), 1); }

    std::optional<StoredSnapshot> latest(const std::string& url) {
        return store_->latest_metadata(relay_url(url).str());
    }

    std::vector<Event> events_on(const std::string& url, std::uint16_t kind) {
        net::SessionOptions options;
        options.websocket.connect.address_policy = loopback_policy();
        options.request_timeout = 10s;
        brotr::Filter filter;
        filter.kinds = std::vector<std::uint16_t>{kind};
        filter.limit = 100;
        const RelayUrl relay = relay_url(url);
        return run_async<std::vector<Event>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<Event>> {
            auto session = co_await net::RelaySession::connect(ex, relay, options);
            net::QueryResult r = co_await session.query(filter);
            co_await session.close();
            co_return r.events;
        });
    }

    TempDir dir_;
    std::optional<Store> store_;
};

TEST_F(MonitorCycle, EveryKindOfRelayInOneCycle) {
    RelayPeer good;
    RelayPeer read_only({.reject_writes = true});
    FakeServer silent([](FakePeer& peer) { peer.stall(60s); });
    const std::string closed = "ws://127.0.0.1:" + std::to_string(pick_free_port());
    for (const std::string& url : {good.url(), read_only.url(), silent.ws_url(), closed}) add(url);

    MonitorConfig config = loopback_monitor_config();
    config.concurrency.max_parallel = 4;
    config.concurrency.batch_size = 1;
    services::MonitorOptions options;
    options.keys = fresh_monitor_keys();
    options.clearnet_timeout = 2s;
    services::Monitor monitor(*store_, config, loopback_policy(), options);
    runtime::CycleReport report = run_monitor_cycle(monitor);

    services::MonitorCycleStats stats = monitor.last_cycle();
    EXPECT_EQ(stats.due, 4u);
    EXPECT_EQ(stats.checked, 4u);
    EXPECT_EQ(stats.snapshots, 4u);
    EXPECT_EQ(stats.openable, 2u);
    EXPECT_EQ(stats.readable, 2u);
    EXPECT_EQ(stats.writable, 1u);
    EXPECT_EQ(stats.nip11, 2u);
    EXPECT_FALSE(stats.interrupted);

    auto good_snapshot = latest(good.url());
    ASSERT_TRUE(good_snapshot && good_snapshot->nip66 && good_snapshot->nip11);
    EXPECT_TRUE(good_snapshot->nip66->writable);
    auto read_only_snapshot = latest(read_only.url());
    ASSERT_TRUE(read_only_snapshot && read_only_snapshot->nip66);
    EXPECT_TRUE(read_only_snapshot->nip66->readable);
    EXPECT_FALSE(read_only_snapshot->nip66->writable);
    for (const std::string& url : {silent.ws_url(), closed}) {
        auto s = latest(url);
        ASSERT_TRUE(s && s->nip66) << url;
        EXPECT_FALSE(s->nip66->openable) << url;
        EXPECT_FALSE(s->nip11) << url;
    }
    // The cycle's report carries the counts the runner logs.
    bool has_checked = false;
    for (const auto& [key, value] : report.fields) has_checked = has_checked || (key == "checked" && value == "4");
    EXPECT_TRUE(has_checked);
}

TEST_F(MonitorCycle, SameResultsWithOneWorkerAndLargeBatches) {
    RelayPeer a, b;
    add(a.url());
    add(b.url());
    MonitorConfig config = loopback_monitor_config();
    config.concurrency.max_parallel = 1;
    config.concurrency.batch_size = 500;
    services::MonitorOptions options;
    options.keys = no_monitor_keys();
    options.clearnet_timeout = 5s;
    services::Monitor monitor(*store_, config, loopback_policy(), options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().snapshots, 2u);
    for (const std::string& url : {a.url(), b.url()}) {
        auto s = latest(url);
        ASSERT_TRUE(s && s->nip66);
        EXPECT_TRUE(s->nip66->readable);
        EXPECT_FALSE(s->nip66->writable);  // no keys
        EXPECT_FALSE(s->nip66->rtt_write);
    }
    // The same NIP-11 document from two relays is stored once (content-addressed).
    auto sa = latest(a.url());
    auto sb = latest(b.url());
    EXPECT_EQ(sa->nip11_id, sb->nip11_id);
    EXPECT_EQ(store_->summary().nip11, 1u);
}

TEST_F(MonitorCycle, OnionRelaysAreSkippedWhenTorIsDisabled) {
    add("ws://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion");
    services::MonitorOptions options;
    options.keys = no_monitor_keys();
    services::Monitor monitor(*store_, loopback_monitor_config(), loopback_policy(), options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().tor_skipped, 1u);
    EXPECT_EQ(monitor.last_cycle().due, 0u);
    EXPECT_EQ(store_->summary().relay_metadata, 0u);
}

TEST_F(MonitorCycle, OnionRelaysGoThroughTheProxyWhenTorIsEnabled) {
    // A SOCKS5 "proxy" that refuses everything: the relay is tested through
    // it and found closed, without any direct connection attempt.
    FakeServer proxy([](FakePeer& peer) {
        std::string greeting = peer.read_some();
        if (greeting.size() >= 2 && greeting[0] == 0x05) {
            peer.write_raw(std::string("\x05\x00", 2));  // no authentication
            peer.read_some();                           // CONNECT request
            peer.write_raw(std::string("\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00", 10));  // connection refused
        }
    });
    const std::string onion = "ws://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    add(onion);
    MonitorConfig config = loopback_monitor_config();
    config.tor.enabled = true;
    config.tor.host = "127.0.0.1";
    config.tor.port = proxy.port();
    services::MonitorOptions options;
    options.keys = no_monitor_keys();
    options.tor_timeout = 3s;
    services::Monitor monitor(*store_, config, loopback_policy(), options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().checked, 1u);
    EXPECT_GE(proxy.connections(), 1u);
    auto s = latest(onion);
    ASSERT_TRUE(s && s->nip66);
    EXPECT_FALSE(s->nip66->openable);
}

TEST_F(MonitorCycle, ResultsArePublishedAsNip66Events) {
    RelayPeer checked({.nip11_json = R"({"supported_nips":[1,11],"limitation":{"auth_required":false}})"});
    RelayPeer publish_to;
    const std::string closed = "ws://127.0.0.1:" + std::to_string(pick_free_port());
    add(checked.url());
    add(closed);

    MonitorConfig config = loopback_monitor_config();
    config.interval = 1800;
    const services::MonitorKeys keys = fresh_monitor_keys();
    services::MonitorOptions options;
    options.keys = keys;
    options.clearnet_timeout = 5s;
    options.publish_relays = {relay_url(publish_to.url())};
    services::Monitor monitor(*store_, config, loopback_policy(), options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().published, 2u);  // one discovery event (online relay only) + the announcement
    EXPECT_EQ(monitor.last_cycle().publish_accepted, 2u);

    std::vector<Event> discovery = events_on(publish_to.url(), 30166);
    ASSERT_EQ(discovery.size(), 1u);
    const Event& d = discovery[0];
    EXPECT_EQ(check_event(d), EventError::ok);
    EXPECT_EQ(d.pubkey, keys.public_key);
    auto has = [&](const Event& e, const Tag& tag) { return std::find(e.tags.begin(), e.tags.end(), tag) != e.tags.end(); };
    EXPECT_TRUE(has(d, {"d", relay_url(checked.url()).str()}));
    EXPECT_TRUE(has(d, {"n", "clearnet"}));
    EXPECT_TRUE(has(d, {"N", "1"}));
    EXPECT_TRUE(has(d, {"N", "11"}));
    EXPECT_TRUE(has(d, {"R", "!auth"}));
    auto snapshot = latest(checked.url());
    ASSERT_TRUE(snapshot && snapshot->nip66);
    EXPECT_TRUE(has(d, {"rtt-open", std::to_string(*snapshot->nip66->rtt_open)}));
    EXPECT_TRUE(has(d, {"rtt-read", std::to_string(*snapshot->nip66->rtt_read)}));
    EXPECT_TRUE(has(d, {"rtt-write", std::to_string(*snapshot->nip66->rtt_write)}));
    EXPECT_NE(d.content.find("\"supported_nips\""), std::string::npos);

    std::vector<Event> announcements = events_on(publish_to.url(), 10166);
    ASSERT_EQ(announcements.size(), 1u);
    EXPECT_EQ(announcements[0].pubkey, keys.public_key);
    EXPECT_TRUE(has(announcements[0], {"frequency", "1800"}));
    EXPECT_TRUE(has(announcements[0], {"c", "write"}));
}

TEST_F(MonitorCycle, UnreachablePublishRelayDoesNotFailTheCycle) {
    RelayPeer checked;
    add(checked.url());
    services::MonitorOptions options;
    options.keys = fresh_monitor_keys();
    options.clearnet_timeout = 3s;
    options.publish_relays = {relay_url("ws://127.0.0.1:" + std::to_string(pick_free_port()))};
    services::Monitor monitor(*store_, loopback_monitor_config(), loopback_policy(), options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().snapshots, 1u);
    EXPECT_EQ(monitor.last_cycle().published, 2u);
    EXPECT_EQ(monitor.last_cycle().publish_accepted, 0u);
}

TEST_F(MonitorCycle, ShutdownBeforeTheCycleChecksNothing) {
    RelayPeer relay;
    add(relay.url());
    services::MonitorOptions options;
    options.keys = no_monitor_keys();
    services::Monitor monitor(*store_, loopback_monitor_config(), loopback_policy(), options);
    runtime::Shutdown shutdown;
    shutdown.request();
    run_async<runtime::CycleReport>([&](asio::any_io_executor) -> asio::awaitable<runtime::CycleReport> {
        co_return co_await monitor.run_cycle(shutdown);
    });
    EXPECT_EQ(monitor.last_cycle().due, 1u);
    EXPECT_EQ(monitor.last_cycle().checked, 0u);
    EXPECT_TRUE(monitor.last_cycle().interrupted);
}

}  // namespace
}  // namespace brotr::test
