// The real-relay test peer itself (tests/peers/relay.mjs and its helpers):
// what other tests rely on it for. Events are signed by nostr-tools and
// checked by brotr, so each side checks the other.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "brotr/hex.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;

namespace {

class RelayPeerTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    }
    test::TempDir dir_;
};

net::QueryResult query(const test::RelayPeer& relay, const brotr::Filter& filter) {
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    return test::run_async<net::QueryResult>([&](asio::any_io_executor ex) -> asio::awaitable<net::QueryResult> {
        auto session = co_await net::RelaySession::connect(ex, *brotr::RelayUrl::parse(relay.url()), o);
        co_return co_await session.query(filter);
    });
}

TEST_F(RelayPeerTest, GeneratedEventsFollowTheRequestedShapeAndVerify) {
    const std::string secret(64, '1');
    test::generate_events({.count = 12,
                           .start = 1700000500,
                           .per_second = 4,
                           .kind = 30023,
                           .secret_hex = secret,
                           .content = "post",
                           .tags = {{"d", "slug"}, {"t", "nostr"}}},
                          dir_ / "events.jsonl");
    auto lines = test::read_lines(dir_ / "events.jsonl");
    ASSERT_EQ(lines.size(), 12u);
    std::string pubkey;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        auto parsed = brotr::parse_event(lines[i]);
        ASSERT_TRUE(parsed.event) << lines[i];
        const auto& e = *parsed.event;
        EXPECT_EQ(brotr::check_event(e), brotr::EventError::ok) << lines[i];
        EXPECT_EQ(e.created_at, 1700000500 + static_cast<std::int64_t>(i / 4));
        EXPECT_EQ(e.kind, 30023);
        EXPECT_EQ(e.content, "post #" + std::to_string(i));
        EXPECT_EQ(e.tags, (brotr::Tags{{"d", "slug"}, {"t", "nostr"}}));
        if (i == 0) pubkey = brotr::to_hex(e.pubkey);
        EXPECT_EQ(brotr::to_hex(e.pubkey), pubkey) << "one key for the whole file";
    }
    // Same secret, same key.
    test::generate_events({.count = 1, .secret_hex = secret}, dir_ / "again.jsonl");
    EXPECT_EQ(brotr::to_hex(brotr::parse_event(test::read_lines(dir_ / "again.jsonl")[0]).event->pubkey), pubkey);
}

TEST_F(RelayPeerTest, LoadedEventsAreServedAndSurviveARestartOnTheSamePort) {
    test::generate_events({.count = 300, .start = 1700000000, .per_second = 30}, dir_ / "first.jsonl");
    test::generate_events({.count = 200, .start = 1700001000, .per_second = 200}, dir_ / "second.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "first.jsonl"});
    EXPECT_EQ(query(relay, brotr::Filter{.limit = 5000}).events.size(), 300u);

    // Loading while it runs, with duplicates counted apart.
    EXPECT_EQ(relay.load_events(dir_ / "second.jsonl"), 200u);
    EXPECT_EQ(relay.load_events(dir_ / "second.jsonl"), 0u);
    auto all = query(relay, brotr::Filter{.limit = 5000});
    EXPECT_EQ(all.events.size(), 500u);
    auto one_second = query(relay, brotr::Filter{.since = 1700001000, .until = 1700001000, .limit = 1000});
    EXPECT_EQ(one_second.events.size(), 200u) << "200 events in one second";
    // Without a limit the relay applies its default of 100.
    EXPECT_EQ(query(relay, brotr::Filter{.since = 1700001000, .until = 1700001000}).events.size(), 100u);

    const auto port = relay.port();
    relay.stop();
    EXPECT_FALSE(relay.running());
    relay.start();
    EXPECT_EQ(relay.port(), port);
    EXPECT_EQ(query(relay, brotr::Filter{.limit = 5000}).events.size(), 500u);
}

TEST_F(RelayPeerTest, BadInputToTheHelpersFailsWithAMessage) {
    auto peers = *test::peers_dir();
    auto bad_port = test::run_command({"node", (peers / "relay.mjs").string(), "--port", "99999"});
    EXPECT_EQ(bad_port.exit_code, 1);
    EXPECT_NE(bad_port.err.find("invalid port"), std::string::npos) << bad_port.err;
    auto unknown = test::run_command({"node", (peers / "relay.mjs").string(), "--frobnicate"});
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.err.find("unknown option"), std::string::npos) << unknown.err;

    test::write_file(dir_ / "broken.jsonl", "\nnot json\n");
    auto load = test::run_command(
        {"node", (peers / "load-events.mjs").string(), "--db", (dir_ / "r.sqlite").string(), (dir_ / "broken.jsonl").string()});
    EXPECT_EQ(load.exit_code, 1);
    EXPECT_NE(load.err.find(":2:"), std::string::npos) << "names the line: " << load.err;

    auto gen = test::run_command({"node", (peers / "gen-events.mjs").string(), "--count", "-1"});
    EXPECT_EQ(gen.exit_code, 1);
    EXPECT_NE(gen.err.find("--count"), std::string::npos) << gen.err;
}

}  // namespace
