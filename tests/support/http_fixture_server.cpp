#include "support/http_fixture_server.hpp"

#include <cctype>
#include <sstream>

namespace brotr::test {

struct HttpFixtureServer::Routes {
    mutable std::mutex mutex;
    std::map<std::string, HttpRoute> by_path;
    std::vector<RecordedRequest> requests;
};

namespace {

// "GET /path\nName: value\n..." (FakePeer::read_http_request) -> target and Accept.
RecordedRequest parse_request(const std::string& text) {
    RecordedRequest request;
    std::istringstream lines(text);
    std::string line;
    if (std::getline(lines, line)) {
        auto space = line.find(' ');
        if (space != std::string::npos) request.target = line.substr(space + 1);
    }
    while (std::getline(lines, line)) {
        auto colon = line.find(": ");
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "accept") request.accept = line.substr(colon + 2);
    }
    return request;
}

}  // namespace

HttpFixtureServer::HttpFixtureServer() : routes_(std::make_shared<Routes>()) {
    server_ = std::make_unique<FakeServer>([routes = routes_](FakePeer& peer) {
        const std::string text = peer.read_http_request();
        if (text.empty()) return;  // not HTTP (e.g. a TLS ClientHello): drop it
        RecordedRequest request = parse_request(text);
        HttpRoute route;
        bool found = false;
        {
            std::lock_guard lock(routes->mutex);
            routes->requests.push_back(request);
            const std::string path = request.target.substr(0, request.target.find('?'));
            auto it = routes->by_path.find(path);
            if (it != routes->by_path.end()) {
                route = it->second;
                found = true;
            }
        }
        if (!found) {
            peer.write_raw(http_response(404, "text/plain", "not found\n"));
            return;
        }
        if (route.stall) {
            peer.stall(std::chrono::hours(1));
            return;
        }
        if (route.delay.count() > 0) peer.stall(route.delay);
        const std::string extra = route.location.empty() ? "" : "Location: " + route.location + "\r\n";
        peer.write_raw(http_response(route.status, route.content_type, route.body, extra));
    });
}

HttpFixtureServer::~HttpFixtureServer() = default;

void HttpFixtureServer::set(const std::string& path, HttpRoute route) {
    std::lock_guard lock(routes_->mutex);
    routes_->by_path[path] = std::move(route);
}

std::uint16_t HttpFixtureServer::port() const { return server_->port(); }

std::string HttpFixtureServer::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
}

std::string HttpFixtureServer::ws_url(const std::string& path) const {
    return "ws://127.0.0.1:" + std::to_string(port()) + path;
}

std::vector<RecordedRequest> HttpFixtureServer::requests() const {
    std::lock_guard lock(routes_->mutex);
    return routes_->requests;
}

std::size_t HttpFixtureServer::connections() const { return server_->connections(); }

}  // namespace brotr::test
