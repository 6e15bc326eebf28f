// The monitor against peers that fail: a closed port, a relay that accepts
// the connection and never answers, HTTP servers serving broken, huge,
// non-object, slow or redirecting NIP-11 documents.
#include <gtest/gtest.h>

#include "services/monitor_check.hpp"
#include "services/nip11_fetch.hpp"
#include "support/http_fixture_server.hpp"
#include "support/relay_peer.hpp"
#include "test_monitor_util.hpp"

using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace brotr::test {
namespace {

services::RelayCheck check(const std::string& url, std::chrono::milliseconds timeout,
                           std::chrono::milliseconds budget, bool with_keys = true) {
    services::RelayCheckOptions options;
    options.connect.address_policy = loopback_policy();
    options.timeout = timeout;
    options.budget = budget;
    if (with_keys) {
        services::WriteTestSigning signing;
        signing.secret = generate_secret_key();
        options.signing = signing;
    }
    const RelayUrl relay = relay_url(url);
    return run_async<services::RelayCheck>(
        [&](asio::any_io_executor ex) { return services::check_relay(ex, relay, options, 1700000000); }, 60s, 2);
}

services::Nip11FetchResult fetch(const std::string& url, std::size_t max_bytes = 64 * 1024,
                                 std::chrono::milliseconds timeout = 3s) {
    services::Nip11FetchOptions options;
    options.connect.address_policy = loopback_policy();
    options.timeout = timeout;
    options.max_body_bytes = max_bytes;
    const RelayUrl relay = relay_url(url);
    return run_async<services::Nip11FetchResult>(
        [&](asio::any_io_executor ex) { return services::fetch_nip11(ex, relay, options); }, 60s);
}

TEST(MonitorFaults, ClosedPortIsNotOpenable) {
    const std::uint16_t port = pick_free_port();
    services::RelayCheck result = check("ws://127.0.0.1:" + std::to_string(port), 3s, 6s);
    ASSERT_TRUE(result.metadata.nip66);  // tested, and found closed
    EXPECT_FALSE(result.metadata.nip66->openable);
    EXPECT_FALSE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->writable);
    EXPECT_FALSE(result.metadata.nip66->rtt_open);
    EXPECT_FALSE(result.metadata.nip11);
    EXPECT_NE(result.open_error.find("connect"), std::string::npos) << result.open_error;
    EXPECT_TRUE(result.has_snapshot());
}

TEST(MonitorFaults, SilentRelayTimesOutWithinItsBudget) {
    FakeServer silent([](FakePeer& peer) { peer.stall(60s); });
    const auto started = std::chrono::steady_clock::now();
    services::RelayCheck result = check(silent.ws_url(), 1s, 2s);
    const auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_FALSE(result.metadata.nip66->openable);
    EXPECT_FALSE(result.metadata.nip11);
    EXPECT_NE(result.open_error.find("timeout"), std::string::npos) << result.open_error;
    EXPECT_NE(result.nip11_error.find("timeout"), std::string::npos) << result.nip11_error;
    // The budget bounds the check (generous slack for a loaded machine; a hang would take a minute).
    EXPECT_LT(took, 20s);
    EXPECT_GE(silent.connections(), 2u);  // the WebSocket and at least one NIP-11 attempt
}

TEST(MonitorFaults, OpenRelayThatIgnoresRequestsIsOpenableOnly) {
    // Completes the WebSocket upgrade, then reads and never answers. (NIP-11
    // GETs are no upgrade: accepting them fails and the connection drops.)
    FakeServer ignoring([](FakePeer& peer) {
        peer.accept_websocket();
        while (peer.read_message()) {
        }
    });
    services::RelayCheck result = check(ignoring.ws_url(), 1s, 4s);
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->openable);
    EXPECT_TRUE(result.metadata.nip66->rtt_open);
    EXPECT_FALSE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->rtt_read);
    EXPECT_FALSE(result.metadata.nip66->writable);
    EXPECT_FALSE(result.metadata.nip66->rtt_write);
    EXPECT_NE(result.read_detail.find("timeout"), std::string::npos) << result.read_detail;
    EXPECT_FALSE(result.write_detail.empty());
    EXPECT_FALSE(result.metadata.nip11);
}

TEST(MonitorFaults, ClosedSubscriptionIsNotReadable) {
    FakeServer refusing([](FakePeer& peer) {
        peer.accept_websocket();
        while (auto message = peer.read_message()) {
            const std::string sub = req_subscription_id(*message);
            if (!sub.empty()) peer.send_text(R"(["CLOSED",")" + sub + R"(","restricted: no reads"])");
            const std::string id = client_event_id(*message);
            if (!id.empty()) peer.send_text(R"(["OK",")" + id + R"(",true,""])");
        }
    });
    services::RelayCheck result = check(refusing.ws_url(), 2s, 4s);
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_TRUE(result.metadata.nip66->openable);
    EXPECT_FALSE(result.metadata.nip66->readable);
    EXPECT_FALSE(result.metadata.nip66->rtt_read);
    EXPECT_NE(result.read_detail.find("restricted"), std::string::npos) << result.read_detail;
    EXPECT_TRUE(result.metadata.nip66->writable);
    EXPECT_TRUE(result.metadata.nip66->rtt_write);
}

