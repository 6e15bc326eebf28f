// RelaySession against the real relay (tests/peers/relay.mjs: the
// third-party @nostr-relay packages), with events signed by nostr-tools.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "brotr/hex.hpp"
#include "brotr/keys.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"

using namespace std::chrono_literals;
using brotr::Event;
using brotr::RelayUrl;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;

namespace {

net::SessionOptions loopback_options() {
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.websocket.connect.set_timeouts(10s);
    o.request_timeout = 20s;
    return o;
}

RelayUrl url_of(const std::string& text) {
    auto url = RelayUrl::parse(text);
    if (!url) throw std::runtime_error("bad test URL " + text);
    return *url;
}

std::vector<Event> parse_jsonl(const std::filesystem::path& file) {
    std::vector<Event> events;
    for (const auto& line : test::read_lines(file)) {
        auto parsed = brotr::parse_event(line);
        if (!parsed.event) throw std::runtime_error("generated event does not parse: " + line);
        events.push_back(*parsed.event);
    }
    return events;
}

std::vector<std::string> sorted_ids(const std::vector<Event>& events) {
    std::vector<std::string> ids;
    for (const auto& e : events) ids.push_back(brotr::to_hex(e.id));
    std::sort(ids.begin(), ids.end());
    return ids;
}

class RealRelaySession : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    }
    test::TempDir dir_;
};

TEST_F(RealRelaySession, PublishesEventsThenQueriesThemBackUntilEose) {
    test::RelayPeer relay;
    test::generate_events({.count = 25, .start = 1700000000, .per_second = 5}, dir_ / "events.jsonl");
    const auto events = parse_jsonl(dir_ / "events.jsonl");

    // Filters are built outside the coroutines: GCC 12 miscompiles braced
    // lists inside a co_await expression ("array used as initializer").
    const brotr::Filter kind1{.kinds = std::vector<std::uint16_t>{1}, .limit = 100};
    struct Outcome {
        std::vector<net::PublishResult> published;
        net::QueryResult all;
        net::QueryResult window;
        bool compressed = false;
        net::ConnectTimings timings;
    };
    auto outcome = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome o;
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        for (const auto& e : events) o.published.push_back(co_await session.publish(e));
        o.all = co_await session.query(kind1);
        // created_at 1700000001..1700000002 holds events 5..14.
        o.window = co_await session.query(brotr::Filter{.since = 1700000001, .until = 1700000002});
        o.compressed = session.compressed();
        o.timings = session.connect_timings();
        co_await session.close();
        co_return o;
    });

    ASSERT_EQ(outcome.published.size(), events.size());
    for (const auto& p : outcome.published) {
        EXPECT_EQ(p.status, net::PublishStatus::accepted) << p.message;
        EXPECT_TRUE(p.rtt.has_value());
    }
    EXPECT_EQ(outcome.all.end, net::QueryEnd::eose);
    EXPECT_TRUE(outcome.all.first_reply.has_value());
    EXPECT_EQ(outcome.all.drops.total(), 0u) << outcome.all.drops.summary();
    EXPECT_EQ(sorted_ids(outcome.all.events), sorted_ids(events));
    // The events come back byte-for-byte equal to what nostr-tools signed.
    for (const auto& e : outcome.all.events) {
        EXPECT_NE(std::find(events.begin(), events.end(), e), events.end());
    }
    EXPECT_EQ(outcome.window.end, net::QueryEnd::eose);
    std::vector<Event> expected_window(events.begin() + 5, events.begin() + 15);
    EXPECT_EQ(sorted_ids(outcome.window.events), sorted_ids(expected_window));
    EXPECT_TRUE(outcome.compressed) << "the relay offers permessage-deflate";
    EXPECT_GT(outcome.timings.total().count(), 0);
}

