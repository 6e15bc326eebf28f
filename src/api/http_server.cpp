#include "api/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <list>
#include <mutex>
#include <stdexcept>

#include <openssl/crypto.h>

namespace brotr::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxLingerBytes = 1u << 20;  // read and dropped after a refusal, at most

// Constant-time, so that the time of a refusal tells nothing of the token.
bool same_token(std::string_view given, const std::string& expected) {
    if (given.size() != expected.size()) return false;
    return CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
}

std::string error_body(std::string_view message) {
    // The messages here are fixed texts: no JSON escaping needed.
    return "{\"error\":\"" + std::string(message) + "\"}\n";
}

}  // namespace

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
    State(asio::io_context& io_context, HttpServerOptions o, Handler h)
        : io(io_context), options(std::move(o)), handler(std::move(h)), acceptor(asio::make_strand(io)),
          slot_free(acceptor.get_executor()) {}

    asio::io_context& io;
    HttpServerOptions options;
    Handler handler;
    tcp::acceptor acceptor;
    asio::steady_timer slot_free;    // cancelled when a session ends (on the acceptor's strand)
    std::atomic<std::size_t> open{0};  // sessions alive
    std::atomic<bool> stopping{false};

    mutable std::mutex mutex;  // guards `sessions` and `stats`
    std::list<beast::tcp_stream*> sessions;
    HttpServerStats stats;

    template <typename F>
    void count(F f) {
        std::lock_guard lock(mutex);
        f(stats);
    }

    bool token_free(std::string_view target) const {
        const std::string_view path = target.substr(0, target.find('?'));
        return std::find(options.token_free_paths.begin(), options.token_free_paths.end(), path) !=
               options.token_free_paths.end();
    }

    asio::awaitable<void> accept_loop();
    asio::awaitable<void> session(tcp::socket socket);
    void session_ended();
};

asio::awaitable<void> HttpServer::State::accept_loop() {
    auto self = shared_from_this();
    while (!stopping) {
        while (open >= options.max_connections && !stopping) {
            slot_free.expires_at(asio::steady_timer::time_point::max());
            co_await slot_free.async_wait(kTuple);  // cancelled by session_ended() or stop()
        }
        if (stopping) break;
        auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), kTuple);
        if (ec) {
            if (ec == asio::error::operation_aborted || stopping) break;
            continue;  // e.g. too many open files: try the next one
        }
        ++open;
        count([](HttpServerStats& s) { ++s.connections_accepted; });
        asio::co_spawn(socket.get_executor(), session(std::move(socket)), asio::detached);
    }
}

void HttpServer::State::session_ended() {
    --open;
    asio::post(acceptor.get_executor(), [self = shared_from_this()] { self->slot_free.cancel(); });
}

