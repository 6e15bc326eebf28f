// RelaySession against in-process fake relays, for what real relays do not
// do: garbage, forged events, floods, oversized and compressed-bomb
// messages, stalls at each step. Each case must end counted, dropped or
// timed out within a bounded time: no crash, no hang.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "brotr/hex.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"

using namespace std::chrono_literals;
using namespace std::string_view_literals;
using brotr::Event;
using brotr::RelayUrl;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;
using net::DropReason;

namespace {

using Clock = std::chrono::steady_clock;

net::SessionOptions fast_options() {
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.websocket.connect.set_timeouts(2s);
    o.request_timeout = 5s;
    return o;
}

RelayUrl url_of(const std::string& text) { return *RelayUrl::parse(text); }

// A fake relay that accepts the WebSocket and answers every REQ with `reply`.
test::FakeServer::Handler answer_reqs(std::function<void(test::FakePeer&, const std::string&)> reply,
                                      bool deflate = false) {
    return [reply = std::move(reply), deflate](test::FakePeer& peer) {
        peer.accept_websocket(deflate);
        while (auto message = peer.read_message()) {
            std::string sub = test::req_subscription_id(*message);
            if (!sub.empty()) reply(peer, sub);
        }
    };
}

// Connects, runs one query, returns its result (and the session's stats).
struct Outcome {
    net::QueryResult result;
    net::SessionStats stats;
    bool connected_after = false;
    bool compressed = false;
    std::chrono::milliseconds elapsed{0};
};

Outcome query_once(const test::FakeServer& server, const brotr::Filter& filter, net::SessionOptions options = fast_options()) {
    auto start = Clock::now();
    Outcome run = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome r;
        auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), options);
        r.result = co_await session.query(filter);
        r.stats = session.stats();
        r.connected_after = session.connected();
        r.compressed = session.compressed();
        co_return r;
    }, 60s);
    run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
    return run;
}

const brotr::Filter kAnything{.limit = 100};

TEST(FakeRelay, GarbageFramesAreCountedAndDroppedAndGoodEventsStillArrive) {
    const Event good1 = test::make_signed_event(1, 1700000000, 1, "one");
    const Event good2 = test::make_signed_event(1, 1700000001, 1, "two");
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        peer.send_text("not json at all");
        peer.send_text("[\"EVENT\",");                     // truncated
        peer.send_text("{\"EVENT\":1}");                    // not an array
        peer.send_text("[\"EVENT\",\"" + sub + "\"]");      // missing event
        peer.send_text("[\"EVENT\",\"" + sub + "\",42]");   // event not an object
        peer.send_text("[\"WHAT\",\"" + sub + "\"]");       // unknown type
        peer.send_text("[\"EOSE\",\"" + sub + "\"] trailing");
        peer.send_binary(std::string("\x00\x01\x02", 3));
        peer.send_text("[\"EVENT\",\"" + sub + "\",{\"id\":\"zz\"}]");  // fails the strict parse
        peer.send_text(test::event_frame("somebody-else", good1));     // unknown subscription
        peer.send_text("[\"EOSE\",\"somebody-else\"]");
        peer.send_text(test::event_frame(sub, good1));
        peer.send_text(test::event_frame(sub, good2));
        peer.send_text("[\"NOTICE\",\"slow down\"]");
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    Outcome run = query_once(server, kAnything);
    EXPECT_EQ(run.result.end, net::QueryEnd::eose);
    ASSERT_EQ(run.result.events.size(), 2u);
    EXPECT_EQ(run.result.events[0], good1);
    EXPECT_EQ(run.result.events[1], good2);
    const auto& d = run.stats.drops;
    EXPECT_EQ(d[DropReason::malformed_message], 6u) << d.summary();
    EXPECT_EQ(d[DropReason::unknown_message_type], 1u);
    EXPECT_EQ(d[DropReason::binary_message], 1u);
    EXPECT_EQ(d[DropReason::invalid_event], 1u);
    EXPECT_EQ(d[DropReason::unknown_subscription], 2u);
    EXPECT_EQ(d.total(), 11u);
    EXPECT_EQ(run.result.drops[DropReason::invalid_event], 1u) << "attributed to the query too";
    EXPECT_EQ(run.stats.notices, 1u);
    EXPECT_EQ(run.stats.last_notice, "slow down");
    EXPECT_TRUE(run.connected_after);
}

