// The API's routes: a plain function from a request to a response over one
// store, tested without sockets (tests/unit/test_api_routes.cpp) and served
// by http_server.hpp. Every answer is JSON except the web page at / and
// /metrics; bad input is a 4xx naming the parameter, never a 500.
// docs/api.md documents each route.
#pragma once

#include <cstdint>
#include <string>

#include "api/http_message.hpp"

namespace brotr {
class Store;
}

namespace brotr::api {

struct RouteOptions {
    std::uint32_t default_limit = 100;  // rows when a query gives no limit
    std::uint32_t max_limit = 1000;     // rows one response holds at most
    // Index entries one /v1/events request may examine; past it the page ends
    // at a second's boundary with a `next` cursor.
    std::uint64_t scan_budget = 100000;
};

class Routes {
public:
    Routes(const Store& store, RouteOptions options) : store_(store), options_(options) {}

    // Never throws. HEAD is answered as GET (the server leaves the body out).
    HttpResponse handle(const HttpRequest& request) const;

    // The route a target names, as handle() sets HttpResponse::route:
    // "/v1/events/{id}", or "other" for any path the API does not serve.
    static std::string route_of(const std::string& target);

private:
    const Store& store_;
    RouteOptions options_;
};

}  // namespace brotr::api