asio::awaitable<void> HttpServer::State::session(tcp::socket socket) {
    auto self = shared_from_this();
    beast::tcp_stream stream(std::move(socket));
    std::list<beast::tcp_stream*>::iterator registered;
    {
        std::lock_guard lock(mutex);
        registered = sessions.insert(sessions.end(), &stream);
    }
    // Room for a whole header and some pipelined requests behind it.
    beast::flat_buffer buffer(2 * kMaxHeaderBytes);

    auto reply = [&](http::response<http::string_body>& res, bool keep_alive) -> asio::awaitable<bool> {
        res.set(http::field::server, "brotr");
        res.keep_alive(keep_alive);
        stream.expires_after(options.request_timeout);
        auto [ec, n] = co_await http::async_write(stream, res, kTuple);
        co_return !ec;
    };
    bool linger = false;  // the client may still be sending what we refused
    auto refuse = [&](http::status status, std::string_view message) -> asio::awaitable<void> {
        http::response<http::string_body> res{status, 11};
        res.set(http::field::content_type, "application/json");
        res.body() = error_body(message);
        res.prepare_payload();
        co_await reply(res, false);
        linger = true;
    };

    while (!stopping) {
        // Wait for the first byte of the next request no longer than the
        // idle timeout; then the whole request has the request timeout.
        if (buffer.size() == 0) {
            stream.expires_after(options.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kMaxHeaderBytes), kTuple);
            if (ec) {
                if (ec == beast::error::timeout) count([](HttpServerStats& s) { ++s.timed_out; });
                break;
            }
            buffer.commit(n);
        }
        http::request_parser<http::string_body> parser;
        parser.header_limit(kMaxHeaderBytes);
        parser.body_limit(kMaxBodyBytes);
        stream.expires_after(options.request_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
        if (ec) {
            if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
                count([](HttpServerStats& s) { ++s.rejected_header_too_large; });
                co_await refuse(http::status::request_header_fields_too_large,
                                "request header over " + std::to_string(kMaxHeaderBytes) + " bytes");
            } else if (ec == http::error::body_limit) {
                count([](HttpServerStats& s) { ++s.rejected_body; });
                co_await refuse(http::status::payload_too_large,
                                "request body over " + std::to_string(kMaxBodyBytes) + " bytes");
            } else if (ec == beast::error::timeout) {
                count([](HttpServerStats& s) { ++s.timed_out; });
            } else if (ec != http::error::end_of_stream && ec != asio::error::eof &&
                       ec != asio::error::connection_reset && ec != asio::error::operation_aborted) {
                count([](HttpServerStats& s) { ++s.rejected_malformed; });
                co_await refuse(http::status::bad_request, "malformed HTTP request");
            }
            break;
        }
        const auto& req = parser.get();
        const bool keep_alive = req.keep_alive() && !stopping;
        count([](HttpServerStats& s) { ++s.requests; });

        if (!options.bearer_token.empty() && !token_free(req.target())) {
            std::string_view auth = req[http::field::authorization];
            constexpr std::string_view kBearer = "Bearer ";
            const bool ok = auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer &&
                            same_token(auth.substr(kBearer.size()), options.bearer_token);
            if (!ok) {
                count([](HttpServerStats& s) { ++s.rejected_unauthorized; });
                http::response<http::string_body> res{http::status::unauthorized, req.version()};
                res.set(http::field::content_type, "application/json");
                res.set(http::field::www_authenticate, "Bearer");
                res.body() = error_body("missing or wrong bearer token");
                res.prepare_payload();
                if (!co_await reply(res, keep_alive) || !keep_alive) break;
                continue;
            }
        }

        HttpResponse answer = handler(HttpRequest{std::string(req.method_string()), std::string(req.target())});
        http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
        res.set(http::field::content_type, answer.content_type);
        for (const auto& [name, value] : answer.headers) res.set(name, value);
        if (req.method() == http::verb::head) {
            res.content_length(answer.body.size());  // GET's length, no body
        } else {
            res.body() = std::move(answer.body);
            res.prepare_payload();
        }
        if (!co_await reply(res, keep_alive) || !keep_alive) break;
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger) {
        // Closing with unread bytes would reset the connection, and a reset
        // can destroy the refusal before the client reads it: read and drop
        // what the client still sends, for a bounded time and amount.
        stream.expires_after(std::chrono::seconds(1));
        std::array<char, 16 * 1024> sink;
        for (std::size_t drained = 0; drained < kMaxLingerBytes;) {
            auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
            if (ec) break;
            drained += n;
        }
    }
    {
        std::lock_guard lock(mutex);
        sessions.erase(registered);
    }
    session_ended();
}

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, Handler handler)
    : state_(std::make_shared<State>(io, std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
    State& s = *state_;
    const std::string where = s.options.host + ":" + std::to_string(s.options.port);
    beast::error_code ec;
    const auto address = asio::ip::make_address(s.options.host, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": not an IP address");
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec) s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) s.acceptor.bind(endpoint, ec);
    if (!ec) s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    asio::co_spawn(s.acceptor.get_executor(), s.accept_loop(), asio::detached);
}

std::uint16_t HttpServer::port() const {
    beast::error_code ec;
    auto endpoint = state_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

void HttpServer::stop() {
    auto s = state_;
    if (s->stopping.exchange(true)) return;
    asio::post(s->acceptor.get_executor(), [s] {
        beast::error_code ignored;
        s->acceptor.close(ignored);
        s->slot_free.cancel();
    });
    std::lock_guard lock(s->mutex);
    for (beast::tcp_stream* stream : s->sessions) {
        // Each stream lives on its own strand: close it there.
        asio::post(stream->get_executor(), [stream, s] {
            std::lock_guard inner(s->mutex);
            // Still registered means still alive (sessions unregister before they end).
            for (beast::tcp_stream* alive : s->sessions)
                if (alive == stream) stream->cancel();
        });
    }
}

HttpServerStats HttpServer::stats() const {
    std::lock_guard lock(state_->mutex);
    HttpServerStats stats = state_->stats;
    stats.open_connections = state_->open.load();
    return stats;
}

}  // namespace brotr::api
