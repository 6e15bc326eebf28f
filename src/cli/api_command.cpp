// brotr api [--config DIR] [--store PATH] [--listen HOST:PORT]: serve the
// archive over HTTP alone. The store is opened as a secondary instance, so it
// can be served beside the `brotr run` that writes it (the API catches up
// with the writer every catch_up_interval) as well as on its own. Without
// --config, api.yaml's defaults apply and the store is data/brotr.db.
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "brotr/config.hpp"
#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "cli/commands.hpp"
#include "runtime/service_runner.hpp"
#include "services/api_service.hpp"

namespace brotr::cli {

namespace {

struct ApiOptions {
    std::string config_dir;
    std::string store;
    std::string listen;  // HOST:PORT, [v6]:PORT
    std::string log_level;
};

// "127.0.0.1:8080", "[::1]:8080"; false when it is neither.
bool split_listen(const std::string& text, std::string& host, std::uint16_t& port) {
    std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = text.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string digits = text.substr(colon + 1);
    if (digits.empty() || digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    const unsigned long n = std::stoul(digits);
    if (n > 65535) return false;
    port = static_cast<std::uint16_t>(n);
    return !host.empty();
}

int run_api(const ApiOptions& o) {
    Config config;
    try {
        if (!o.config_dir.empty()) config = load_config(o.config_dir);
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "brotr api: config error: %s\n", e.what());
        return kExitUsage;
    }
    ApiConfig api = config.services.api;
    if (!o.listen.empty() && !split_listen(o.listen, api.host, api.port)) {
        std::fprintf(stderr, "brotr api: --listen %s: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080\n",
                     o.listen.c_str());
        return kExitUsage;
    }
    log::set_level(o.log_level.empty() ? config.brotr.logging.level
                                       : log::level_from_string(o.log_level).value_or(log::Level::info));
    const std::string store_path = !o.store.empty() ? o.store
                                   : o.config_dir.empty() ? std::string(kDefaultStorePath)
                                                          : config.brotr.store.path.string();
    std::optional<Store> store;
    try {
        StoreOptions so;
        so.mode = OpenMode::secondary;
        store.emplace(Store::open(store_path, so));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr api: cannot open the store: %s\n", e.what());
        return kExitFailure;
    }
    try {
        runtime::ServiceRunner runner;
        runner.add(std::make_unique<services::ApiService>(*store, api, services::ApiServiceOptions{true, false}, runner.io()));
        const runtime::RunSummary summary = runner.run();
        return summary.failed_cycles > 0 && !summary.interrupted ? kExitFailure : kExitOk;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "brotr api: %s\n", e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr api: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_api_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<ApiOptions>();
    CLI::App* cmd = app.add_subcommand("api", "Serve the archive over HTTP (REST API, /health) until SIGINT/SIGTERM");
    cmd->add_option("--config", o->config_dir, "implementation directory (api.yaml, the store path); optional");
    cmd->add_option("--store", o->store, "store directory (default: the config's store.path, else data/brotr.db)");
    cmd->add_option("--listen", o->listen, "address to listen on, HOST:PORT (default: api.yaml's host and port)");
    cmd->add_option("--log-level", o->log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}, CLI::ignore_case));
    cmd->callback([o, &result] { result.exit_code = run_api(*o); });
}

}  // namespace brotr::cli
