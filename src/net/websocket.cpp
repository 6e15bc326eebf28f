// WebSocket over Beast: the plain and TLS variants share one template.
#include "net/websocket.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "net/net_error.hpp"
#include "net/tcp_connect.hpp"
#include "net/tls_handshake.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace brotr::net {

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
using Clock = std::chrono::steady_clock;


// The Host header: host, with brackets for IPv6, and the port unless default.
std::string host_header(const RelayUrl& url) {
    std::string host = url.host().find(':') != std::string::npos ? "[" + url.host() + "]" : url.host();
    const std::uint16_t default_port = url.secure() ? 443 : 80;
    if (url.port() != default_port) host += ":" + std::to_string(url.port());
    return host;
}

[[noreturn]] void throw_read_error(const boost::system::error_code& ec) {
    if (ec == websocket::error::closed) throw NetError(Failure::closed, Step::read, "closed by the peer");
    if (ec == websocket::error::message_too_big) throw NetError(Failure::too_large, Step::read, "message over the limit");
    if (ec == beast::error::timeout) throw NetError(Failure::timeout, Step::read, "peer silent (idle timeout)");
    throw_net_error(ec, Step::read);
}

template <class Next>
class BeastWebSocket final : public WebSocket {
public:
    BeastWebSocket(Next&& next, const ConnectTimings& timings) : ws_(std::move(next)), timings_(timings) {}

    asio::awaitable<void> handshake(const RelayUrl& url, const WebSocketOptions& options) {
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = options.connect.handshake_timeout;
        timeouts.idle_timeout = options.idle_timeout.count() > 0
                                    ? websocket::stream_base::duration(options.idle_timeout)
                                    : websocket::stream_base::none();
        timeouts.keep_alive_pings = true;
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator(
            [agent = options.connect.user_agent](websocket::request_type& req) {
                req.set(beast::http::field::user_agent, agent);
            }));
        websocket::permessage_deflate pmd;
        pmd.client_enable = options.permessage_deflate;
        pmd.server_enable = false;
        // Requests are small: compressing them would cost a deflate state per
        // connection for nothing. Incoming messages are inflated regardless.
        pmd.msg_size_threshold = 16 * 1024;
        ws_.set_option(pmd);
        ws_.read_message_max(options.max_message_bytes);
        ws_.auto_fragment(false);
        // Beast's own timeouts govern the WebSocket from here on.
        beast::get_lowest_layer(ws_).expires_never();

        auto start = Clock::now();
        websocket::response_type response;
        auto [ec] = co_await ws_.async_handshake(response, host_header(url), url.target(), kTuple);
        timings_.handshake = since(start);
        if (ec) {
            if (ec == beast::error::timeout) throw NetError(Failure::timeout, Step::handshake, url.str());
            if (ec == websocket::error::upgrade_declined) {
                throw NetError(Failure::handshake, Step::handshake,
                               "upgrade declined with HTTP " + std::to_string(response.result_int()));
            }
            throw NetError(Failure::handshake, Step::handshake, ec.message());
        }
        auto extensions = response[beast::http::field::sec_websocket_extensions];
        compressed_ = options.permessage_deflate && extensions.find("permessage-deflate") != beast::string_view::npos;
        ws_.text(true);
    }

    asio::awaitable<MessageKind> read(std::string& out) override {
        out.clear();
        auto buffer = asio::dynamic_buffer(out);
        auto [ec, n] = co_await ws_.async_read(buffer, kTuple);
        if (ec) throw_read_error(ec);
        co_return ws_.got_binary() ? MessageKind::binary : MessageKind::text;
    }

    asio::awaitable<void> write(std::string_view text) override {
        auto [ec, n] = co_await ws_.async_write(asio::buffer(text.data(), text.size()), kTuple);
        if (ec) throw_net_error(ec, Step::write);
    }

    asio::awaitable<void> close() override {
        if (ws_.is_open()) {
            auto [ec] = co_await ws_.async_close(websocket::close_code::normal, kTuple);
            (void)ec;  // a peer that cannot close properly is dropped below anyway
        }
        abort();
    }

    void abort() override {
        boost::system::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    const ConnectTimings& timings() const override { return timings_; }
    bool compressed() const override { return compressed_; }

private:
    websocket::stream<Next> ws_;
    ConnectTimings timings_;
    bool compressed_ = false;
};

asio::awaitable<std::unique_ptr<WebSocket>> connect_here(RelayUrl url, WebSocketOptions options) {
    ConnectTimings timings;
    auto tcp = co_await open_tcp(url.host(), url.port(), options.connect, timings);
    if (!url.secure()) {
        auto ws = std::make_unique<BeastWebSocket<beast::tcp_stream>>(std::move(tcp), timings);
        co_await ws->handshake(url, options);
        co_return ws;
    }
    auto start = Clock::now();
    TlsStream tls(std::move(tcp), tls_context(options.connect).native());
    co_await tls_handshake(tls, url.host(), options.connect);
    timings.tls = since(start);
    auto ws = std::make_unique<BeastWebSocket<TlsStream>>(std::move(tls), timings);
    co_await ws->handshake(url, options);
    co_return ws;
}

}  // namespace

asio::awaitable<std::unique_ptr<WebSocket>> WebSocket::connect(asio::any_io_executor executor, const RelayUrl& url,
                                                               const WebSocketOptions& options) {
    co_return co_await asio::co_spawn(executor, connect_here(url, options), asio::use_awaitable);
}

}  // namespace brotr::net
