// The HTTP client: NIP-11 from the real relay, then redirects, size limits,
// timeouts, status codes and the SSRF rule against fake HTTP servers.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "net/http_url.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;

namespace {

using Clock = std::chrono::steady_clock;

net::HttpOptions loopback_options() {
    net::HttpOptions o;
    o.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.connect.set_timeouts(5s);
    o.request_timeout = 5s;
    return o;
}

net::HttpResponse get(const std::string& url, const net::HttpOptions& options = loopback_options()) {
    return test::run_async<net::HttpResponse>(
        [&](asio::any_io_executor ex) -> asio::awaitable<net::HttpResponse> {
            co_return co_await net::http_get(ex, url, options);
        },
        60s);
}

// The failure of a GET that must fail.
net::NetError get_error(const std::string& url, const net::HttpOptions& options = loopback_options()) {
    try {
        auto r = get(url, options);
        ADD_FAILURE() << "GET " << url << " answered " << r.status;
    } catch (const net::NetError& e) {
        return e;
    }
    return net::NetError(net::Failure::io, net::Step::read, "no error");
}

// Serves each request with `respond(target)`.
test::FakeServer::Handler serve(std::function<std::string(const std::string& target)> respond) {
    return [respond = std::move(respond)](test::FakePeer& peer) {
        std::string request = peer.read_http_request();
        if (request.empty()) return;
        std::string target = request.substr(request.find(' ') + 1);
        target = target.substr(0, target.find('\n'));
        peer.write_raw(respond(target));
    };
}

TEST(HttpNip11, RealRelayServesItsDocumentForTheNostrJsonAcceptHeader) {
    if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
    test::RelayPeer relay({.nip11_json = R"({"name":"nip11 test","limitation":{"max_limit":1000}})", .min_pow = 12});
    auto options = loopback_options();
    options.accept = "application/nostr+json";
    auto relay_url = brotr::RelayUrl::parse(relay.url());
    ASSERT_TRUE(relay_url);
    auto response = get(net::nip11_url(*relay_url, /*secure=*/false).str(), options);
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.content_type, "application/nostr+json");
    auto doc = nlohmann::json::parse(response.body);
    EXPECT_EQ(doc["name"], "nip11 test");
    EXPECT_EQ(doc["limitation"]["max_limit"], 1000);
    EXPECT_EQ(doc["limitation"]["min_pow_difficulty"], 12);
    EXPECT_EQ(doc["supported_nips"][0], 1);
    EXPECT_GT(response.timings.connect.count(), 0);

    // Without the header the relay answers something else, returned as is.
    auto plain = get(relay.http_url());
    EXPECT_EQ(plain.status, 426u);
}

TEST(HttpClient, RedirectsAreFollowedAbsoluteAndRelative) {
    std::uint16_t port = 0;
    test::FakeServer server(serve([&](const std::string& target) {
        const std::string base = "http://127.0.0.1:" + std::to_string(port);
        if (target == "/start") return test::http_response(301, "", "", "Location: " + base + "/a/b\r\n");
        if (target == "/a/b") return test::http_response(302, "", "", "Location: c?x=1\r\n");
        if (target == "/a/c?x=1") return test::http_response(307, "", "", "Location: //127.0.0.1:" +
                                                                               std::to_string(port) + "/d\r\n");
        if (target == "/d") return test::http_response(308, "", "", "Location: /final\r\n");
        if (target == "/final") return test::http_response(200, "application/json", "[\"wss://a\"]");
        return test::http_response(404, "text/plain", "no " + target);
    }));
    port = server.port();
    auto response = get(server.http_url("/start"));
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(response.body, "[\"wss://a\"]");
    EXPECT_EQ(response.redirects, 4);
    EXPECT_EQ(response.url, server.http_url("/final"));
}

TEST(HttpClient, RedirectLoopStopsAtTheLimit) {
    test::FakeServer server(serve([](const std::string&) {
        return test::http_response(302, "", "", "Location: /again\r\n");
    }));
    auto options = loopback_options();
    options.max_redirects = 3;
    auto e = get_error(server.http_url("/"), options);
    EXPECT_EQ(e.failure(), net::Failure::too_many_redirects) << e.what();
    EXPECT_EQ(server.connections(), 4u) << "the first request and 3 redirects";
}

TEST(HttpClient, RedirectToANonHttpUrlIsRefused) {
    for (std::string location : {"javascript:alert(1)", "ftp://127.0.0.1/x", "wss://relay.example.com"}) {
        test::FakeServer server(serve([&](const std::string&) {
            return test::http_response(302, "", "", "Location: " + location + "\r\n");
        }));
        auto e = get_error(server.http_url("/"));
        EXPECT_EQ(e.failure(), net::Failure::invalid_url) << location << ": " << e.what();
    }
}

TEST(HttpClient, EveryRedirectHopIsCheckedAgainstTheAddressPolicy) {
    for (std::string target : {"http://10.0.0.1/", "http://169.254.169.254/latest/meta-data", "http://[fe80::1]/",
                               "http://[fd00::1]/", "http://0.0.0.0/", "http://224.0.0.1/", "http://192.168.1.1/"}) {
        test::FakeServer server(serve([&](const std::string&) {
            return test::http_response(302, "", "", "Location: " + target + "\r\n");
        }));
        // Loopback is allowed for the test server itself, nothing more.
        auto options = loopback_options();
        auto e = get_error(server.http_url("/"), options);
        EXPECT_EQ(e.failure(), net::Failure::address_refused) << target << ": " << e.what();
    }
}

