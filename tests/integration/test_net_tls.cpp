// TLS against a real TLS endpoint: stunnel4 in front of the real relay, with
// a CA generated at test time. Verification succeeds with that CA and fails
// without it or for a name the certificate does not carry.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "net/http_client.hpp"
#include "net/http_url.hpp"
#include "net/relay_session.hpp"
#include "support/fake_relay.hpp"
#include "support/relay_peer.hpp"
#include "support/tls_peer.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace net = brotr::net;
namespace test = brotr::test;

namespace {

class TlsRelay : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::RelayPeer::available()) GTEST_SKIP() << "node or tests/peers/node_modules missing";
        if (!test::TlsPeer::available()) GTEST_SKIP() << "stunnel4 or openssl missing";
        relay_ = std::make_unique<test::RelayPeer>(test::RelayPeerOptions{.nip11_json = R"({"name":"behind tls"})"});
        tls_ = std::make_unique<test::TlsPeer>(relay_->port());
    }

    std::string wss(const std::string& host) const { return "wss://" + host + ":" + std::to_string(tls_->port()); }

    net::SessionOptions options(bool trust_test_ca) const {
        net::SessionOptions o;
        o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
        o.websocket.connect.set_timeouts(10s);
        o.request_timeout = 10s;
        if (trust_test_ca) {
            o.websocket.connect.tls = std::make_shared<net::TlsContext>(net::TlsConfig{.ca_file = tls_->ca_file()});
        }
        return o;
    }

    // Connects and runs one query; the NetError when connecting fails.
    net::QueryResult query(const std::string& url, const net::SessionOptions& o) const {
        return test::run_async<net::QueryResult>(
            [&](asio::any_io_executor ex) -> asio::awaitable<net::QueryResult> {
                auto session = co_await net::RelaySession::connect(ex, *brotr::RelayUrl::parse(url), o);
                co_return co_await session.query(brotr::Filter{.limit = 1});
            },
            60s);
    }

    net::NetError connect_error(const std::string& url, const net::SessionOptions& o) const {
        try {
            query(url, o);
            ADD_FAILURE() << "connected to " << url;
        } catch (const net::NetError& e) {
            return e;
        }
        return net::NetError(net::Failure::io, net::Step::read, "no error");
    }

    std::unique_ptr<test::RelayPeer> relay_;
    std::unique_ptr<test::TlsPeer> tls_;
};

TEST_F(TlsRelay, VerificationSucceedsWithTheTestCa) {
    auto result = query(wss("localhost"), options(true));
    EXPECT_EQ(result.end, net::QueryEnd::eose);
}

TEST_F(TlsRelay, VerificationFailsWithoutTheTestCa) {
    auto e = connect_error(wss("localhost"), options(false));
    EXPECT_EQ(e.failure(), net::Failure::tls) << e.what();
    EXPECT_EQ(e.step(), net::Step::tls);
    EXPECT_NE(std::string(e.what()).find("certificate rejected"), std::string::npos) << e.what();
}

TEST_F(TlsRelay, VerificationFailsForANameTheCertificateDoesNotCarry) {
    // The certificate names localhost only: 127.0.0.1 is the same server
    // under a name it does not prove.
    auto e = connect_error(wss("127.0.0.1"), options(true));
    EXPECT_EQ(e.failure(), net::Failure::tls) << e.what();
    EXPECT_NE(std::string(e.what()).find("certificate rejected"), std::string::npos) << e.what();
}

TEST_F(TlsRelay, TurningVerificationOffAcceptsAnyCertificate) {
    auto o = options(false);
    o.websocket.connect.tls = std::make_shared<net::TlsContext>(net::TlsConfig{.verify_peer = false});
    EXPECT_EQ(query(wss("127.0.0.1"), o).end, net::QueryEnd::eose);
}

TEST_F(TlsRelay, Nip11OverHttpsWithTheTestCa) {
    net::HttpOptions o;
    o.connect = options(true).websocket.connect;
    o.accept = "application/nostr+json";
    const std::string url = "https://localhost:" + std::to_string(tls_->port()) + "/";
    auto response = test::run_async<net::HttpResponse>(
        [&](asio::any_io_executor ex) -> asio::awaitable<net::HttpResponse> {
            co_return co_await net::http_get(ex, url, o);
        },
        60s);
    EXPECT_EQ(response.status, 200u);
    EXPECT_EQ(nlohmann::json::parse(response.body)["name"], "behind tls");
    EXPECT_GT(response.timings.tls.count(), 0);

    o.connect.tls.reset();  // the system store does not know the test CA
    try {
        test::run_async<net::HttpResponse>(
            [&](asio::any_io_executor ex) -> asio::awaitable<net::HttpResponse> {
                co_return co_await net::http_get(ex, url, o);
            },
            60s);
        ADD_FAILURE() << "https accepted an unknown CA";
    } catch (const net::NetError& e) {
        EXPECT_EQ(e.failure(), net::Failure::tls) << e.what();
    }
}

TEST_F(TlsRelay, TlsToAPlainServerFailsWithoutHanging) {
    auto e = connect_error("wss://localhost:" + std::to_string(relay_->port()), options(true));
    EXPECT_EQ(e.failure(), net::Failure::tls) << e.what();
}

TEST(TlsStall, ServerThatNeverAnswersTheTlsHandshakeTimesOut) {
    test::FakeServer server([](test::FakePeer& peer) { peer.stall(60s); });
    net::SessionOptions o;
    o.websocket.connect.address_policy = brotr::AddressPolicy{.allow_loopback = true};
    o.websocket.connect.handshake_timeout = 500ms;
    auto start = std::chrono::steady_clock::now();
    try {
        test::run_async<int>(
            [&](asio::any_io_executor ex) -> asio::awaitable<int> {
                auto url = *brotr::RelayUrl::parse("wss://127.0.0.1:" + std::to_string(server.port()));
                auto session = co_await net::RelaySession::connect(ex, url, o);
                co_return 0;
            },
            60s);
        FAIL() << "TLS handshake completed with a silent server";
    } catch (const net::NetError& e) {
        EXPECT_EQ(e.failure(), net::Failure::timeout) << e.what();
        EXPECT_EQ(e.step(), net::Step::tls);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, 20s);
}

}  // namespace
