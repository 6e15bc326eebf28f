#include "api/routes.hpp"

#include <exception>

#include "api/api_error.hpp"
#include "api/route_handlers.hpp"
#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "storage/row_json.hpp"

namespace brotr::api {

namespace {

HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.body.push_back('\n');
    return r;
}

HttpResponse error_response(int status, const std::string& message, const std::string& param) {
    Json j{{"error", message}};
    if (!param.empty()) j["param"] = param;
    return json_response(status, j.dump());
}

// The pattern of the route `s` names, or "other": a bounded set of names, so
// that metrics labels cannot grow with whatever paths clients send.
std::string route_name(const std::vector<std::string>& s) {
    if (s.empty()) return "/";
    if (s.size() == 1 && (s[0] == "health" || s[0] == "metrics")) return "/" + s[0];
    if (s.size() == 3 && s[0] == "v1" && s[1] == "stats" && s[2] == "daily") return "/v1/stats/daily";
    if (s.size() >= 2 && s[0] == "v1") {
        if (s.size() == 2 && (s[1] == "events" || s[1] == "relays" || s[1] == "stats")) return "/v1/" + s[1];
        if (s.size() == 3 && s[1] == "events") return "/v1/events/{id}";
        if (s.size() == 3 && s[1] == "relays") return "/v1/relays/{url}";
        if (s.size() == 4 && s[1] == "relays" && s[3] == "metadata") return "/v1/relays/{url}/metadata";
    }
    return "other";
}

HttpResponse dispatch(const Store& store, const RouteOptions& options, const HttpRequest& request,
                      RequestTarget& target) {
    QueryParams params(std::move(target.params));
    const auto& s = target.segments;
    if (s.empty()) {
        params.finish();
        return page_response();
    }
    if (s.size() == 1 && s[0] == "health") {
        params.finish();
        try {
            return json_response(200, health_body(store));
        } catch (const StoreError& e) {
            return json_response(503, Json{{"status", "unavailable"}, {"error", e.what()}}.dump());
        }
    }
    if (s.size() == 1 && s[0] == "metrics") {
        params.finish();
        HttpResponse r;
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        r.body = metrics_body(store);
        return r;
    }
    if (s.size() >= 2 && s[0] == "v1") {
        if (s[1] == "events" && s.size() == 2) return json_response(200, events_body(store, options, params));
        if (s[1] == "events" && s.size() == 3) {
            params.finish();
            return json_response(200, event_body(store, s[2]));
        }
        if (s[1] == "relays" && s.size() == 2) return json_response(200, relays_body(store, options, params));
        if (s[1] == "relays" && s.size() == 3) {
            params.finish();
            return json_response(200, relay_body(store, s[2]));
        }
        if (s[1] == "relays" && s.size() == 4 && s[3] == "metadata")
            return json_response(200, relay_metadata_body(store, options, s[2], params));
        if (s[1] == "stats" && s.size() == 2) return json_response(200, stats_body(store, options, params));
        if (s[1] == "stats" && s.size() == 3 && s[2] == "daily") return json_response(200, stats_daily_body(store, params));
    }
    throw ApiError(404, "no such path: " + request.target.substr(0, request.target.find('?')));
}

}  // namespace

HttpResponse Routes::handle(const HttpRequest& request) const {
    if (request.method != "GET" && request.method != "HEAD") {
        HttpResponse r = error_response(405, "method " + request.method + " is not allowed; use GET or HEAD", "");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    HttpResponse response;
    std::string route = "other";
    try {
        RequestTarget target = parse_request_target(request.target);
        route = route_name(target.segments);
        response = dispatch(store_, options_, request, target);
    } catch (const ApiError& e) {
        response = error_response(e.status(), e.what(), e.param());
    } catch (const StoreError& e) {
        // The store could not be read (I/O, corruption): not the caller's fault.
        log::error("api", "store_error", {{"target", request.target.substr(0, 200)}, {"error", e.what()}});
        response = error_response(503, std::string("the store cannot be read: ") + e.what(), "");
    } catch (const std::exception& e) {
        log::error("api", "request_failed", {{"target", request.target.substr(0, 200)}, {"error", e.what()}});
        response = error_response(500, "internal error", "");
    }
    response.route = std::move(route);
    return response;  // for HEAD the server sends the headers of this GET answer only
}

std::string Routes::route_of(const std::string& target) {
    try {
        return route_name(parse_request_target(target).segments);
    } catch (const ApiError&) {
        return "other";
    }
}

}  // namespace brotr::api
