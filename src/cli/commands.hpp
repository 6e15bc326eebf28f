// Every `brotr` subcommand registers itself on the CLI11 app through one of
// these functions; each lives in its own <name>_command.cpp.
#pragma once

#include <CLI/CLI.hpp>

namespace brotr::cli {

// Exit codes that scripts can rely on.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and found a problem
inline constexpr int kExitUsage = 2;    // bad arguments or configuration

// Set by the subcommand that ran; main() returns it.
struct CommandResult {
    int exit_code = kExitOk;
};

// Registration convention: each subcommand file defines one
//   void add_<name>_command(CLI::App& app, CommandResult& result);
// which adds the subcommand and sets result.exit_code from its callback;
// main() calls it in one line.
void add_verify_command(CLI::App& app, CommandResult& result);
void add_config_command(CLI::App& app, CommandResult& result);
void add_api_command(CLI::App& app, CommandResult& result);

}  // namespace brotr::cli
