// Options shared by the PostgreSQL commands (pg-init, pg-check).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "exporters/pg_connection.hpp"
#include "exporters/pg_schema.hpp"

namespace brotr::cli {

struct PgCommandOptions {
    std::string conninfo;
    std::string variant = "bigbrotr";
    std::string password_env;
    std::optional<std::filesystem::path> sql_dir;

    pg::SchemaVariant schema_variant() const { return *pg::parse_schema_variant(variant); }
    pg::ConnectionSettings connection_settings() const { return {conninfo, password_env}; }
};

// --pg, --variant and --password-env on `command`, stored into `options`.
inline void add_pg_connection_options(CLI::App& command, PgCommandOptions& options) {
    command.add_option("--pg", options.conninfo,
                       "PostgreSQL connection: libpq key=value string or postgresql:// URI "
                       "(the password comes from PGPASSWORD, ~/.pgpass or --password-env)")
        ->required();
    command.add_option("--variant", options.variant, "schema variant")
        ->check(CLI::IsMember({"bigbrotr", "lilbrotr"}))
        ->capture_default_str();
    command.add_option("--password-env", options.password_env,
                       "name of the environment variable that holds the password");
}

}  // namespace brotr::cli
