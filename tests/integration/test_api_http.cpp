// The API's HTTP server over real loopback sockets: keep-alive, HEAD, the
// limits set before the first read (header and body sizes, slow and idle
// clients, connection count), the bearer token, and stop().
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "api/http_server.hpp"
#include "api/routes.hpp"
#include "brotr/store.hpp"
#include "support/http_test_client.hpp"
#include "support/test_env.hpp"

namespace brotr::api {
namespace {

using test::Client;

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

class ApiHttp : public ::testing::Test {
protected:
    void start(HttpServerOptions options = {}) {
        store_ = std::make_unique<Store>(Store::init((dir_ / "store").string(), StoreVariant::bigbrotr));
        routes_ = std::make_unique<Routes>(*store_, RouteOptions{});
        options.port = 0;
        server_ = std::make_unique<HttpServer>(io_, options, [this](const HttpRequest& r) {
            ++handled_;
            return routes_->handle(r);
        });
        server_->start();
        work_.emplace(io_.get_executor());
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
    }
    void TearDown() override {
        if (server_) server_->stop();
        work_.reset();
        for (auto& t : threads_) t.join();
    }
    std::uint16_t port() const { return server_->port(); }

    test::TempDir dir_;
    asio::io_context io_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Routes> routes_;
    std::unique_ptr<HttpServer> server_;
    std::atomic<int> handled_{0};
};

TEST_F(ApiHttp, KeepAliveServesManyRequestsOnOneConnectionAndHeadHasNoBody) {
    start();
    Client c(port());
    auto first = c.get("/health");
    EXPECT_EQ(first.result_int(), 200);
    EXPECT_EQ(first[http::field::content_type], "application/json");
    EXPECT_TRUE(first.keep_alive());
    auto second = c.get("/v1/events?limit=1");
    EXPECT_EQ(second.result_int(), 200);
    EXPECT_NE(second.body().find("\"events\":[]"), std::string::npos) << second.body();
    c.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n");
    auto head = c.read(true);
    EXPECT_EQ(head.result_int(), 200);
    EXPECT_EQ(head[http::field::content_length], std::to_string(first.body().size()));
    EXPECT_TRUE(head.body().empty());
    // Pipelined: two requests in one write, two answers in order.
    c.send("GET /v1/nope HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(c.read().result_int(), 404);
    EXPECT_EQ(c.read().result_int(), 200);
    EXPECT_EQ(server_->stats().connections_accepted, 1u);
    EXPECT_EQ(handled_.load(), 5);
}

TEST_F(ApiHttp, OversizedHeadersGet431BodiesOver8KiB413AndOtherMethods405) {
    start();
    {
        Client c(port());
        c.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
        EXPECT_EQ(c.read().result_int(), 431);
        EXPECT_TRUE(c.closed_by_server());
    }
    {
        Client c(port());
        c.send("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");  // a long URL
        EXPECT_EQ(c.read().result_int(), 431);
    }
    {
        Client c(port());
        c.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, 'x'));
        EXPECT_EQ(c.read().result_int(), 413);
    }
    {
        Client c(port());
        c.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        auto r = c.read();
        EXPECT_EQ(r.result_int(), 405);
        EXPECT_EQ(r[http::field::allow], "GET, HEAD");
        EXPECT_EQ(c.get("/health").result_int(), 200);  // the connection goes on
    }
    {
        Client c(port());
        c.send("garbage\r\n\r\n");
        EXPECT_EQ(c.read().result_int(), 400);
    }
    const auto stats = server_->stats();
    EXPECT_EQ(stats.rejected_header_too_large, 2u);
    EXPECT_EQ(stats.rejected_body, 1u);
    EXPECT_EQ(stats.rejected_malformed, 1u);
    // None of that reached the routes but the 405 and the request after it.
    EXPECT_EQ(handled_.load(), 2);
}

TEST_F(ApiHttp, ASlowClientIsCutOffWhileOthersAreServed) {
    HttpServerOptions options;
    options.request_timeout = 2s;
    start(options);
    Client slow(port(), 4s);
    slow.send("GET /health HTTP/1.1\r\nHost: x\r\n");  // and never the blank line
    for (int i = 0; i < 5; ++i) {
        Client ok(port());
        const auto t0 = std::chrono::steady_clock::now();
        EXPECT_EQ(ok.get("/health").result_int(), 200);
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s) << "a well-behaved client waited on the slow one";
    }
    EXPECT_TRUE(slow.closed_by_server());
    // Beast's timer closes the socket before the read completes with
    // `timeout` and the server counts it: the count may trail the close.
    for (int i = 0; i < 100 && server_->stats().timed_out == 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_GE(server_->stats().timed_out, 1u);
}

TEST_F(ApiHttp, AnIdleKeptAliveConnectionIsClosed) {
    HttpServerOptions options;
    options.idle_timeout = 300ms;
    start(options);
    Client c(port(), 3s);
    EXPECT_EQ(c.get("/health").result_int(), 200);
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_server());
    const auto waited = std::chrono::steady_clock::now() - t0;
    EXPECT_GE(waited, 250ms);
    EXPECT_LT(waited, 2500ms);
}