TEST(FakeRelay, ForgedEventsAreDroppedByReason) {
    const Event good = test::make_signed_event(1, 1700000000, 1, "genuine");
    Event bad_sig = test::make_signed_event(1, 1700000001, 1, "resigned");
    bad_sig.sig[10] ^= 0x01;
    Event wrong_id = test::make_signed_event(1, 1700000002, 1, "original");
    wrong_id.content = "tampered";  // id and sig no longer match the content
    Event other_key_sig = test::make_signed_event(1, 1700000003, 1, "x");
    other_key_sig.sig = test::make_signed_event(2, 1700000003, 1, "x").sig;
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        for (const Event& e : {bad_sig, wrong_id, other_key_sig, good, good}) {
            peer.send_text(test::event_frame(sub, e));
        }
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    Outcome run = query_once(server, kAnything);
    EXPECT_EQ(run.result.end, net::QueryEnd::eose);
    ASSERT_EQ(run.result.events.size(), 1u);
    EXPECT_EQ(run.result.events[0], good);
    EXPECT_EQ(run.result.drops[DropReason::bad_signature], 2u) << run.result.drops.summary();
    EXPECT_EQ(run.result.drops[DropReason::wrong_id], 1u);
    EXPECT_EQ(run.result.drops[DropReason::duplicate], 1u);

    // With verification left to the caller, the forged events are handed on.
    auto options = fast_options();
    options.verify_events = false;
    Outcome unverified = query_once(server, kAnything, options);
    EXPECT_EQ(unverified.result.events.size(), 4u);
    EXPECT_EQ(unverified.result.drops[DropReason::duplicate], 1u);
}

TEST(FakeRelay, EventsTheFilterDidNotAskForAreDropped) {
    const brotr::Filter window{.kinds = std::vector<std::uint16_t>{1}, .since = 1700000100, .until = 1700000200, .limit = 50};
    const Event inside = test::make_signed_event(1, 1700000150, 1);
    const Event too_old = test::make_signed_event(1, 1700000099, 1);
    const Event too_new = test::make_signed_event(1, 1700000201, 1);
    const Event other_kind = test::make_signed_event(1, 1700000150, 7);
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        for (const Event* e : {&too_old, &inside, &too_new, &other_kind}) peer.send_text(test::event_frame(sub, *e));
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    Outcome run = query_once(server, window);
    ASSERT_EQ(run.result.events.size(), 1u);
    EXPECT_EQ(run.result.events[0], inside);
    EXPECT_EQ(run.result.drops[DropReason::filter_mismatch], 3u);
}

TEST(FakeRelay, FloodPastTheLimitKeepsTheLimitAndCountsTheRest) {
    const brotr::Filter limited{.limit = 10};
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        const std::string frame = test::event_frame(sub, test::make_signed_event(3, 1700000000, 1, "flood"));
        // 20 distinct events, then 5,000 copies of one more.
        for (int i = 0; i < 20; ++i) {
            peer.send_text(test::event_frame(sub, test::make_signed_event(3, 1700000000 + i, 1, std::to_string(i))));
        }
        for (int i = 0; i < 5000; ++i) peer.send_text(frame);
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    Outcome run = query_once(server, limited);
    EXPECT_EQ(run.result.end, net::QueryEnd::eose);
    EXPECT_EQ(run.result.events.size(), 10u);
    EXPECT_EQ(run.result.drops[DropReason::over_limit], 5010u);
    EXPECT_TRUE(run.connected_after) << "too much is not invalid: the session stays";
}

TEST(FakeRelay, NoEventsForLimitZero) {
    const brotr::Filter none{.limit = 0};
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        peer.send_text(test::event_frame(sub, test::make_signed_event(1, 1700000000)));
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    Outcome run = query_once(server, none);
    EXPECT_TRUE(run.result.events.empty());
    EXPECT_EQ(run.result.drops[DropReason::over_limit], 1u);
}

