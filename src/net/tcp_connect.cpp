#include "net/tcp_connect.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <array>
#include <memory>
#include <vector>

#include "brotr/address_policy.hpp"
#include "net/socks5.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace brotr::net {

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

using Clock = std::chrono::steady_clock;


// The resolver has no timeout of its own: a timer cancels it. Both share
// this state so a timer handler already queued when the lookup finishes
// never touches a finished coroutine's frame.
struct ResolveState {
    explicit ResolveState(const asio::any_io_executor& ex) : resolver(ex) {}
    tcp::resolver resolver;
    bool timed_out = false;
};

asio::awaitable<std::vector<tcp::endpoint>> resolve(std::string_view host, std::uint16_t port,
                                                     std::chrono::milliseconds timeout) {
    auto ex = co_await asio::this_coro::executor;
    auto state = std::make_shared<ResolveState>(ex);
    asio::steady_timer timer(ex, timeout);
    timer.async_wait([state](const boost::system::error_code& ec) {
        if (!ec) {
            state->timed_out = true;
            state->resolver.cancel();
        }
    });
    auto [ec, results] = co_await state->resolver.async_resolve(std::string(host), std::to_string(port),
                                                                tcp::resolver::numeric_service, kTuple);
    timer.cancel();
    if (state->timed_out) throw NetError(Failure::timeout, Step::resolve, std::string(host));
    if (ec) throw NetError(Failure::resolve, Step::resolve, std::string(host) + ": " + ec.message());
    std::vector<tcp::endpoint> endpoints;
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
    co_return endpoints;
}

IpAddress to_ip(const asio::ip::address& a) {
    return a.is_v4() ? IpAddress::v4(a.to_v4().to_bytes()) : IpAddress::v6(a.to_v6().to_bytes());
}

// The SSRF rule: only the addresses the policy allows are connected to (a
// name with both public and private addresses keeps the public ones).
std::vector<tcp::endpoint> apply_address_rule(std::vector<tcp::endpoint> endpoints, std::string_view host,
                                              const ConnectOptions& options) {
    if (!options.address_policy) return endpoints;
    std::vector<tcp::endpoint> allowed;
    std::string refused;
    for (const auto& ep : endpoints) {
        auto why = refusal(to_ip(ep.address()), *options.address_policy);
        if (!why) {
            allowed.push_back(ep);
        } else if (refused.empty()) {
            refused = ep.address().to_string() + ", " + std::string(to_string(*why));
        }
    }
    if (allowed.empty()) {
        throw NetError(Failure::address_refused, Step::resolve,
                       std::string(host) + " resolves to a refused address (" + refused + ")");
    }
    return allowed;
}

asio::awaitable<void> connect_endpoints(beast::tcp_stream& stream, const std::vector<tcp::endpoint>& endpoints,
                                        std::chrono::milliseconds timeout, std::string_view what) {
    stream.expires_after(timeout);
    auto [ec, endpoint] = co_await stream.async_connect(endpoints, kTuple);
    if (ec) throw_net_error(ec, Step::connect, what);
}

asio::awaitable<void> socks5_negotiate(beast::tcp_stream& stream, std::string_view host, std::uint16_t port,
                                       std::chrono::milliseconds timeout) {
    auto request = socks5::connect_request(host, port);
    if (!request) throw NetError(Failure::invalid_url, Step::proxy, "host name too long for SOCKS5");
    stream.expires_after(timeout);

    auto greeting = socks5::greeting();
    if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(greeting), kTuple); ec) {
        throw_net_error(ec, Step::proxy, "greeting");
    }
    std::array<std::uint8_t, 2> method{};
    if (auto [ec, n] = co_await asio::async_read(stream, asio::buffer(method), kTuple); ec) {
        throw_net_error(ec, Step::proxy, "method reply");
    }
    if (auto why = socks5::check_method_reply(method); !why.empty()) throw NetError(Failure::proxy, Step::proxy, why);

    if (auto [ec, n] = co_await asio::async_write(stream, asio::buffer(*request), kTuple); ec) {
        throw_net_error(ec, Step::proxy, "connect request");
    }
    std::array<std::uint8_t, 5> head{};
    if (auto [ec, n] = co_await asio::async_read(stream, asio::buffer(head), kTuple); ec) {
        throw_net_error(ec, Step::proxy, "connect reply");
    }
    std::string why;
    auto remaining = socks5::connect_reply_remaining(head, why);
    if (!remaining) throw NetError(Failure::proxy, Step::proxy, why);
    std::array<std::uint8_t, 258> rest{};
    if (auto [ec, n] = co_await asio::async_read(stream, asio::buffer(rest.data(), *remaining), kTuple); ec) {
        throw_net_error(ec, Step::proxy, "connect reply");
    }
    stream.expires_never();
}

}  // namespace

bool uses_proxy(std::string_view host, const ConnectOptions& options) {
    if (options.proxy_use == ProxyUse::all_hosts && options.socks5) return true;
    return host.ends_with(".onion");
}

void throw_net_error(const boost::system::error_code& ec, Step step, std::string_view context) {
    std::string detail = context.empty() ? ec.message() : std::string(context) + ": " + ec.message();
    if (ec == beast::error::timeout) throw NetError(Failure::timeout, step, std::string(context));
    if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::operation_aborted) {
        throw NetError(Failure::closed, step, detail);
    }
    if (step == Step::connect) throw NetError(Failure::connect, step, detail);
    if (step == Step::proxy) throw NetError(Failure::proxy, step, detail);
    throw NetError(Failure::io, step, detail);
}

asio::awaitable<beast::tcp_stream> open_tcp(std::string_view host, std::uint16_t port, const ConnectOptions& options,
                                            ConnectTimings& timings) {
    auto ex = co_await asio::this_coro::executor;
    beast::tcp_stream stream(ex);
    if (uses_proxy(host, options)) {
        if (!options.socks5) throw NetError(Failure::tor_disabled, Step::connect, std::string(host));
        // Connecting through a proxy for clearnet hosts cannot see where the
        // proxy will go; the SSRF rule is applied locally first.
        if (!host.ends_with(".onion") && options.address_policy) {
            apply_address_rule(co_await resolve(host, port, options.resolve_timeout), host, options);
        }
        auto start = Clock::now();
        // The proxy comes from the user's config: the SSRF rule does not apply to it.
        auto proxy_endpoints = co_await resolve(options.socks5->host, options.socks5->port, options.resolve_timeout);
        co_await connect_endpoints(stream, proxy_endpoints, options.connect_timeout, "SOCKS5 proxy");
        co_await socks5_negotiate(stream, host, port, options.connect_timeout);
        timings.connect = since(start);
    } else {
        auto start = Clock::now();
        auto endpoints = apply_address_rule(co_await resolve(host, port, options.resolve_timeout), host, options);
        timings.resolve = since(start);
        start = Clock::now();
        co_await connect_endpoints(stream, endpoints, options.connect_timeout, host);
        timings.connect = since(start);
    }
    stream.expires_never();
    co_return stream;
}

}  // namespace brotr::net
