// A small HTTP server on loopback for the monitor's NIP-11 fetches and the
// finder's API lists: each path answers with a configured response (any
// status, body and content type; after a delay; or never), unknown paths
// with 404. Requests are recorded so tests can check what was asked for.
// TLS attempts against it fail at once (it speaks plain HTTP only).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_relay.hpp"

namespace brotr::test {

// Every member has an initializer, so designated initializers may name any subset.
struct HttpRoute {
    int status = 200;
    std::string content_type = "application/json";
    std::string body{};
    std::chrono::milliseconds delay{0};  // wait before answering
    bool stall = false;                  // never answer (until the server stops)
    std::string location{};              // sent as a Location header when set
};

struct RecordedRequest {
    std::string target;  // path and query
    std::string accept;  // the Accept header
};

class HttpFixtureServer {
public:
    HttpFixtureServer();
    ~HttpFixtureServer();
    HttpFixtureServer(const HttpFixtureServer&) = delete;
    HttpFixtureServer& operator=(const HttpFixtureServer&) = delete;

    // Thread-safe; replaces the route of `path` ("/" for NIP-11 of a relay at the root).
    void set(const std::string& path, HttpRoute route);

    std::uint16_t port() const;
    std::string url(const std::string& path = "/") const;  // http://127.0.0.1:<port><path>
    std::string ws_url(const std::string& path = "") const;  // ws://127.0.0.1:<port><path>

    std::vector<RecordedRequest> requests() const;
    std::size_t connections() const;

private:
    struct Routes;
    std::shared_ptr<Routes> routes_;
    std::unique_ptr<FakeServer> server_;
};

}  // namespace brotr::test