TEST_F(ApiHttp, ConnectionsBeyondTheLimitWaitUntilOneEnds) {
    HttpServerOptions options;
    options.max_connections = 2;
    start(options);
    Client a(port()), b(port());
    EXPECT_EQ(a.get("/health").result_int(), 200);
    EXPECT_EQ(b.get("/health").result_int(), 200);
    Client third(port(), 500ms);  // the kernel accepts it into the backlog
    third.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    http::response<http::string_body> response;
    EXPECT_EQ(third.try_read(response), asio::error::timed_out) << "served although two connections were open";
    EXPECT_EQ(server_->stats().open_connections, 2u);
    a.socket.close();
    // Once a slot is free the waiting connection is accepted and served.
    third.timeout = 5s;
    EXPECT_EQ(third.read().result_int(), 200);
    EXPECT_EQ(server_->stats().connections_accepted, 3u);
}

TEST_F(ApiHttp, ABearerTokenIsRequiredWhenSet) {
    HttpServerOptions options;
    options.bearer_token = "s3cret-token";
    start(options);
    Client c(port());
    auto none = c.get("/health");
    EXPECT_EQ(none.result_int(), 401);
    EXPECT_EQ(none[http::field::www_authenticate], "Bearer");
    EXPECT_EQ(none.body().find("s3cret"), std::string::npos);
    EXPECT_EQ(c.get("/health", "Authorization: Bearer wrong-token!\r\n").result_int(), 401);
    EXPECT_EQ(c.get("/health", "Authorization: Bearer s3cret-token\r\n").result_int(), 200);
    EXPECT_EQ(server_->stats().rejected_unauthorized, 2u);
    EXPECT_EQ(handled_.load(), 1);
}

TEST_F(ApiHttp, TokenFreePathsAreServedWithoutTheToken) {
    HttpServerOptions options;
    options.bearer_token = "s3cret-token";
    options.token_free_paths = {"/"};
    start(options);
    Client c(port());
    EXPECT_EQ(c.get("/").result_int(), 200);
    EXPECT_EQ(c.get("/?x=1").result_int(), 400);  // the path decides; the routes check the rest
    EXPECT_EQ(c.get("/health").result_int(), 401);
    EXPECT_EQ(c.get("//").result_int(), 401);
    EXPECT_EQ(c.get("/v1/stats/daily").result_int(), 401);
    EXPECT_EQ(server_->stats().rejected_unauthorized, 3u);
}

TEST_F(ApiHttp, StopClosesKeptAliveConnections) {
    start();
    Client c(port(), 3s);
    EXPECT_EQ(c.get("/health").result_int(), 200);
    server_->stop();
    EXPECT_TRUE(c.closed_by_server());
    // And no new connection is served: the listener is closed.
    std::this_thread::sleep_for(100ms);
    asio::io_context io;
    tcp::socket late(io);
    boost::system::error_code ec;
    late.connect({asio::ip::make_address("127.0.0.1"), port()}, ec);
    EXPECT_TRUE(ec == asio::error::connection_refused || port() == 0) << ec.message();
}

}  // namespace
}  // namespace brotr::api
