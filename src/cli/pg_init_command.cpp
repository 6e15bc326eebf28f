// brotr pg-init: applies the schema files of a variant to a PostgreSQL
// database (idempotent), then checks that every object of the contract exists.
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/pg_commands.hpp"
#include "cli/pg_options.hpp"

namespace brotr::cli {
namespace {

int run_pg_init(const PgCommandOptions& options) {
    try {
        const auto variant = options.schema_variant();
        const auto root = pg::find_sql_root(options.sql_dir);
        const auto files = pg::load_sql_files(root, variant);
        auto connection = pg::connect(options.connection_settings());
        pg::NoticeForwarder notices(*connection, [](std::string_view text) {
            std::fprintf(stderr, "postgres: %.*s\n", static_cast<int>(text.size()), text.data());
        });
        pg::apply_sql_files(*connection, files);
        const auto target = pg::resolve_target(options.conninfo).describe();
        const std::string name(pg::to_string(variant));
        std::printf("applied %zu %s schema files from %s, common/ and %s/ (%s)\n", files.size(), name.c_str(),
                    root.c_str(), name.c_str(), target.c_str());
        const auto problems = pg::check_schema(*connection, variant);
        for (const auto& problem : problems) std::printf("%s\n", problem.c_str());
        if (!problems.empty()) {
            std::fprintf(stderr, "brotr pg-init: the schema is still incomplete after applying the files\n");
            return kExitFailure;
        }
        std::printf("schema complete\n");
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr pg-init: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_pg_init_command(CLI::App& app, CommandResult& result) {
    auto options = std::make_shared<PgCommandOptions>();
    auto* command = app.add_subcommand("pg-init", "Create or update the PostgreSQL schema (safe to run again)");
    add_pg_connection_options(*command, *options);
    command->add_option("--sql-dir", options->sql_dir,
                        "directory holding common/, bigbrotr/ and lilbrotr/ (default: $BROTR_SQL_DIR, the installed "
                        "share/brotr/sql, or the source tree)");
    command->callback([options, &result] { result.exit_code = run_pg_init(*options); });
}

}  // namespace brotr::cli
