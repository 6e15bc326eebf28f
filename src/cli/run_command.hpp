// `brotr run [service…]` and one `brotr <service>` subcommand per service of
// the registry (src/services/service_factory.hpp).
#pragma once

#include "cli/commands.hpp"

namespace brotr::cli {

void add_run_commands(CLI::App& app, CommandResult& result);

}  // namespace brotr::cli
