// A plain HTTP/1.1 client for tests of brotr's servers: raw bytes out,
// parsed responses in, every read bounded by a timeout (asio's blocking
// reads ignore SO_RCVTIMEO, so reads run on the client's own io_context for
// at most that long).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace brotr::test {

struct Client {
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    explicit Client(std::uint16_t port, std::chrono::milliseconds read_timeout = std::chrono::seconds(5));
    void send(const std::string& bytes);
    // The next response, or an error code (timed_out when none came in time).
    boost::system::error_code try_read(Response& out, bool head = false);
    Response read(bool head = false);  // throws on error
    // Sends "GET target" with `extra` header lines ("Name: value\r\n" each).
    Response get(const std::string& target, const std::string& extra = "");
    // True when the server closed the connection (EOF or reset) within the timeout.
    bool closed_by_server();

    // Runs the one pending operation for at most `timeout`; false (and the
    // operation cancelled) when it did not finish in time.
    bool run_until_done();

    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket;
    boost::beast::flat_buffer buffer;
    std::chrono::milliseconds timeout;
};

}  // namespace brotr::test
