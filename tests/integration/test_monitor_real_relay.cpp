// The monitor against the real relay of the sync tests (tests/peers/relay.mjs):
// NIP-11 fields round-trip into the store, the NIP-66 tests pass with
// round-trip times, and the write test's event is on the relay afterwards.
#include <gtest/gtest.h>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>

#include "brotr/hex.hpp"
#include "net/relay_session.hpp"
#include "services/monitor_check.hpp"
#include "services/nip11_document.hpp"
#include "support/relay_peer.hpp"
#include "test_monitor_util.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace brotr::test {
namespace {

class MonitorRealRelay : public ::testing::Test {
protected:
    void SetUp() override {
        if (!RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    }

    services::RelayCheck check(const std::string& url, std::optional<services::MonitorKeys> keys,
                               std::chrono::milliseconds timeout = 10s) {
        services::RelayCheckOptions options;
        options.connect.address_policy = loopback_policy();
        options.timeout = timeout;
        options.budget = 2 * timeout;
        if (keys && keys->secret) {
            services::WriteTestSigning signing;
            signing.secret = *keys->secret;
            signing.mining_pool = &mining_pool_;
            options.signing = signing;
        }
        const RelayUrl relay = relay_url(url);
        return run_async<services::RelayCheck>([&](asio::any_io_executor ex) {
            return services::check_relay(ex, relay, options, 1700000000);
        });
    }

    asio::thread_pool mining_pool_{1};

    // Events of `kind` by `author` on the relay, each with its verification result.
    std::vector<Event> events_on(const std::string& url, std::uint16_t kind, const Bytes32& author) {
        net::SessionOptions options;
        options.websocket.connect.address_policy = loopback_policy();
        options.request_timeout = 10s;
        brotr::Filter filter;
        filter.kinds = std::vector<std::uint16_t>{kind};
        filter.authors = std::vector<Bytes32>{author};
        filter.limit = 50;
        const RelayUrl relay = relay_url(url);
        return run_async<std::vector<Event>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<Event>> {
            auto session = co_await net::RelaySession::connect(ex, relay, options);
            net::QueryResult r = co_await session.query(filter);
            co_await session.close();
            co_return r.events;
        });
    }

    TempDir dir_;
};

TEST_F(MonitorRealRelay, Nip11FieldsAndLivenessRoundTripIntoTheStore) {
    const std::string nip11 = R"({"name":"monitor test","description":"for brotr","pubkey":"abcd","contact":"ops@x",
        "supported_nips":[1,11,"42"],"limitation":{"max_limit":100,"auth_required":false},
        "relay_countries":["DE","CA"],"posting_policy":"https://example.org/policy","icon":7})";
    RelayPeer relay({.nip11_json = nip11});
    Store store = Store::init((dir_ / "store").string(), StoreVariant::bigbrotr);
    ASSERT_TRUE(store.insert_relay(relay_url(relay.url()), 1));

    const services::MonitorKeys keys = fresh_monitor_keys();
    services::MonitorOptions options;
    options.keys = keys;
    options.clearnet_timeout = 10s;
    services::Monitor monitor(store, loopback_monitor_config(), loopback_policy(), options);
    ASSERT_TRUE(monitor.write_test_enabled());
    run_monitor_cycle(monitor);

    services::MonitorCycleStats stats = monitor.last_cycle();
    EXPECT_EQ(stats.due, 1u);
    EXPECT_EQ(stats.checked, 1u);
    EXPECT_EQ(stats.snapshots, 1u);

    auto snapshot = store.latest_metadata(relay_url(relay.url()).str());
    ASSERT_TRUE(snapshot);
    ASSERT_TRUE(snapshot->nip11);
    const Nip11& doc = *snapshot->nip11;
    EXPECT_EQ(doc.name, "monitor test");
    EXPECT_EQ(doc.description, "for brotr");
    EXPECT_EQ(doc.pubkey, "abcd");
    EXPECT_EQ(doc.contact, "ops@x");
    EXPECT_EQ(doc.software, "https://github.com/CodyTseng/nostr-relay");  // the peer's own fields stay
    EXPECT_EQ(doc.version, "0.0.40");
    EXPECT_EQ(doc.supported_nips, R"([1, 11, "42"])");
    EXPECT_EQ(doc.limitation, R"({"max_limit": 100, "auth_required": false})");
    EXPECT_FALSE(doc.icon);  // a number where a string belongs
    EXPECT_EQ(doc.extra_fields,
              R"({"posting_policy": "https://example.org/policy", "relay_countries": ["DE", "CA"]})");
    EXPECT_EQ(snapshot->nip11_id, compute_nip11_id(doc));

    ASSERT_TRUE(snapshot->nip66);
    const Nip66& live = *snapshot->nip66;
    EXPECT_TRUE(live.openable);
    EXPECT_TRUE(live.readable);
    EXPECT_TRUE(live.writable);
    ASSERT_TRUE(live.rtt_open && live.rtt_read && live.rtt_write);
    EXPECT_GT(*live.rtt_open, 0);
    EXPECT_GT(*live.rtt_read, 0);
    EXPECT_GT(*live.rtt_write, 0);

    // The write test's event is on the relay, signed by the monitor's key.
    std::vector<Event> written = events_on(relay.url(), 30166, keys.public_key);
    ASSERT_EQ(written.size(), 1u);
    EXPECT_EQ(check_event(written[0]), EventError::ok);
    EXPECT_EQ(written[0].tags, (Tags{{"d", relay_url(relay.url()).str()}}));
    EXPECT_EQ(written[0].content, "{}");

    // Checked just now: the next cycle has nothing to do.
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().due, 0u);
    EXPECT_EQ(store.metadata_history(relay_url(relay.url()).str()).size(), 1u);
    ASSERT_TRUE(store.get_service_state("monitor"));
}