TEST(MonitorFaults, Nip11AskedWithTheNostrAcceptHeader) {
    HttpFixtureServer server;
    server.set("/", {.body = R"({"name":"fixture"})"});
    services::Nip11FetchResult r = fetch(server.ws_url());
    ASSERT_TRUE(r.document) << r.error;
    EXPECT_EQ(r.document->fields.name, "fixture");
    EXPECT_FALSE(r.secure);  // https failed against plain HTTP, http answered
    auto requests = server.requests();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests.back().accept, "application/nostr+json");
    EXPECT_EQ(requests.back().target, "/");
}

TEST(MonitorFaults, Nip11PathOfTheRelayUrlIsFetched) {
    HttpFixtureServer server;
    server.set("/nostr", {.body = R"({"name":"at a path"})"});
    services::Nip11FetchResult r = fetch(server.ws_url("/nostr"));
    ASSERT_TRUE(r.document) << r.error;
    EXPECT_EQ(r.document->fields.name, "at a path");
}

TEST(MonitorFaults, BrokenNip11DocumentsAreDropped) {
    HttpFixtureServer server;
    const std::vector<std::pair<std::string, HttpRoute>> cases = {
        {"/malformed", {.body = R"({"name":"x",)"}},
        {"/array", {.body = R"([{"name":"x"}])"}},
        {"/string", {.body = R"("relay")"}},
        {"/html", {.content_type = "text/html", .body = "<html><body>relay</body></html>"}},
        {"/empty", {.body = ""}},
        {"/nul", {.body = R"({"name":"a\u0000b"})"}},
        {"/not-found", {.status = 404, .body = R"({"name":"x"})"}},
        {"/server-error", {.status = 500, .body = "{}"}},
        {"/huge", {.body = "{\"name\":\"" + std::string(200 * 1024, 'x') + "\"}"}},
        {"/redirect-loop", {.status = 302, .location = "/redirect-loop"}},
        {"/redirect-away", {.status = 301, .location = "javascript:alert(1)"}},
    };
    for (const auto& [path, route] : cases) server.set(path, route);
    for (const auto& [path, route] : cases) {
        services::Nip11FetchResult r = fetch(server.ws_url(path));
        EXPECT_FALSE(r.document) << path;
        EXPECT_FALSE(r.error.empty()) << path;
        EXPECT_NE(r.error.find("http:"), std::string::npos) << path << ": " << r.error;
    }
    EXPECT_NE(fetch(server.ws_url("/huge")).error.find("too_large"), std::string::npos);
    EXPECT_NE(fetch(server.ws_url("/redirect-loop")).error.find("too_many_redirects"), std::string::npos);
    EXPECT_NE(fetch(server.ws_url("/not-found")).error.find("status 404"), std::string::npos);
}

TEST(MonitorFaults, RedirectToTheDocumentIsFollowed) {
    HttpFixtureServer server;
    server.set("/", {.status = 301, .location = "/info.json"});
    server.set("/info.json", {.body = R"({"name":"moved"})"});
    services::Nip11FetchResult r = fetch(server.ws_url());
    ASSERT_TRUE(r.document) << r.error;
    EXPECT_EQ(r.document->fields.name, "moved");
}

TEST(MonitorFaults, SlowNip11ServerTimesOut) {
    HttpFixtureServer server;
    server.set("/", {.body = R"({"name":"late"})", .delay = 5s});
    const auto started = std::chrono::steady_clock::now();
    services::Nip11FetchResult r = fetch(server.ws_url(), 64 * 1024, 1s);
    EXPECT_FALSE(r.document);
    EXPECT_NE(r.error.find("timeout"), std::string::npos) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
}

TEST(MonitorFaults, DeadlineEndsTheFetch) {
    HttpFixtureServer server;
    server.set("/", {.stall = true});
    services::Nip11FetchOptions options;
    options.connect.address_policy = loopback_policy();
    options.timeout = 30s;
    const auto started = std::chrono::steady_clock::now();
    options.deadline = started + 1s;
    const RelayUrl relay = relay_url(server.ws_url());
    auto r = run_async<services::Nip11FetchResult>(
        [&](asio::any_io_executor ex) { return services::fetch_nip11(ex, relay, options); }, 60s);
    EXPECT_FALSE(r.document);
    EXPECT_NE(r.error.find("timeout"), std::string::npos) << r.error;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 15s);  // not the 30 s step timeout
}

TEST(MonitorFaults, Nip11AloneMakesASnapshot) {
    // An HTTP server that serves a document but is no WebSocket relay.
    HttpFixtureServer server;
    server.set("/", {.body = R"({"name":"web only"})"});
    services::RelayCheck result = check(server.ws_url(), 2s, 4s);
    ASSERT_TRUE(result.metadata.nip11);
    EXPECT_EQ(result.metadata.nip11->name, "web only");
    ASSERT_TRUE(result.metadata.nip66);
    EXPECT_FALSE(result.metadata.nip66->openable);
    EXPECT_TRUE(result.has_snapshot());
}

TEST(MonitorFaults, RefusedByPolicyMeansNoSnapshot) {
    HttpFixtureServer server;
    server.set("/", {.body = R"({"name":"private"})"});
    services::RelayCheckOptions options;  // default policy: loopback refused
    options.timeout = 2s;
    options.budget = 4s;
    const RelayUrl relay = relay_url(server.ws_url());
    auto result = run_async<services::RelayCheck>(
        [&](asio::any_io_executor ex) { return services::check_relay(ex, relay, options, 1); }, 60s);
    EXPECT_FALSE(result.has_snapshot());
    EXPECT_NE(result.open_error.find("address_refused"), std::string::npos) << result.open_error;
    EXPECT_EQ(server.connections(), 0u);
}

}  // namespace
}  // namespace brotr::test
