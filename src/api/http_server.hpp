// The API's HTTP/1.1 server (Boost.Beast), after the shape of Beast's
// http_server_async example: a listener accepts, one session per connection
// reads a request, hands it to the handler, writes the answer, and reads the
// next while the client keeps the connection alive. Limits are set before the
// first read, not checked afterwards:
//   - at most max_connections sessions; further clients wait in the accept
//     backlog until one ends;
//   - a request must arrive whole within request_timeout of its first byte
//     (slow clients, slowloris), and its answer be written within it too;
//   - a kept-alive connection that sends nothing for idle_timeout is closed;
//   - the header (request line included) is at most kMaxHeaderBytes: 431;
//     a body over kMaxBodyBytes: 413 (a smaller one is read and ignored:
//     the API takes GET and HEAD only, and answers the rest 405).
// Beast stays in http_server.cpp; this header needs only Asio's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/http_message.hpp"

namespace boost::asio {
class io_context;
}

namespace brotr::api {

inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMaxBodyBytes = 8 * 1024;

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port (see HttpServer::port())
    std::size_t max_connections = 256;
    std::chrono::milliseconds request_timeout{30000};
    std::chrono::milliseconds idle_timeout{60000};
    // When not empty, every request needs "Authorization: Bearer <token>"
    // (401 otherwise). Never logged.
    std::string bearer_token;
    // Paths (the target up to any '?') served without the token: the web
    // page, which holds no data of the archive and asks for the token to
    // read the API itself (docs/api.md, GET /).
    std::vector<std::string> token_free_paths;
};

// Counters the server keeps, for metrics and tests.
struct HttpServerStats {
    std::uint64_t connections_accepted = 0;
    std::uint64_t requests = 0;
    std::uint64_t rejected_header_too_large = 0;
    std::uint64_t rejected_body = 0;
    std::uint64_t rejected_malformed = 0;
    std::uint64_t rejected_unauthorized = 0;
    std::uint64_t timed_out = 0;
    std::size_t open_connections = 0;
};

class HttpServer {
public:
    // Called on a connection's strand; must not throw (Routes::handle doesn't).
    // `route` gets the request target and names its route for the stats.
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    HttpServer(boost::asio::io_context& io, HttpServerOptions options, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts accepting; throws std::runtime_error naming the
    // address when it cannot listen.
    void start();
    std::uint16_t port() const;  // the bound port
    // Stops accepting and closes every connection; returns at once. Safe from any thread.
    void stop();

    HttpServerStats stats() const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

}  // namespace brotr::api
