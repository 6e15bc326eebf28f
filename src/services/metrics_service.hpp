// The `metrics` service: Prometheus /metrics on the address brotr.yaml's
// `metrics` section names, so that `brotr run` can be scraped when the API is
// off. It serves /metrics only (any other path gets 404) and needs no token:
// the figures are counts and durations, never archive contents.
#pragma once

#include <memory>

#include "brotr/config.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class io_context;
}

namespace brotr {
class Store;
}

namespace brotr::api {
class HttpServer;
class Routes;
}  // namespace brotr::api

namespace brotr::services {

class MetricsService final : public runtime::Service {
public:
    // Listens at once on `io` (unless `once`), so that an address that cannot
    // be had stops start-up (std::runtime_error naming it).
    MetricsService(const Store& store, MetricsConfig config, bool once, boost::asio::io_context& io);
    ~MetricsService() override;

    std::string_view name() const override { return "metrics"; }
    std::chrono::seconds interval() const override { return std::chrono::seconds(1); }
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;

private:
    std::shared_ptr<api::Routes> routes_;
    std::unique_ptr<api::HttpServer> server_;
};

}  // namespace brotr::services
