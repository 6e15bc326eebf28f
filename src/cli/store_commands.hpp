// The subcommands that work on the local store: init, import, export, compact, changelog,
// backup, restore.
#pragma once

#include <cstdint>
#include <string>

#include "cli/commands.hpp"

namespace brotr::cli {

void add_init_command(CLI::App& app, CommandResult& result);
void add_import_command(CLI::App& app, CommandResult& result);
void add_export_command(CLI::App& app, CommandResult& result);
void add_compact_command(CLI::App& app, CommandResult& result);
void add_changelog_command(CLI::App& app, CommandResult& result);
void add_migrate_command(CLI::App& app, CommandResult& result);
void add_backup_command(CLI::App& app, CommandResult& result);
void add_restore_command(CLI::App& app, CommandResult& result);

// Unix time as 2026-01-31T12:00:00Z.
std::string utc_time(std::int64_t t);

}  // namespace brotr::cli
