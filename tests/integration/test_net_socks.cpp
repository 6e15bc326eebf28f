// SOCKS5 through a real proxy (Debian's microsocks) to the real relay, host
// names resolved by the proxy; and fake proxies for broken or silent ones.
#include <gtest/gtest.h>

#include "net/http_client.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"
#include "support/socks_peer.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;

namespace {

net::SessionOptions via_proxy(std::uint16_t proxy_port, net::ProxyUse use = net::ProxyUse::all_hosts) {
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.websocket.connect.socks5 = net::Socks5Proxy{.host = "127.0.0.1", .port = proxy_port};
    o.websocket.connect.proxy_use = use;
    o.websocket.connect.set_timeouts(5s);
    o.request_timeout = 10s;
    return o;
}

net::QueryResult query(const std::string& url, const net::SessionOptions& o) {
    return test::run_async<net::QueryResult>(
        [&](asio::any_io_executor ex) -> asio::awaitable<net::QueryResult> {
            auto session = co_await net::RelaySession::connect(ex, *brotr::RelayUrl::parse(url), o);
            co_return co_await session.query(brotr::Filter{.limit = 5});
        },
        60s);
}

net::NetError connect_error(const std::string& url, const net::SessionOptions& o) {
    try {
        query(url, o);
        ADD_FAILURE() << "connected to " << url;
    } catch (const net::NetError& e) {
        return e;
    }
    return net::NetError(net::Failure::io, net::Step::read, "no error");
}

const std::string kOnion = "ws://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";

class SocksRelay : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
        if (!test::SocksPeer::available()) GTEST_SKIP() << "microsocks missing";
        test::generate_events({.count = 5, .start = 1700000000}, dir_ / "events.jsonl");
        relay_ = std::make_unique<test::RelayPeer>(test::RelayPeerOptions{.load_jsonl = dir_ / "events.jsonl"});
        proxy_ = std::make_unique<test::SocksPeer>();
    }
    test::TempDir dir_;
    std::unique_ptr<test::RelayPeer> relay_;
    std::unique_ptr<test::SocksPeer> proxy_;
};

TEST_F(SocksRelay, SessionThroughTheProxyWithTheNameResolvedByIt) {
    const std::string url = "ws://localhost:" + std::to_string(relay_->port());
    auto result = query(url, via_proxy(proxy_->port()));
    EXPECT_EQ(result.end, net::QueryEnd::eose);
    EXPECT_EQ(result.events.size(), 5u);

    // The proxy was on the path: without it the same connection fails there.
    proxy_->stop();
    auto e = connect_error(url, via_proxy(proxy_->port()));
    EXPECT_EQ(e.failure(), net::Failure::connect) << e.what();
    EXPECT_NE(std::string(e.what()).find("SOCKS5 proxy"), std::string::npos) << e.what();
}

TEST_F(SocksRelay, Nip11ThroughTheProxy) {
    net::HttpOptions o;
    o.connect = via_proxy(proxy_->port()).websocket.connect;
    o.accept = "application/nostr+json";
    const std::string url = "http://localhost:" + std::to_string(relay_->port()) + "/";
    auto response = test::run_async<net::HttpResponse>(
        [&](asio::any_io_executor ex) -> asio::awaitable<net::HttpResponse> {
            co_return co_await net::http_get(ex, url, o);
        },
        60s);
    EXPECT_EQ(response.status, 200u);
    EXPECT_NE(response.body.find("\"supported_nips\""), std::string::npos);
}

TEST_F(SocksRelay, OnionTheProxyCannotReachFailsAtTheProxyStep) {
    // Only .onion hosts use the proxy here; microsocks cannot resolve them.
    auto e = connect_error(kOnion, via_proxy(proxy_->port(), net::ProxyUse::onion_only));
    EXPECT_EQ(e.failure(), net::Failure::proxy) << e.what();
    EXPECT_EQ(e.step(), net::Step::proxy);
}

TEST_F(SocksRelay, AddressPolicyStillAppliesToClearnetHostsThroughTheProxy) {
    auto o = via_proxy(proxy_->port());
    o.websocket.connect.address_policy = brotr::AddressPolicy{};
    auto e = connect_error("ws://localhost:" + std::to_string(relay_->port()), o);
    EXPECT_EQ(e.failure(), net::Failure::address_refused) << e.what();
}

TEST(Socks, OnionWithoutAProxyIsTorDisabled) {
    net::SessionOptions o;
    auto e = connect_error(kOnion, o);
    EXPECT_EQ(e.failure(), net::Failure::tor_disabled) << e.what();
}

TEST(Socks, BrokenAndSilentProxiesFailWithoutHanging) {
    struct Case {
        std::string name;
        test::FakeServer::Handler proxy;
        net::Failure expected;
    };
    std::vector<Case> cases = {
        {"refuses every method", [](test::FakePeer& p) { p.read_some(); p.write_raw(std::string("\x05\xff", 2)); p.stall(5s); },
         net::Failure::proxy},
        {"not SOCKS5", [](test::FakePeer& p) { p.read_some(); p.write_raw("HTTP/1.1 400 Bad\r\n\r\n"); p.stall(5s); },
         net::Failure::proxy},
        {"refuses the connection",
         [](test::FakePeer& p) {
             p.read_some();
             p.write_raw(std::string("\x05\x00", 2));
             p.read_some();
             p.write_raw(std::string("\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00", 10));
             p.stall(5s);
         },
         net::Failure::proxy},
        {"closes mid-reply",
         [](test::FakePeer& p) {
             p.read_some();
             p.write_raw(std::string("\x05\x00", 2));
             p.read_some();
             p.write_raw(std::string("\x05\x00\x00", 3));
         },
         net::Failure::closed},
        {"silent", [](test::FakePeer& p) { p.stall(60s); }, net::Failure::timeout},
    };
    for (auto& c : cases) {
        test::FakeServer proxy(c.proxy);
        auto o = via_proxy(proxy.port(), net::ProxyUse::onion_only);
        o.websocket.connect.connect_timeout = 500ms;
        auto start = std::chrono::steady_clock::now();
        auto e = connect_error(kOnion, o);
        EXPECT_EQ(e.failure(), c.expected) << c.name << ": " << e.what();
        EXPECT_EQ(e.step(), net::Step::proxy) << c.name;
        EXPECT_LT(std::chrono::steady_clock::now() - start, 20s) << c.name;
    }
}

}  // namespace
