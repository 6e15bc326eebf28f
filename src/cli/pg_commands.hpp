// The subcommands that manage a PostgreSQL database: pg-init, pg-check.
#pragma once

#include "cli/commands.hpp"

namespace brotr::cli {

void add_pg_init_command(CLI::App& app, CommandResult& result);
void add_pg_check_command(CLI::App& app, CommandResult& result);

}  // namespace brotr::cli
