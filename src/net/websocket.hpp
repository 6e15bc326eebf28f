// A WebSocket client connection (ws:// and wss://), Beast kept out of this
// header. Every step has a timeout, messages have a size limit (checked after
// permessage-deflate inflation, so a compressed bomb stops at the limit), and
// an idle connection is probed with pings and dropped if the peer is silent.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "brotr/relay_url.hpp"
#include "net/connect_options.hpp"
#include "net/connect_timings.hpp"

namespace brotr::net {

struct WebSocketOptions {
    ConnectOptions connect{};
    std::size_t max_message_bytes = 4 * 1024 * 1024;  // after inflation
    bool permessage_deflate = true;
    // After this long without incoming data a ping is sent; after twice this
    // long the connection is dropped (a pending read fails with a timeout).
    std::chrono::milliseconds idle_timeout{60'000};
};

enum class MessageKind : std::uint8_t { text, binary };

class WebSocket {
public:
    virtual ~WebSocket() = default;

    // Resolves, connects (directly or through SOCKS5), runs TLS for wss:// and
    // the WebSocket upgrade. Every operation of the connection runs on
    // `executor`, which must be a strand if the io_context has several
    // threads. Throws NetError.
    static boost::asio::awaitable<std::unique_ptr<WebSocket>> connect(boost::asio::any_io_executor executor,
                                                                      const RelayUrl& url,
                                                                      const WebSocketOptions& options);

    // The next message into `out` (replacing its content). At most one read
    // and one write may be pending at a time. Throws NetError: closed,
    // too_large, timeout (idle), io.
    virtual boost::asio::awaitable<MessageKind> read(std::string& out) = 0;
    virtual boost::asio::awaitable<void> write(std::string_view text) = 0;
    // Closing handshake, bounded by the handshake timeout; never throws.
    virtual boost::asio::awaitable<void> close() = 0;
    // Drops the connection now; pending operations fail. Call on the executor.
    virtual void abort() = 0;

    virtual const ConnectTimings& timings() const = 0;
    virtual bool compressed() const = 0;  // permessage-deflate negotiated
};

}  // namespace brotr::net
