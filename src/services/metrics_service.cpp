#include "services/metrics_service.hpp"

#include <boost/asio/io_context.hpp>

#include "api/http_server.hpp"
#include "api/routes.hpp"
#include "brotr/log.hpp"
#include "runtime/shutdown.hpp"

namespace brotr::services {

MetricsService::MetricsService(const Store& store, MetricsConfig config, bool once, boost::asio::io_context& io) {
    if (once) return;
    routes_ = std::make_shared<api::Routes>(store, api::RouteOptions{});
    api::HttpServerOptions options;
    options.host = config.host;
    options.port = config.port;
    options.max_connections = 16;  // scrapers, not clients
    server_ = std::make_unique<api::HttpServer>(io, options, [routes = routes_](const api::HttpRequest& request) {
        // Of the API's routes only /metrics; other methods get the routes' 405.
        const bool get = request.method == "GET" || request.method == "HEAD";
        if (get && api::Routes::route_of(request.target) != "/metrics") {
            api::HttpResponse response;
            response.status = 404;
            response.body = "{\"error\":\"this address serves /metrics only\"}\n";
            return response;
        }
        api::HttpResponse response = routes->handle(request);
        return response;
    });
    server_->start();
    log::info("metrics", "listening", {{"host", config.host}, {"port", std::to_string(server_->port())}});
}

MetricsService::~MetricsService() = default;

boost::asio::awaitable<runtime::CycleReport> MetricsService::run_cycle(runtime::Shutdown& shutdown) {
    runtime::CycleReport report;
    if (!server_) {
        report.add("served", "no (a server has no single cycle; run it without --once)");
        co_return report;
    }
    while (!shutdown.requested()) co_await shutdown.sleep(std::chrono::hours(24));
    server_->stop();
    report.add_number("scrapes", server_->stats().requests);
    co_return report;
}

}  // namespace brotr::services
