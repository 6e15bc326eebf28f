// The PostgreSQL schema files (sql/common plus sql/bigbrotr or sql/lilbrotr,
// see sql/README.md): finding them, applying them, and checking from the
// catalogs that a database has every object of the contract
// (docs/postgres.md).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection_base>

namespace brotr::pg {

enum class SchemaVariant { bigbrotr, lilbrotr };

std::string_view to_string(SchemaVariant variant);
std::optional<SchemaVariant> parse_schema_variant(std::string_view name);

// The directory holding common/ beside bigbrotr/ and lilbrotr/. The first
// such directory of:
// `explicit_dir`, $BROTR_SQL_DIR, <dir of the brotr binary>/../share/brotr/sql
// (an installed brotr), and the sql/ directory of the source tree brotr was
// built from. Throws PgError listing the places tried.
std::filesystem::path find_sql_root(const std::optional<std::filesystem::path>& explicit_dir);

struct SqlFile {
    std::string name;  // relative to the sql root, e.g. "common/03_tables.sql"
    std::string text;
};

// Every *.sql file of common/ and of the variant's directory as one list in
// file-name order (the directory does not count). Throws PgError when either
// directory is missing, both hold no .sql file, or a file name is in both.
std::vector<SqlFile> load_sql_files(const std::filesystem::path& sql_root, SchemaVariant variant);

// Runs the files in order inside one transaction, so a failure leaves the
// database as it was. Throws PgError naming the file and the server's message.
void apply_sql_files(pqxx::connection_base& connection, const std::vector<SqlFile>& files);

// Everything of the variant's contract the database lacks or has wrong, one
// readable line each ("missing table events", "missing function
// insert_relay(text, text, bigint) returning void", "wrong type of column
// ..."), empty when the schema is complete. Looks in the current schema.
std::vector<std::string> check_schema(pqxx::connection_base& connection, SchemaVariant variant);

}  // namespace brotr::pg
