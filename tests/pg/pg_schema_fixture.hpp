// A test database with one schema variant applied from the source tree's
// sql/ directory, plus small query helpers for the PostgreSQL tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "exporters/pg_schema.hpp"
#include "support/pg_test_db.hpp"
#include "support/test_env.hpp"

namespace brotr::pg {
// Names the variant in test output instead of printing its bytes.
inline void PrintTo(SchemaVariant variant, std::ostream* os) { *os << to_string(variant); }
}  // namespace brotr::pg

namespace brotr::test {

inline std::filesystem::path source_sql_root() {
    auto source = env("BROTR_SOURCE_DIR");
    if (!source) throw std::runtime_error("BROTR_SOURCE_DIR is not set: run the tests through ctest");
    return std::filesystem::path(*source) / "sql";
}

inline void apply_schema(pqxx::connection_base& connection, pg::SchemaVariant variant) {
    pg::apply_sql_files(connection, pg::load_sql_files(source_sql_root(), variant));
}

// Runs one statement outside a transaction block and returns its rows.
inline pqxx::result query(pqxx::connection_base& connection, const std::string& sql) {
    pqxx::nontransaction tx(connection);
    return tx.exec(sql);
}

// The database's fingerprint by tests/pg/schema_catalog.sql, one row per
// line exactly as `psql -A -t` prints it, so that it compares with the files
// tests/pg/schema-catalog.sh writes into tests/pg/expected/.
inline std::string schema_catalog(pqxx::connection_base& connection) {
    const auto source = std::filesystem::path(source_sql_root()).parent_path();
    std::string text;
    for (const auto& row : query(connection, read_file(source / "tests" / "pg" / "schema_catalog.sql")))
        text += row[0].as<std::string>() + "\n";
    return text;
}

// The committed fingerprint of a variant (tests/pg/expected/<variant>.catalog).
inline std::string expected_schema_catalog(pg::SchemaVariant variant) {
    const auto source = std::filesystem::path(source_sql_root()).parent_path();
    return read_file(source / "tests" / "pg" / "expected" / (std::string(pg::to_string(variant)) + ".catalog"));
}

// The single value of a one-row, one-column query; nullopt for NULL.
inline std::optional<std::string> scalar(pqxx::connection_base& connection, const std::string& sql) {
    const auto rows = query(connection, sql);
    if (rows.size() != 1 || rows.columns() != 1)
        throw std::runtime_error("expected one value from: " + sql + " (got " + std::to_string(rows.size()) +
                                 " rows)");
    if (rows[0][0].is_null()) return std::nullopt;
    return rows[0][0].as<std::string>();
}

inline long long count(pqxx::connection_base& connection, const std::string& table_or_query) {
    const std::string sql = table_or_query.find(' ') == std::string::npos
                                ? "SELECT COUNT(*) FROM " + table_or_query
                                : table_or_query;
    return std::stoll(scalar(connection, sql).value());
}

// A fresh database with `Variant`'s schema applied.
template <pg::SchemaVariant Variant>
class PgSchemaTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = std::make_unique<PgTestDb>();
        conn_ = db_->connect();
        apply_schema(*conn_, Variant);
    }
    void TearDown() override {
        conn_.reset();
        db_.reset();
    }
    pqxx::connection& conn() { return *conn_; }
    std::optional<std::string> value(const std::string& sql) { return scalar(*conn_, sql); }
    long long rows(const std::string& table_or_query) { return count(*conn_, table_or_query); }
    void exec(const std::string& sql) { query(*conn_, sql); }

    std::unique_ptr<PgTestDb> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

using BigSchemaTest = PgSchemaTest<pg::SchemaVariant::bigbrotr>;
using LilSchemaTest = PgSchemaTest<pg::SchemaVariant::lilbrotr>;

}  // namespace brotr::test