TEST_F(RealRelaySession, RelayCapsAnswersAtOneThousandNewestFirst) {
    test::generate_events({.count = 1500, .start = 1700000000, .per_second = 100}, dir_ / "events.jsonl");
    test::RelayPeer relay({.load_jsonl = dir_ / "events.jsonl"});
    auto result = test::run_async<net::QueryResult>([&](asio::any_io_executor ex) -> asio::awaitable<net::QueryResult> {
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        co_return co_await session.query(brotr::Filter{.limit = 5000});
    });
    EXPECT_EQ(result.end, net::QueryEnd::eose);
    ASSERT_EQ(result.events.size(), 1000u);
    EXPECT_EQ(result.drops.total(), 0u) << result.drops.summary();
    EXPECT_TRUE(std::is_sorted(result.events.begin(), result.events.end(),
                               [](const Event& a, const Event& b) { return a.created_at > b.created_at; }));
    EXPECT_EQ(result.events.front().created_at, 1700000014);
}

TEST_F(RealRelaySession, DuplicatePublishIsAcceptedWithADuplicateMessage) {
    test::RelayPeer relay;
    Event e = test::make_signed_event(7, 1700000000, 1, "once");
    auto results = test::run_async<std::vector<net::PublishResult>>(
        [&](asio::any_io_executor ex) -> asio::awaitable<std::vector<net::PublishResult>> {
            auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
            std::vector<net::PublishResult> r;
            r.push_back(co_await session.publish(e));
            r.push_back(co_await session.publish(e));
            co_return r;
        });
    ASSERT_EQ(results.size(), 2u);
    EXPECT_EQ(results[0].status, net::PublishStatus::accepted) << results[0].message;
    EXPECT_EQ(results[1].status, net::PublishStatus::accepted);
    EXPECT_TRUE(results[1].message.starts_with("duplicate:")) << results[1].message;
}

TEST_F(RealRelaySession, RelayRejectingWritesAnswersOkFalse) {
    test::RelayPeer relay({.reject_writes = true});
    Event e = test::make_signed_event(7, 1700000000);
    auto result = test::run_async<net::PublishResult>([&](asio::any_io_executor ex) -> asio::awaitable<net::PublishResult> {
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        co_return co_await session.publish(e);
    });
    EXPECT_EQ(result.status, net::PublishStatus::rejected);
    EXPECT_TRUE(result.message.starts_with("blocked:")) << result.message;
    EXPECT_TRUE(result.rtt.has_value());
}

TEST_F(RealRelaySession, ProofOfWorkRequirementRejectsAnEventWithout) {
    test::RelayPeer relay({.min_pow = 8});
    Event e = test::make_signed_event(7, 1700000000);
    // An id whose first byte is zero would meet 8 bits: re-sign until not.
    for (int i = 0; e.id[0] == 0; ++i) e = test::make_signed_event(7, 1700000000, 1, "try " + std::to_string(i));
    auto result = test::run_async<net::PublishResult>([&](asio::any_io_executor ex) -> asio::awaitable<net::PublishResult> {
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        co_return co_await session.publish(e);
    });
    EXPECT_EQ(result.status, net::PublishStatus::rejected);
    EXPECT_TRUE(result.message.starts_with("pow:")) << result.message;
}

TEST_F(RealRelaySession, AuthChallengeWithoutKeysIsNotedAndQueriesStillWork) {
    test::RelayPeer relay({.auth_hostname = "127.0.0.1"});
    const brotr::Filter notes{.kinds = std::vector<std::uint16_t>{1}, .limit = 10};
    const brotr::Filter direct_messages{.kinds = std::vector<std::uint16_t>{4}, .limit = 10};
    struct Outcome {
        net::AuthState auth = net::AuthState::none;
        net::QueryResult notes;
        net::QueryResult direct_messages;
    };
    auto o = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome out;
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        out.auth = co_await session.wait_for_auth(5s);
        out.notes = co_await session.query(notes);
        out.direct_messages = co_await session.query(direct_messages);
        co_return out;
    });
    EXPECT_EQ(o.auth, net::AuthState::unanswered);
    EXPECT_EQ(o.notes.end, net::QueryEnd::eose);
    EXPECT_EQ(o.direct_messages.end, net::QueryEnd::closed);
    EXPECT_TRUE(o.direct_messages.message.starts_with("restricted:")) << o.direct_messages.message;
}