TEST_F(MonitorRealRelay, ProofOfWorkRequiredByNip11IsMined) {
    RelayPeer relay({.min_pow = 10});
    services::RelayCheck result = check(relay.url(), fresh_monitor_keys());
    ASSERT_TRUE(result.metadata.nip11);
    EXPECT_EQ(services::min_pow_difficulty(*result.metadata.nip11), 10);
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->writable) << result.write_detail;
    ASSERT_TRUE(result.write_event);
    EXPECT_EQ(committed_pow_target(*result.write_event), 10);
    EXPECT_GE(pow_difficulty(result.write_event->id), 10);
    EXPECT_EQ(check_event(*result.write_event), EventError::ok);
}

TEST_F(MonitorRealRelay, DifficultyThatIsNotAnIntegerIsNotMined) {
    RelayPeer relay({.nip11_json = R"({"limitation":{"min_pow_difficulty":"16"}})"});
    services::RelayCheck result = check(relay.url(), fresh_monitor_keys());
    ASSERT_TRUE(result.write_event);
    EXPECT_FALSE(committed_pow_target(*result.write_event));
    EXPECT_TRUE(result.metadata.nip66->writable) << result.write_detail;
}

TEST_F(MonitorRealRelay, ImpossibleDifficultyEndsWithTheBudget) {
    RelayPeer relay({.nip11_json = R"({"limitation":{"min_pow_difficulty":200}})"});
    const auto started = std::chrono::steady_clock::now();
    services::RelayCheck result = check(relay.url(), fresh_monitor_keys(), 2s);
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->writable);
    EXPECT_FALSE(result.write_event);
    EXPECT_NE(result.write_detail.find("not found in time"), std::string::npos) << result.write_detail;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 30s);  // the 4 s budget, with slack
}

TEST_F(MonitorRealRelay, RejectedWritesMeanNotWritable) {
    RelayPeer relay({.reject_writes = true});
    services::RelayCheck result = check(relay.url(), fresh_monitor_keys());
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->openable);
    EXPECT_TRUE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->writable);
    EXPECT_FALSE(result.metadata.nip66->rtt_write);
    EXPECT_NE(result.write_detail.find("rejected"), std::string::npos) << result.write_detail;
    EXPECT_NE(result.write_detail.find("blocked"), std::string::npos) << result.write_detail;
}

TEST_F(MonitorRealRelay, WithoutKeysTheWriteTestIsSkippedNotFailed) {
    RelayPeer relay;
    services::RelayCheck result = check(relay.url(), std::nullopt);
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->openable);
    EXPECT_TRUE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->writable);
    EXPECT_FALSE(result.metadata.nip66->rtt_write);
    EXPECT_TRUE(result.write_skipped);
    EXPECT_FALSE(result.write_event);
}

TEST_F(MonitorRealRelay, ReadableWhenTheRelayHasEvents) {
    RelayPeer relay;
    generate_events({.count = 3}, dir_ / "events.jsonl");
    ASSERT_EQ(relay.load_events(dir_ / "events.jsonl"), 3u);
    services::RelayCheck result = check(relay.url(), std::nullopt);
    EXPECT_TRUE(result.metadata.nip66->readable);
    EXPECT_TRUE(result.metadata.nip66->rtt_read);
    EXPECT_NE(result.read_detail.find("eose"), std::string::npos);
}

TEST_F(MonitorRealRelay, LoopbackRelayIsNotTestedUnderTheDefaultSsrfRule) {
    RelayPeer relay;
    Store store = Store::init((dir_ / "store").string(), StoreVariant::bigbrotr);
    store.insert_relay(relay_url(relay.url()), 1);
    services::MonitorOptions options;
    options.keys = fresh_monitor_keys();
    services::Monitor monitor(store, loopback_monitor_config(), AddressPolicy{}, options);
    run_monitor_cycle(monitor);
    EXPECT_EQ(monitor.last_cycle().checked, 1u);
    EXPECT_EQ(monitor.last_cycle().not_tested, 1u);
    EXPECT_EQ(monitor.last_cycle().snapshots, 0u);
    EXPECT_FALSE(store.latest_metadata(relay_url(relay.url()).str()));
}

}  // namespace
}  // namespace brotr::test
