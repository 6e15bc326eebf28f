#include "support/http_test_client.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

namespace brotr::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;

Client::Client(std::uint16_t port, std::chrono::milliseconds read_timeout) : socket(io), timeout(read_timeout) {
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
}

bool Client::run_until_done() {
    io.restart();
    io.run_for(timeout);
    if (io.stopped()) return true;
    socket.cancel();  // and let the cancelled operation finish
    io.restart();
    io.run();
    return false;
}

void Client::send(const std::string& bytes) { asio::write(socket, asio::buffer(bytes)); }

boost::system::error_code Client::try_read(Response& out, bool head) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    parser.body_limit(64u << 20);
    boost::system::error_code result = asio::error::timed_out;
    http::async_read(socket, buffer, parser, [&](boost::system::error_code ec, std::size_t) { result = ec; });
    if (!run_until_done()) return asio::error::timed_out;
    if (!result) out = parser.release();
    return result;
}

Client::Response Client::read(bool head) {
    Response out;
    if (auto ec = try_read(out, head)) throw boost::system::system_error(ec, "reading a response");
    return out;
}

Client::Response Client::get(const std::string& target, const std::string& extra) {
    send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n");
    return read();
}

bool Client::closed_by_server() {
    char byte;
    boost::system::error_code result = asio::error::timed_out;
    socket.async_read_some(asio::buffer(&byte, 1), [&](boost::system::error_code ec, std::size_t) { result = ec; });
    if (!run_until_done()) return false;
    return result == asio::error::eof || result == asio::error::connection_reset;
}

}  // namespace brotr::test