TEST_F(RealRelaySession, AuthChallengeIsAnsweredWithConfiguredKeys) {
    test::RelayPeer relay({.auth_hostname = "127.0.0.1"});
    auto options = loopback_options();
    options.auth_signer = net::signer_for(brotr::generate_secret_key());
    const brotr::Filter direct_messages{.kinds = std::vector<std::uint16_t>{4}, .limit = 10};
    struct Outcome {
        net::AuthState auth = net::AuthState::none;
        net::QueryResult direct_messages;
    };
    auto o = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome out;
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), options);
        out.direct_messages = co_await session.query(direct_messages);
        out.auth = session.auth_state();
        co_return out;
    });
    EXPECT_EQ(o.auth, net::AuthState::authenticated);
    EXPECT_EQ(o.direct_messages.end, net::QueryEnd::eose) << o.direct_messages.message;
}

TEST_F(RealRelaySession, SignerThatCannotSignLeavesTheSessionUnauthenticatedWithoutHanging) {
    test::RelayPeer relay({.auth_hostname = "127.0.0.1"});
    auto options = loopback_options();
    options.auth_signer = net::signer_for(brotr::Bytes32{});  // zero is not a valid secret key
    const brotr::Filter direct_messages{.kinds = std::vector<std::uint16_t>{4}, .limit = 10};
    struct Outcome {
        net::AuthState auth = net::AuthState::none;
        net::QueryResult direct_messages;
    };
    auto o = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome out;
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), options);
        out.auth = co_await session.wait_for_auth(5s);
        out.direct_messages = co_await session.query(direct_messages);
        co_return out;
    });
    EXPECT_EQ(o.auth, net::AuthState::rejected);
    EXPECT_EQ(o.direct_messages.end, net::QueryEnd::closed);
}

TEST_F(RealRelaySession, RelayGoingAwayEndsPendingAndLaterQueriesAsDisconnected) {
    test::RelayPeer relay;
    struct Outcome {
        net::QueryResult before;
        net::QueryResult after;
        bool connected_after = true;
    };
    auto o = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome out;
        auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), loopback_options());
        out.before = co_await session.query(brotr::Filter{.limit = 1});
        relay.stop();
        out.after = co_await session.query(brotr::Filter{.limit = 1});
        out.connected_after = session.connected();
        co_return out;
    });
    EXPECT_EQ(o.before.end, net::QueryEnd::eose);
    EXPECT_EQ(o.after.end, net::QueryEnd::disconnected);
    EXPECT_FALSE(o.connected_after);
}

TEST_F(RealRelaySession, ConnectingToAStoppedRelayFailsWithConnect) {
    test::RelayPeer relay;
    const std::string url = relay.url();
    relay.stop();
    try {
        test::run_async<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
            auto session = co_await net::RelaySession::connect(ex, url_of(url), loopback_options());
            co_return 0;
        });
        FAIL() << "connected to a stopped relay";
    } catch (const net::NetError& e) {
        EXPECT_EQ(e.failure(), net::Failure::connect) << e.what();
    }
}

TEST_F(RealRelaySession, LoopbackRelayIsRefusedUnderTheDefaultAddressPolicy) {
    test::RelayPeer relay;
    auto options = loopback_options();
    options.websocket.connect.address_policy = brotr::AddressPolicy{};
    try {
        test::run_async<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
            auto session = co_await net::RelaySession::connect(ex, url_of(relay.url()), options);
            co_return 0;
        });
        FAIL() << "connected to loopback under the default policy";
    } catch (const net::NetError& e) {
        EXPECT_EQ(e.failure(), net::Failure::address_refused) << e.what();
    }
}

}  // namespace