TEST(FakeRelay, OversizedMessageDropsTheConnection) {
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        peer.send_text("[\"NOTICE\",\"" + std::string(200 * 1024, 'x') + "\"]");
        peer.send_text("[\"EOSE\",\"" + sub + "\"]");
    }));
    auto options = fast_options();
    options.websocket.max_message_bytes = 64 * 1024;
    Outcome run = query_once(server, kAnything, options);
    EXPECT_EQ(run.result.end, net::QueryEnd::disconnected);
    EXPECT_NE(run.result.message.find("too_large"), std::string::npos) << run.result.message;
    EXPECT_FALSE(run.connected_after);
}

TEST(FakeRelay, CompressedMessagesInflateAndABombStopsAtTheLimit) {
    const Event big = test::make_signed_event(1, 1700000000, 1, std::string(300 * 1024, 'z'));
    std::atomic<int> requests{0};
    test::FakeServer server(answer_reqs(
        [&](test::FakePeer& peer, const std::string& sub) {
            peer.send_text(test::event_frame(sub, big));  // compresses well, inflates under the limit
            if (requests++ == 0) {
                peer.send_text("[\"EOSE\",\"" + sub + "\"]");
                return;
            }
            // 32 MiB of one byte deflates to about 32 KiB.
            peer.send_text("[\"NOTICE\",\"" + std::string(32 * 1024 * 1024, 'a') + "\"]");
            peer.send_text("[\"EOSE\",\"" + sub + "\"]");
        },
        /*deflate=*/true));
    auto options = fast_options();
    options.websocket.max_message_bytes = 1024 * 1024;
    Outcome run = test::run_async<Outcome>([&](asio::any_io_executor ex) -> asio::awaitable<Outcome> {
        Outcome r;
        auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), options);
        r.compressed = session.compressed();
        auto first = co_await session.query(kAnything);
        r.result = co_await session.query(kAnything);
        r.result.events.insert(r.result.events.begin(), first.events.begin(), first.events.end());
        r.connected_after = session.connected();
        co_return r;
    }, 60s);
    EXPECT_TRUE(run.compressed);
    ASSERT_GE(run.result.events.size(), 1u);
    EXPECT_EQ(run.result.events[0], big);
    EXPECT_EQ(run.result.end, net::QueryEnd::disconnected);
    EXPECT_NE(run.result.message.find("too_large"), std::string::npos) << run.result.message;
    EXPECT_FALSE(run.connected_after);
}

TEST(FakeRelay, ClosedEndsTheQueryWithTheRelaysReason) {
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string& sub) {
        peer.send_text("[\"CLOSED\",\"" + sub + "\",\"error: shutting down\"]");
    }));
    Outcome run = query_once(server, kAnything);
    EXPECT_EQ(run.result.end, net::QueryEnd::closed);
    EXPECT_EQ(run.result.message, "error: shutting down");
    EXPECT_TRUE(run.result.first_reply.has_value());
}

TEST(FakeRelay, ClosedConfirmingOurCloseIsNotADrop) {
    test::FakeServer server([](test::FakePeer& peer) {
        peer.accept_websocket();
        while (auto message = peer.read_message()) {
            if (std::string sub = test::req_subscription_id(*message); !sub.empty()) {
                peer.send_text("[\"EOSE\",\"" + sub + "\"]");
            } else if (message->starts_with("[\"CLOSE\",")) {
                // ["CLOSE","<id>"] -> ["CLOSED","<id>",""], plus one for a subscription never opened.
                std::string id = message->substr(10, message->size() - 12);
                peer.send_text("[\"CLOSED\",\"" + id + "\",\"\"]");
                peer.send_text("[\"CLOSED\",\"never-opened\",\"\"]");
            }
        }
    });
    auto out = test::run_async<net::SessionStats>([&](asio::any_io_executor ex) -> asio::awaitable<net::SessionStats> {
        auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), fast_options());
        for (int i = 0; i < 3; ++i) co_await session.query(kAnything);
        co_await session.publish(test::make_signed_event(1, 1700000000), 300ms);  // lets the last CLOSED arrive
        co_return session.stats();
    }, 60s);
    EXPECT_EQ(out.drops[DropReason::unknown_subscription], 3u) << out.drops.summary();
    EXPECT_EQ(out.drops.total(), 3u) << out.drops.summary();
}

