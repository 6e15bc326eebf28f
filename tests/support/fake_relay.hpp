// In-process fake peers on loopback for the faults real relays and servers do
// not produce: garbage frames, oversized or compressed-bomb messages, floods,
// forged events, stalls at each step, broken HTTP. A FakeServer accepts
// connections and runs a scripted handler per connection on its own thread
// with blocking I/O, so scripts read top to bottom. Also: running a client
// coroutine to completion under a time limit, and signing test events.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "brotr/event.hpp"
#include "runtime/blocking.hpp"

namespace brotr::test {

// One accepted connection, seen from the fake server's side.
class FakePeer {
public:
    virtual ~FakePeer() = default;

    // Raw TCP.
    virtual std::string read_some() = 0;  // empty when the client closed
    virtual void write_raw(std::string_view bytes) = 0;

    // WebSocket: completes the client's upgrade (optionally negotiating
    // permessage-deflate), then messages. read_message() is nullopt when the
    // client closed or the connection failed.
    virtual void accept_websocket(bool deflate = false) = 0;
    virtual std::optional<std::string> read_message() = 0;
    virtual void send_text(std::string_view text) = 0;
    virtual void send_binary(std::string_view bytes) = 0;

    // HTTP: the next request's target and headers as text ("" when none came).
    virtual std::string read_http_request() = 0;

    // Sleeps until the timeout or the server's shutdown, whichever is first.
    virtual void stall(std::chrono::milliseconds timeout) = 0;
};

class FakeServer {
public:
    using Handler = std::function<void(FakePeer&)>;
    // Listens on 127.0.0.1 (a free port) and runs `handler` for each connection.
    explicit FakeServer(Handler handler);
    ~FakeServer();  // stops accepting, drops every connection, joins the threads
    FakeServer(const FakeServer&) = delete;
    FakeServer& operator=(const FakeServer&) = delete;

    std::uint16_t port() const { return port_; }
    std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
    std::string http_url(std::string_view path = "/") const {
        return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
    }
    std::size_t connections() const { return accepted_.load(); }
    // Exceptions thrown by handlers (assertion helpers report them).
    std::vector<std::string> handler_errors() const;

    struct State;

private:
    std::shared_ptr<State> state_;
    std::uint16_t port_ = 0;
    std::atomic<std::size_t> accepted_{0};
    std::thread accept_thread_;
};

// ["REQ", <id>, ...] -> id; "" when the message is not a REQ.
std::string req_subscription_id(std::string_view message);
// The "limit" of the first filter of a REQ, if any.
std::optional<std::size_t> req_limit(std::string_view message);
// ["EVENT", {...}] from a client -> the event's "id" ("" when not an EVENT).
std::string client_event_id(std::string_view message);

// A complete HTTP/1.1 response with Content-Length.
std::string http_response(int status, std::string_view content_type, std::string_view body,
                          std::string_view extra_headers = {});

// Test signing without brotr's key management: a fixed secret key (32 bytes
// from a seed byte), BIP-340 via libsecp256k1.
Event make_signed_event(std::uint8_t key_seed, std::int64_t created_at, std::uint16_t kind = 1,
                        std::string content = "hello", Tags tags = {});
// Signs `e` in place (pubkey, id, sig) with the key for `key_seed`.
bool sign_event(Event& e, std::uint8_t key_seed);
// ["EVENT", "<sub>", <event json>]
std::string event_frame(std::string_view subscription_id, const Event& e);

// Runs `body` on a fresh io_context with `threads` threads until it
// finishes; throws if it has not after `limit` (a hang is a failure, not a
// stuck test run).
template <class T>
T run_async(std::function<boost::asio::awaitable<T>(boost::asio::any_io_executor)> body,
            std::chrono::seconds limit = std::chrono::seconds(120), unsigned threads = 1) {
    boost::asio::io_context io;
    std::optional<T> result;
    std::exception_ptr error;
    std::atomic<bool> done{false};
    boost::asio::co_spawn(io, body(io.get_executor()), [&](std::exception_ptr e, T value) {
        if (e) error = e; else result.emplace(std::move(value));
        done = true;
    });
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < threads; ++i) extra.emplace_back([&] { io.run_for(limit); });
    io.run_for(limit);
    for (auto& t : extra) t.join();
    runtime::wait_for_blocking_jobs(limit);  // before `io` goes: pool threads may still hold its executors
    if (!done) throw std::runtime_error("coroutine did not finish within the time limit");
    if (error) std::rethrow_exception(error);
    return std::move(*result);
}

}  // namespace brotr::test
