// The `api` service: the HTTP API (src/api/) served from the running
// process's store until shutdown. In `brotr run` it shares the writer's
// store; `brotr api` runs it alone over a secondary instance that catches up
// with the writing process every catch_up_interval.
#pragma once

#include <memory>
#include <string>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class io_context;
}

namespace brotr::api {
class HttpServer;
class Routes;
}

namespace brotr::services {

struct ApiServiceOptions {
    bool catch_up = false;  // the store is a secondary instance: follow the writer
    bool once = false;      // `--once`: a server has no single cycle, so it serves nothing
};

class ApiService final : public runtime::Service {
public:
    // Listens at once on `io` (unless options.once), so that an address that
    // cannot be had stops start-up. Throws std::invalid_argument when the host
    // is not loopback and the token variable (config.token_env) is unset or
    // empty, std::runtime_error when it cannot listen.
    ApiService(Store& store, ApiConfig config, ApiServiceOptions options, boost::asio::io_context& io);
    ~ApiService() override;

    std::string_view name() const override { return "api"; }
    std::chrono::seconds interval() const override { return std::chrono::seconds(1); }
    boost::asio::awaitable<runtime::CycleReport> run_cycle(runtime::Shutdown& shutdown) override;

private:
    Store& store_;
    ApiConfig config_;
    ApiServiceOptions options_;
    std::string token_;
    std::shared_ptr<api::Routes> routes_;
    std::unique_ptr<api::HttpServer> server_;
};

}  // namespace brotr::services
