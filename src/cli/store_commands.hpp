// The subcommands that work on the local store: init, import, export, compact, changelog.
#pragma once

#include "cli/commands.hpp"

namespace brotr::cli {

void add_init_command(CLI::App& app, CommandResult& result);
void add_import_command(CLI::App& app, CommandResult& result);
void add_export_command(CLI::App& app, CommandResult& result);
void add_compact_command(CLI::App& app, CommandResult& result);
void add_changelog_command(CLI::App& app, CommandResult& result);
void add_migrate_command(CLI::App& app, CommandResult& result);

}  // namespace brotr::cli
