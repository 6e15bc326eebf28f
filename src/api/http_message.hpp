// A request and a response as the API's routes see them: plain values with
// no Boost.Beast in sight, so the routes can be tested without sockets and
// without compiling Beast (http_server.cpp converts to and from Beast).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace brotr::api {

struct HttpRequest {
    std::string method;  // "GET", "HEAD", ...
    std::string target;  // origin-form: "/v1/events?kinds=1"
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // beyond Content-Type and Content-Length
    std::string route = "other";  // the route's pattern ("/v1/events/{id}"), for metrics; not sent
};

}  // namespace brotr::api
