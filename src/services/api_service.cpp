#include "services/api_service.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <cstdlib>
#include <stdexcept>

#include "api/http_server.hpp"
#include "api/routes.hpp"
#include "brotr/log.hpp"
#include "runtime/shutdown.hpp"
#include "util/metrics.hpp"

namespace asio = boost::asio;

namespace brotr::services {

namespace {

// 127.0.0.0/8 and ::1.
bool is_loopback_host(const std::string& host) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

}  // namespace

ApiService::ApiService(Store& store, ApiConfig config, ApiServiceOptions options, asio::io_context& io)
    : store_(store), config_(std::move(config)), options_(options) {
    if (const char* token = std::getenv(config_.token_env.c_str()); token != nullptr) token_ = token;
    if (token_.empty() && !is_loopback_host(config_.host)) {
        throw std::invalid_argument("the api listens on " + config_.host +
                                    ", which is not loopback: set a bearer token in the environment variable " +
                                    config_.token_env + " (api.yaml token_env)");
    }
    if (options_.once) return;
    routes_ = std::make_shared<api::Routes>(
        store_, api::RouteOptions{config_.default_limit, config_.max_limit, config_.scan_budget});
    api::HttpServerOptions server_options;
    server_options.host = config_.host;
    server_options.port = config_.port;
    server_options.max_connections = config_.max_connections;
    server_options.request_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config_.request_timeout * 1000));
    server_options.idle_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(config_.idle_timeout * 1000));
    server_options.bearer_token = token_;
    server_options.token_free_paths = {"/"};  // the web page; its requests to the API carry the token
    server_ = std::make_unique<api::HttpServer>(io, server_options, [routes = routes_](const api::HttpRequest& r) {
        const auto started = std::chrono::steady_clock::now();
        api::HttpResponse response = routes->handle(r);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        auto& m = metrics::registry();
        m.counter("brotr_api_requests_total", "API requests answered, by route and status code.",
                  {{"route", response.route}, {"code", std::to_string(response.status)}})
            .inc();
        m.histogram("brotr_api_request_duration_seconds", "Time to answer an API request, by route.", {{"route", response.route}},
                    {0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5})
            .observe(seconds);
        return response;
    });
    server_->start();
    log::info("api", "listening",
              {{"host", config_.host}, {"port", std::to_string(server_->port())},
               {"token", token_.empty() ? "none" : "required"}, {"catch_up", options_.catch_up ? "yes" : "no"}});
}

ApiService::~ApiService() = default;

asio::awaitable<runtime::CycleReport> ApiService::run_cycle(runtime::Shutdown& shutdown) {
    runtime::CycleReport report;
    if (!server_) {
        report.add("served", "no (a server has no single cycle; run it without --once)");
        co_return report;
    }
    const auto catch_up_every = std::chrono::milliseconds(static_cast<std::int64_t>(config_.catch_up_interval * 1000));
    while (!shutdown.requested()) {
        co_await shutdown.sleep(options_.catch_up ? catch_up_every : std::chrono::hours(24));
        if (options_.catch_up && !shutdown.requested()) {
            try {
                store_.catch_up();
            } catch (const std::exception& e) {
                log::warn("api", "catch_up_failed", {{"error", e.what()}});
            }
        }
    }
    server_->stop();
    const api::HttpServerStats stats = server_->stats();
    report.add_number("connections", stats.connections_accepted);
    report.add_number("requests", stats.requests);
    co_return report;
}

}  // namespace brotr::services
