// The client side of TLS over an open TCP stream (internal to src/net):
// SNI, certificate and host name verification, handshake under a timeout.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <string_view>

#include "net/connect_options.hpp"

namespace brotr::net {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

// Wraps the stream; throws NetError(Failure::tls) when verification or the
// handshake fails, Failure::timeout after options.handshake_timeout.
boost::asio::awaitable<void> tls_handshake(TlsStream& stream, std::string_view host, const ConnectOptions& options);

// The TLS context to use under these options.
TlsContext& tls_context(const ConnectOptions& options);

}  // namespace brotr::net