TEST(FakeRelay, RelayThatKeepsSendingGarbageIsDisconnected) {
    test::FakeServer server(answer_reqs([&](test::FakePeer& peer, const std::string&) {
        for (int i = 0; i < 2000; ++i) peer.send_text("garbage " + std::to_string(i));
        peer.stall(30s);
    }));
    auto options = fast_options();
    options.max_invalid_messages = 100;
    options.request_timeout = 30s;
    Outcome run = query_once(server, kAnything, options);
    EXPECT_EQ(run.result.end, net::QueryEnd::disconnected);
    EXPECT_NE(run.result.message.find("invalid messages"), std::string::npos) << run.result.message;
    EXPECT_EQ(run.stats.invalid_messages, 101u);
    EXPECT_LT(run.elapsed, 20s) << "disconnected at the threshold, not at the request timeout";
}

TEST(FakeRelay, AcceptedConnectionWithoutHandshakeTimesOut) {
    test::FakeServer server([](test::FakePeer& peer) { peer.stall(60s); });
    auto options = fast_options();
    options.websocket.connect.handshake_timeout = 500ms;
    auto start = Clock::now();
    try {
        test::run_async<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
            auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), options);
            co_return 0;
        }, 60s);
        FAIL() << "connected without a handshake";
    } catch (const net::NetError& e) {
        EXPECT_EQ(e.failure(), net::Failure::timeout) << e.what();
        EXPECT_EQ(e.step(), net::Step::handshake);
    }
    EXPECT_LT(Clock::now() - start, 20s);
}

TEST(FakeRelay, NonWebSocketAnswersFailTheHandshake) {
    for (std::string answer : {std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"sv),
                               std::string("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"sv),
                               std::string("\x16\x03\x01 random bytes \xff\xfe\r\n\r\n"sv)}) {
        test::FakeServer server([answer](test::FakePeer& peer) {
            peer.read_http_request();
            peer.write_raw(answer);
            peer.stall(10s);
        });
        try {
            test::run_async<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
                auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), fast_options());
                co_return 0;
            }, 60s);
            FAIL() << "handshake accepted: " << answer;
        } catch (const net::NetError& e) {
            EXPECT_TRUE(e.failure() == net::Failure::handshake || e.failure() == net::Failure::timeout) << e.what();
            EXPECT_EQ(e.step(), net::Step::handshake);
        }
    }
}

TEST(FakeRelay, RawBytesAfterTheHandshakeDropTheConnection) {
    // Not a WebSocket frame (reserved bits and opcode set): the client fails
    // the connection. Whether the peer then closes its side or stalls, the
    // session ends well before the request timeout.
    for (bool stall_after : {false, true}) {
        test::FakeServer server([stall_after](test::FakePeer& peer) {
            peer.accept_websocket();
            peer.read_message();
            peer.write_raw("\xff\xff\xff\xff\x00garbage that is not a frame"sv);
            if (stall_after) peer.stall(60s);
        });
        auto options = fast_options();
        options.request_timeout = 30s;
        options.websocket.idle_timeout = 1s;  // bounds the closing handshake with a silent peer
        Outcome run = query_once(server, kAnything, options);
        EXPECT_EQ(run.result.end, net::QueryEnd::disconnected) << "stall_after=" << stall_after;
        EXPECT_FALSE(run.connected_after);
        EXPECT_LT(run.elapsed, 20s);
    }
}