TEST(HttpClient, LoopbackIsRefusedUnlessThePolicyAllowsIt) {
    test::FakeServer server(serve([](const std::string&) { return test::http_response(200, "text/plain", "hi"); }));
    net::HttpOptions strict;
    strict.connect.set_timeouts(5s);
    auto e = get_error(server.http_url("/"), strict);
    EXPECT_EQ(e.failure(), net::Failure::address_refused) << e.what();
    EXPECT_EQ(server.connections(), 0u) << "refused before connecting";
    EXPECT_EQ(get(server.http_url("/")).body, "hi");
    // A URL from the user's own config (no policy) may point anywhere.
    net::HttpOptions trusted = strict;
    trusted.connect.address_policy.reset();
    EXPECT_EQ(get(server.http_url("/"), trusted).body, "hi");
}

TEST(HttpClient, BodyOverTheLimitFailsWithTooLarge) {
    const std::string big(2 * 1024 * 1024, 'x');
    test::FakeServer server(serve([&](const std::string& target) {
        if (target == "/chunked") {
            std::string chunks = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            for (int i = 0; i < 64; ++i) chunks += "8000\r\n" + std::string(0x8000, 'y') + "\r\n";
            return chunks + "0\r\n\r\n";
        }
        return test::http_response(200, "application/json", big);
    }));
    auto options = loopback_options();
    options.max_body_bytes = 1024 * 1024;
    EXPECT_EQ(get_error(server.http_url("/"), options).failure(), net::Failure::too_large);
    EXPECT_EQ(get_error(server.http_url("/chunked"), options).failure(), net::Failure::too_large);
    options.max_body_bytes = 4 * 1024 * 1024;
    EXPECT_EQ(get(server.http_url("/"), options).body.size(), big.size());
    EXPECT_EQ(get(server.http_url("/chunked"), options).body.size(), 64u * 0x8000);
}

TEST(HttpClient, HugeHeadersFailWithTooLarge) {
    test::FakeServer server(serve([](const std::string&) {
        return test::http_response(200, "text/plain", "x", "X-Filler: " + std::string(64 * 1024, 'h') + "\r\n");
    }));
    EXPECT_EQ(get_error(server.http_url("/")).failure(), net::Failure::too_large);
}

TEST(HttpClient, NonSuccessStatusesAreReturned) {
    test::FakeServer server(serve([](const std::string& target) {
        if (target == "/gone") return test::http_response(410, "text/plain", "gone");
        if (target == "/nolocation") return test::http_response(302, "text/plain", "moved somewhere");
        return test::http_response(500, "text/plain", "boom");
    }));
    EXPECT_EQ(get(server.http_url("/gone")).status, 410u);
    EXPECT_EQ(get(server.http_url("/x")).status, 500u);
    auto no_location = get(server.http_url("/nolocation"));
    EXPECT_EQ(no_location.status, 302u);
    EXPECT_EQ(no_location.body, "moved somewhere");
}

TEST(HttpClient, SilentAndTricklingServersTimeOut) {
    test::FakeServer silent([](test::FakePeer& peer) {
        peer.read_http_request();
        peer.stall(60s);
    });
    test::FakeServer trickle([](test::FakePeer& peer) {
        peer.read_http_request();
        peer.write_raw("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
        for (int i = 0; i < 600; ++i) {
            peer.write_raw("x");
            peer.stall(100ms);
        }
    });
    auto options = loopback_options();
    options.request_timeout = 700ms;
    for (const auto* server : {&silent, &trickle}) {
        auto start = Clock::now();
        auto e = get_error(server->http_url("/"), options);
        EXPECT_EQ(e.failure(), net::Failure::timeout) << e.what();
        EXPECT_LT(Clock::now() - start, 20s);
    }
}

TEST(HttpClient, GarbageInsteadOfHttpIsAHandshakeFailure) {
    test::FakeServer server(serve([](const std::string&) { return std::string("SSH-2.0-OpenSSH\r\n\r\n"); }));
    EXPECT_EQ(get_error(server.http_url("/")).failure(), net::Failure::handshake);
    test::FakeServer closes([](test::FakePeer& peer) { peer.read_http_request(); });
    EXPECT_EQ(get_error(closes.http_url("/")).failure(), net::Failure::closed);
}

TEST(HttpClient, InvalidUrlsAreRefusedBeforeAnyConnection) {
    for (std::string url : {"", "not a url", "ftp://example.com/", "http://", "https://exa mple.com/",
                            "http://user@example.com/", "ws://relay.example.com"}) {
        EXPECT_EQ(get_error(url).failure(), net::Failure::invalid_url) << url;
    }
}

TEST(HttpClient, OnionWithoutAProxyIsTorDisabled) {
    auto e = get_error("http://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion/");
    EXPECT_EQ(e.failure(), net::Failure::tor_disabled) << e.what();
}

}  // namespace
