// `brotr pg-init` and `brotr pg-check` run as a user would run them, against
// the fixture's PostgreSQL.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "exporters/pg_connection.hpp"
#include "exporters/pg_conninfo.hpp"
#include "pg_schema_fixture.hpp"

namespace brotr::test {
namespace {

CommandOutput brotr(std::vector<std::string> args) {
    args.insert(args.begin(), brotr_bin().string());
    return run_command(args);
}

std::string sql_dir() { return source_sql_root().string(); }

TEST(PgCommands, InitThenCheckSucceeds) {
    for (const char* variant : {"bigbrotr", "lilbrotr"}) {
        PgTestDb db;
        const auto init = brotr({"pg-init", "--pg", db.conninfo(), "--variant", variant, "--sql-dir", sql_dir()});
        ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
        EXPECT_NE(init.out.find("schema complete"), std::string::npos) << init.out;
        EXPECT_NE(init.out.find("database " + db.name()), std::string::npos) << init.out;
        const auto again = brotr({"pg-init", "--pg", db.conninfo(), "--variant", variant, "--sql-dir", sql_dir()});
        EXPECT_EQ(again.exit_code, 0) << again.out << again.err;
        EXPECT_EQ(again.err, "") << "a re-run should not print notices";
        const auto check = brotr({"pg-check", "--pg", db.conninfo(), "--variant", variant});
        EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
        EXPECT_NE(check.out.find(std::string("ok: ") + variant), std::string::npos) << check.out;
    }
}

TEST(PgCommands, InitFindsTheSourceTreeWithoutSqlDir) {
    PgTestDb db;
    const auto init = brotr({"pg-init", "--pg", db.conninfo()});
    ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
    EXPECT_NE(init.out.find("bigbrotr"), std::string::npos);
}

TEST(PgCommands, CheckOnAnEmptyDatabaseNamesWhatIsMissing) {
    PgTestDb db;
    const auto check = brotr({"pg-check", "--pg", db.conninfo()});
    EXPECT_EQ(check.exit_code, 1);
    for (const char* expected :
         {"missing extension pgcrypto", "missing extension btree_gin", "missing table events",
          "missing table relay_metadata", "missing table brotr_export_cursor", "missing index idx_events_tagvalues",
          "missing function insert_event(bytea, bytea, bigint, integer, jsonb, text, bytea, text, text, bigint, "
          "bigint) returning void",
          "missing function delete_orphan_nip66() returning integer", "missing view relays_statistics",
          "missing view pubkey_counts_by_relay"})
        EXPECT_NE(check.out.find(expected), std::string::npos) << expected << "\n" << check.out;
    EXPECT_NE(check.err.find("run brotr pg-init"), std::string::npos) << check.err;
}

TEST(PgCommands, CheckNamesASingleMissingObject) {
    PgTestDb db;
    ASSERT_EQ(brotr({"pg-init", "--pg", db.conninfo(), "--sql-dir", sql_dir()}).exit_code, 0);
    {
        auto conn = db.connect();
        query(*conn, "DROP VIEW kind_counts_total");
        query(*conn, "DROP FUNCTION delete_orphan_nip11()");
        query(*conn, "DROP INDEX idx_nip66_readable");
        query(*conn, "ALTER TABLE service_state ALTER COLUMN updated_at TYPE integer");
    }
    const auto check = brotr({"pg-check", "--pg", db.conninfo()});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_EQ(check.out,
              "wrong type of column service_state.updated_at: integer, expected bigint\n"
              "missing index idx_nip66_readable\n"
              "missing function delete_orphan_nip11() returning integer\n"
              "missing view kind_counts_total\n");
}

TEST(PgCommands, CheckTellsTheVariantsApart) {
    PgTestDb db;
    ASSERT_EQ(brotr({"pg-init", "--pg", db.conninfo(), "--variant", "bigbrotr", "--sql-dir", sql_dir()}).exit_code, 0);
    const auto as_lil = brotr({"pg-check", "--pg", db.conninfo(), "--variant", "lilbrotr"});
    EXPECT_EQ(as_lil.exit_code, 1);
    EXPECT_NE(as_lil.out.find("unexpected column events.tags: not part of the lilbrotr schema"), std::string::npos)
        << as_lil.out;

    PgTestDb lil;
    ASSERT_EQ(brotr({"pg-init", "--pg", lil.conninfo(), "--variant", "lilbrotr", "--sql-dir", sql_dir()}).exit_code,
              0);
    const auto as_big = brotr({"pg-check", "--pg", lil.conninfo(), "--variant", "bigbrotr"});
    EXPECT_EQ(as_big.exit_code, 1);
    EXPECT_NE(as_big.out.find("missing column events.tags (jsonb)"), std::string::npos) << as_big.out;
    EXPECT_NE(as_big.out.find("missing index idx_events_tagvalues"), std::string::npos) << as_big.out;
}

TEST(PgCommands, UsageErrorsExitTwo) {
    EXPECT_EQ(brotr({"pg-check"}).exit_code, 2);                                  // --pg is required
    EXPECT_EQ(brotr({"pg-init"}).exit_code, 2);
    EXPECT_EQ(brotr({"pg-check", "--pg", "dbname=x", "--variant", "medbrotr"}).exit_code, 2);
    EXPECT_EQ(brotr({"pg-init", "--pg", "dbname=x", "--bogus"}).exit_code, 2);
}

TEST(PgCommands, InitWithAMissingSqlDirFails) {
    PgTestDb db;
    TempDir empty;
    const auto init = brotr({"pg-init", "--pg", db.conninfo(), "--sql-dir", empty.path().string()});
    EXPECT_EQ(init.exit_code, 1);
    EXPECT_NE(init.err.find(empty.path().string()), std::string::npos) << init.err;
}

TEST(PgCommands, InitRefusesASqlDirWithoutCommon) {
    // A variant directory alone is half a schema; applying it would leave
    // the database incomplete.
    TempDir sql;
    std::filesystem::create_directories(sql.path() / "bigbrotr");
    write_file(sql.path() / "bigbrotr" / "02_events.sql", "CREATE TABLE events (id bytea);");
    PgTestDb db;
    const auto init = brotr({"pg-init", "--pg", db.conninfo(), "--sql-dir", sql.path().string()});
    EXPECT_EQ(init.exit_code, 1);
    EXPECT_NE(init.err.find("common/"), std::string::npos) << init.err;
    auto conn = db.connect();
    EXPECT_EQ(scalar(*conn, "SELECT to_regclass('events')::text"), std::nullopt);
}

TEST(PgCommands, InitReportsTheFailingFileAndChangesNothing) {
    PgTestDb db;
    TempDir sql;
    std::filesystem::create_directories(sql.path() / "common");
    std::filesystem::create_directories(sql.path() / "bigbrotr");
    write_file(sql.path() / "common" / "01_ok.sql", "CREATE TABLE early (x int);");
    write_file(sql.path() / "bigbrotr" / "02_bad.sql", "CREATE TABLE broken (x no_such_type);");
    const auto init = brotr({"pg-init", "--pg", db.conninfo(), "--sql-dir", sql.path().string()});
    EXPECT_EQ(init.exit_code, 1);
    EXPECT_NE(init.err.find("bigbrotr/02_bad.sql"), std::string::npos) << init.err;
    EXPECT_NE(init.err.find("no_such_type"), std::string::npos) << init.err;
    auto conn = db.connect();
    EXPECT_EQ(scalar(*conn, "SELECT to_regclass('early')::text"), std::nullopt) << "the whole set is one transaction";
}

TEST(PgCommands, ConnectionErrorNamesTargetAndHidesPassword) {
    const auto server = pg_server_env();
    // A port nobody listens on: bind-free pick from the fixture's own port.
    const std::string bad_port = std::to_string(std::stoi(server.at("PGPORT")) == 1 ? 2 : 1);
    const std::string password = "s3cret-Pa55word";
    const auto out = run_command({"/usr/bin/env", "BROTR_TEST_PG_PASSWORD=" + password, brotr_bin().string(),
                                  "pg-check", "--pg", "host=127.0.0.1 port=" + bad_port + " dbname=nosuchdb user=alice",
                                  "--password-env", "BROTR_TEST_PG_PASSWORD"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_NE(out.err.find("host 127.0.0.1"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("port " + bad_port), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("database nosuchdb"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("Connection refused"), std::string::npos) << out.err;
    EXPECT_EQ(out.err.find(password), std::string::npos) << out.err;
    EXPECT_EQ(out.out.find(password), std::string::npos) << out.out;
}

TEST(PgCommands, ServerErrorIsReportedWithoutThePassword) {
    const auto server = pg_server_env();
    const std::string password = "another-S3cret";
    const std::string conninfo = "postgresql://postgres:" + password + "@" + server.at("PGHOST") + ":" +
                                 server.at("PGPORT") + "/no_such_database_here";
    const auto out = brotr({"pg-check", "--pg", conninfo});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_NE(out.err.find("database no_such_database_here"), std::string::npos) << out.err;
    EXPECT_NE(out.err.find("does not exist"), std::string::npos) << out.err;  // the server's own message
    EXPECT_EQ(out.err.find(password), std::string::npos) << out.err;
}

TEST(PgCommands, MissingPasswordVariableIsNamed) {
    PgTestDb db;
    const auto out = brotr({"pg-check", "--pg", db.conninfo(), "--password-env", "BROTR_NO_SUCH_VARIABLE_SET"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_NE(out.err.find("BROTR_NO_SUCH_VARIABLE_SET"), std::string::npos) << out.err;
}

TEST(PgConnection, PasswordFromNamedVariableReachesLibpq) {
    // The fixture server trusts local connections, so it cannot reject a wrong
    // password; what can be checked is that the password, whatever characters
    // it holds, ends up as libpq's password setting and the string stays valid.
    PgTestDb db;
    const std::string password = "q'uo\\te d\"x&y=z%41 ";
    ::setenv("BROTR_TEST_PG_PASSWORD_OK", password.c_str(), 1);
    for (const std::string& conninfo : {db.conninfo(), "postgresql://" + pg_server_env().at("PGUSER") + "@" +
                                                           pg_server_env().at("PGHOST") + ":" +
                                                           pg_server_env().at("PGPORT") + "/" + db.name()}) {
        const pg::ConnectionSettings settings{conninfo, "BROTR_TEST_PG_PASSWORD_OK"};
        EXPECT_EQ(pg::parse_conninfo(pg::effective_conninfo(settings)).at("password"), password) << conninfo;
        auto conn = pg::connect(settings);
        EXPECT_EQ(scalar(*conn, "SELECT current_database()"), db.name());
        EXPECT_EQ(scalar(*conn, "SELECT current_setting('application_name')"), "brotr");
    }
    ::unsetenv("BROTR_TEST_PG_PASSWORD_OK");
}

TEST(PgConnection, MalformedConninfoErrorHidesPassword) {
    try {
        pg::connect({"host=127.0.0.1 password=Hidden-Value-9 bogus_option=1", ""});
        FAIL() << "connect should fail";
    } catch (const pg::PgError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("bogus_option"), std::string::npos) << message;
        EXPECT_EQ(message.find("Hidden-Value-9"), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace brotr::test
