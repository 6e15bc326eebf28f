// The registry of services `brotr run` can start: one entry per service, in
// the order they start. A new service adds one entry in service_factory.cpp.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "runtime/service.hpp"

namespace boost::asio {
class io_context;
}

namespace brotr::services {

// What a service is built from.
struct ServiceContext {
    const Config& config;
    Store& store;
    boost::asio::io_context& io;  // the runner's: for services that listen
    bool once = false;            // `--once`: one cycle of each service
};

struct ServiceEntry {
    std::string_view name;         // also its subcommand: `brotr <name> --once`
    std::string_view description;  // one line for --help
    bool (*enabled)(const Config& config);
    std::unique_ptr<runtime::Service> (*make)(const ServiceContext& context);
    // False when the service has a command of its own in src/cli/ (`brotr api`
    // takes --store and --listen) instead of the generic `brotr <name>`.
    bool generic_command = true;
};

std::span<const ServiceEntry> service_registry();
const ServiceEntry* find_service(std::string_view name);  // null when unknown

// The named services, or every enabled one when `names` is empty. A service
// named explicitly runs even when its config disables it. Throws
// std::invalid_argument for an unknown or repeated name.
std::vector<std::unique_ptr<runtime::Service>> build_services(const ServiceContext& context,
                                                              const std::vector<std::string>& names);

}  // namespace brotr::services
