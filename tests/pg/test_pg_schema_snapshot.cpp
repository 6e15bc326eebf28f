// Holds each variant's installed schema to its committed fingerprint
// (tests/pg/expected/<variant>.catalog, written by tests/pg/schema-catalog.sh):
// every table and column, constraint, index, view definition and whole
// function definition. A change to sql/ that alters what gets installed
// fails here until the fingerprint is regenerated and the diff reviewed; a
// change that only moves text between files passes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

using Variant = pg::SchemaVariant;

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

class SchemaSnapshot : public ::testing::TestWithParam<Variant> {
protected:
    void SetUp() override {
        db_ = std::make_unique<PgTestDb>();
        conn_ = db_->connect();
    }
    pqxx::connection& conn() { return *conn_; }

    std::unique_ptr<PgTestDb> db_;
    std::unique_ptr<pqxx::connection> conn_;
};

TEST_P(SchemaSnapshot, LoaderInstallsTheCommittedCatalog) {
    apply_schema(conn(), GetParam());
    const std::string found = schema_catalog(conn());
    const std::string expected = expected_schema_catalog(GetParam());
    // The definitions are printed by the server; another major version may
    // print the same objects differently, so only the same version compares.
    if (first_line(found) != first_line(expected))
        GTEST_SKIP() << "the expected catalog is from " << first_line(expected) << ", this is " << first_line(found)
                     << ": regenerate with tests/pg/schema-catalog.sh to compare on this server";
    EXPECT_EQ(found, expected) << "the installed schema changed; if intended, run tests/pg/schema-catalog.sh "
                               << pg::to_string(GetParam()) << " > tests/pg/expected/" << pg::to_string(GetParam())
                               << ".catalog and review the diff";
}

TEST_P(SchemaSnapshot, ReapplyingChangesNothing) {
    apply_schema(conn(), GetParam());
    const std::string once = schema_catalog(conn());
    apply_schema(conn(), GetParam());
    EXPECT_EQ(schema_catalog(conn()), once);
}

TEST_P(SchemaSnapshot, TheContractHoldsAndTellsTheVariantsApart) {
    apply_schema(conn(), GetParam());
    EXPECT_EQ(pg::check_schema(conn(), GetParam()), std::vector<std::string>{});
    const Variant other = GetParam() == Variant::bigbrotr ? Variant::lilbrotr : Variant::bigbrotr;
    EXPECT_FALSE(pg::check_schema(conn(), other).empty()) << "the contract of " << pg::to_string(other)
                                                          << " accepts a " << pg::to_string(GetParam()) << " database";
}

TEST_P(SchemaSnapshot, AFileMissingFromTheListIsNoticed) {
    // Proves the comparison can fail: drop one file of the list (the views)
    // and the fingerprint must differ from the committed one.
    auto files = pg::load_sql_files(source_sql_root(), GetParam());
    std::erase_if(files, [](const pg::SqlFile& file) { return file.name == "common/07_views.sql"; });
    ASSERT_EQ(files.size() + 1, pg::load_sql_files(source_sql_root(), GetParam()).size());
    pg::apply_sql_files(conn(), files);
    EXPECT_NE(schema_catalog(conn()), expected_schema_catalog(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(Variants, SchemaSnapshot, ::testing::Values(Variant::bigbrotr, Variant::lilbrotr),
                         [](const ::testing::TestParamInfo<Variant>& variant) {
                             return std::string(pg::to_string(variant.param));
                         });

}  // namespace
}  // namespace brotr::test
