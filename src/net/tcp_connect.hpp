// Opening the TCP connection under a URL (internal to src/net): resolve with
// a timeout and apply the SSRF rule, or go through the SOCKS5 proxy, then
// connect, each step timed.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <string_view>

#include "net/connect_options.hpp"
#include "net/connect_timings.hpp"
#include "net/net_error.hpp"

namespace brotr::net {

// True when `host` must go through the proxy under these options.
bool uses_proxy(std::string_view host, const ConnectOptions& options);

// The connected stream, bound to the calling coroutine's executor (a strand
// when the io_context has several threads), with no expiry set. Throws
// NetError naming the failed step.
boost::asio::awaitable<boost::beast::tcp_stream> open_tcp(std::string_view host, std::uint16_t port,
                                                          const ConnectOptions& options, ConnectTimings& timings);

// Maps a Boost error of `step` to a NetError (timeouts, refusals, closes).
[[noreturn]] void throw_net_error(const boost::system::error_code& ec, Step step, std::string_view context = {});

}  // namespace brotr::net