TEST(FakeRelay, RelayThatNeverAnswersARequestTimesOutAndTheSessionStays) {
    test::FakeServer server(answer_reqs([](test::FakePeer&, const std::string&) {}));
    auto options = fast_options();
    options.request_timeout = 500ms;
    Outcome run = query_once(server, kAnything, options);
    EXPECT_EQ(run.result.end, net::QueryEnd::timeout);
    EXPECT_TRUE(run.connected_after);
    EXPECT_LT(run.elapsed, 20s);
}

TEST(FakeRelay, SilentPeerIsDroppedByTheIdleTimeoutPings) {
    // The fake never reads after the handshake, so pings go unanswered.
    test::FakeServer server([](test::FakePeer& peer) {
        peer.accept_websocket();
        peer.stall(60s);
    });
    auto options = fast_options();
    options.websocket.idle_timeout = 300ms;
    options.request_timeout = 30s;
    Outcome run = query_once(server, kAnything, options);
    EXPECT_EQ(run.result.end, net::QueryEnd::disconnected);
    EXPECT_NE(run.result.message.find("idle"), std::string::npos) << run.result.message;
    EXPECT_LT(run.elapsed, 20s) << "dropped by the idle timeout, not the request timeout";
}

TEST(FakeRelay, PublishWithoutOkTimesOutAndUnexpectedOkIsCounted) {
    const Event e = test::make_signed_event(1, 1700000000);
    test::FakeServer server([](test::FakePeer& peer) {
        peer.accept_websocket();
        while (auto message = peer.read_message()) {
            // OKs for an event nobody published, never for the one sent.
            peer.send_text("[\"OK\",\"" + std::string(64, 'a') + "\",true,\"\"]");
        }
    });
    auto options = fast_options();
    options.request_timeout = 500ms;
    struct Out {
        net::PublishResult publish;
        net::SessionStats stats;
    };
    auto out = test::run_async<Out>([&](asio::any_io_executor ex) -> asio::awaitable<Out> {
        auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), options);
        Out o;
        o.publish = co_await session.publish(e);
        o.stats = session.stats();
        co_return o;
    }, 60s);
    EXPECT_EQ(out.publish.status, net::PublishStatus::timeout);
    EXPECT_FALSE(out.publish.rtt.has_value());
    EXPECT_EQ(out.stats.drops[DropReason::unexpected_ok], 1u);
}

TEST(FakeRelay, ConcurrentQueriesOnOneSessionGetTheirOwnEvents) {
    // Each subscription gets events tagged with its own id, interleaved with
    // the other's by the relay answering in one batch after both REQs.
    test::FakeServer server([](test::FakePeer& peer) {
        peer.accept_websocket();
        std::vector<std::string> subs;
        while (subs.size() < 2) {
            auto message = peer.read_message();
            if (!message) return;
            auto sub = test::req_subscription_id(*message);
            if (!sub.empty()) subs.push_back(sub);
        }
        for (int i = 0; i < 50; ++i) {
            for (const auto& sub : subs) {
                peer.send_text(test::event_frame(sub, test::make_signed_event(1, 1700000000 + i, 1, sub)));
            }
        }
        for (const auto& sub : subs) peer.send_text("[\"EOSE\",\"" + sub + "\"]");
        while (peer.read_message()) {
        }
    });
    using namespace asio::experimental::awaitable_operators;
    auto results = test::run_async<std::pair<net::QueryResult, net::QueryResult>>(
        [&](asio::any_io_executor ex) -> asio::awaitable<std::pair<net::QueryResult, net::QueryResult>> {
            auto session = co_await net::RelaySession::connect(ex, url_of(server.ws_url()), fast_options());
            auto [a, b] = co_await (session.query(kAnything) && session.query(kAnything));
            co_return std::make_pair(std::move(a), std::move(b));
        },
        60s, /*threads=*/2);
    for (const auto* r : {&results.first, &results.second}) {
        EXPECT_EQ(r->end, net::QueryEnd::eose);
        ASSERT_EQ(r->events.size(), 50u);
        for (const auto& e : r->events) EXPECT_EQ(e.content, r->events.front().content);
    }
    EXPECT_NE(results.first.events.front().content, results.second.events.front().content);
}

}  // namespace
