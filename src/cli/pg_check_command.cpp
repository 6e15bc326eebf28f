// brotr pg-check: verifies from PostgreSQL's catalogs that a database has every
// extension, table, column, index, function and view of the schema contract.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/pg_commands.hpp"
#include "cli/pg_options.hpp"

namespace brotr::cli {
namespace {

int run_pg_check(const PgCommandOptions& options) {
    try {
        const auto variant = options.schema_variant();
        auto connection = pg::connect(options.connection_settings());
        const auto problems = pg::check_schema(*connection, variant);
        const auto target = pg::resolve_target(options.conninfo).describe();
        if (problems.empty()) {
            std::printf("ok: %s schema complete (%s)\n", std::string(pg::to_string(variant)).c_str(), target.c_str());
            return kExitOk;
        }
        for (const auto& problem : problems) std::printf("%s\n", problem.c_str());
        std::fprintf(stderr, "brotr pg-check: %zu problem(s) with the %s schema (%s); run brotr pg-init\n",
                     problems.size(), std::string(pg::to_string(variant)).c_str(), target.c_str());
        return kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr pg-check: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_pg_check_command(CLI::App& app, CommandResult& result) {
    auto options = std::make_shared<PgCommandOptions>();
    auto* command = app.add_subcommand("pg-check", "Verify that a PostgreSQL database has the complete schema");
    add_pg_connection_options(*command, *options);
    command->callback([options, &result] { result.exit_code = run_pg_check(*options); });
}

}  // namespace brotr::cli
