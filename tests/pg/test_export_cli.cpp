// `brotr export --pg CONNINFO --once` as users run it: a child process next
// to a store another process holds, with progress, summary and exit codes;
// usage errors; connection errors that name the target and hide the password.
#include <gtest/gtest.h>

#include <cstdlib>

#include "pg/test_export_fixture.hpp"
#include "pg/test_export_server.hpp"

namespace brotr::test {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class ExportCli : public ExportTest {
protected:
    CommandOutput brotr(std::vector<std::string> args) {
        args.insert(args.begin(), brotr_bin().string());
        return run_command(args);
    }
    std::string store_path() const { return (dir_ / "store").string(); }
};

TEST_F(ExportCli, ExportsWhileAnotherProcessHoldsTheStore) {
    open_store();  // held read-write by this process, as `brotr run` would
    create_database();
    DatasetSpec spec;
    spec.events = 1500;
    fill_store(store(), spec);
    const auto head = store().changelog_head();

    const auto out = brotr({"export", "--store", store_path(), "--pg", conninfo(), "--once", "--node-id", "edge-1",
                            "--batch-size", "400"});
    ASSERT_EQ(out.exit_code, 0) << out.err << out.out;
    EXPECT_TRUE(contains(out.err, "as node edge-1, cursor 0")) << out.err;
    EXPECT_TRUE(contains(out.out, "node edge-1 cursor " + std::to_string(head) + " of head " + std::to_string(head)))
        << out.out;
    EXPECT_TRUE(contains(out.out, "events")) << out.out;
    expect_tables_equal_store(conn(), store());

    // Again: nothing left to do, still success.
    const auto again = brotr({"export", "--store", store_path(), "--pg", conninfo(), "--once", "--node-id", "edge-1"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_TRUE(contains(again.out, ": 0 entries in 0 batches")) << again.out;

    // Rows written after the first run follow in the next one.
    DatasetSpec more = spec;
    more.seed = 99;
    more.events = 300;
    fill_store(store(), more);
    const auto third = brotr({"export", "--store", store_path(), "--pg", conninfo(), "--once", "--node-id", "edge-1"});
    ASSERT_EQ(third.exit_code, 0) << third.err;
    expect_tables_equal_store(conn(), store());
}

TEST_F(ExportCli, UsageErrorsExitWithTwo) {
    open_store();
    const std::string pg = "host=127.0.0.1 dbname=x";
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--pg", pg}, "--pg needs --once"},
        {{"--once"}, "need --pg"},
        {{"--node-id", "n1"}, "need --pg"},
        {{"--pg", pg, "--once", "--kinds", "1"}, "JSONL export only"},
        {{"--pg", pg, "--once", "--node-id", "bad id!"}, "is invalid"},
        {{"--pg", pg, "--once", "--node-id", std::string(65, 'n')}, "is invalid"},
        {{"--pg", pg, "--once", "--batch-size", "0"}, "batch-size"},
        {{"--pg", pg, "--once", "--batch-size", "100001"}, "batch-size"},
    };
    for (const auto& [args, message] : cases) {
        std::vector<std::string> argv = {"export", "--store", store_path()};
        argv.insert(argv.end(), args.begin(), args.end());
        const auto out = brotr(argv);
        EXPECT_EQ(out.exit_code, 2) << args.back() << ": " << out.err;
        EXPECT_TRUE(contains(out.err, message)) << out.err;
    }
}

TEST_F(ExportCli, JsonlModeIsUnchanged) {
    open_store();
    DatasetSpec spec;
    spec.events = 50;
    fill_store(store(), spec);
    const auto out = brotr({"export", "--store", store_path(), "--limit", "3"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(std::count(out.out.begin(), out.out.end(), '\n'), 3);
    EXPECT_TRUE(contains(out.out, "\"sig\":\"")) << out.out;
}

TEST_F(ExportCli, UnreachableServerIsNamed) {
    open_store();
    const int port = free_tcp_port();  // nothing listens there
    const auto out = brotr({"export", "--store", store_path(), "--pg",
                            "host=127.0.0.1 port=" + std::to_string(port) + " dbname=archive user=exporter",
                            "--once"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "host 127.0.0.1")) << out.err;
    EXPECT_TRUE(contains(out.err, "port " + std::to_string(port))) << out.err;
    EXPECT_TRUE(contains(out.err, "database archive")) << out.err;
    EXPECT_TRUE(contains(out.err, "Connection refused") || contains(out.err, "connection refused")) << out.err;
}

TEST_F(ExportCli, DatabaseWithoutTheSchemaIsRefused) {
    open_store();
    db_ = std::make_unique<PgTestDb>();  // no schema
    const auto out = brotr({"export", "--store", store_path(), "--pg", db_->conninfo(), "--once"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "brotr pg-init")) << out.err;
    EXPECT_TRUE(contains(out.err, "database " + db_->name())) << out.err;
}

class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : name_(name) { ::setenv(name, value.c_str(), 1); }
    ~ScopedEnv() { ::unsetenv(name_); }

private:
    const char* name_;
};

TEST_F(ExportCli, PasswordComesFromTheEnvironmentAndStaysOutOfErrors) {
    const std::string right = "R1ght-pass-4417";
    const std::string wrong = "Wr0ng-pass-9263";
    PrivatePgServer server(right);
    server.create_database("archive");
    {
        auto admin = server.connect("archive");
        apply_schema(*admin, pg::SchemaVariant::bigbrotr);
    }
    open_store();
    DatasetSpec spec;
    spec.events = 200;
    fill_store(store(), spec);
    const std::string target = server.conninfo("archive");
    const std::string port = std::to_string(server.port());

    {
        ScopedEnv env("BROTR_TEST_PG_SECRET", wrong);
        const auto out = brotr({"export", "--store", store_path(), "--pg", target, "--once", "--password-env",
                                "BROTR_TEST_PG_SECRET"});
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "host 127.0.0.1, port " + port + ", database archive")) << out.err;
        EXPECT_TRUE(contains(out.err, "password authentication failed")) << out.err;
        EXPECT_FALSE(contains(out.err + out.out, wrong)) << out.err;
    }
    {
        ScopedEnv env("PGPASSWORD", wrong);
        const auto out = brotr({"export", "--store", store_path(), "--pg", target, "--once"});
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "password authentication failed")) << out.err;
        EXPECT_FALSE(contains(out.err + out.out, wrong)) << out.err;
    }
    {
        // Even a password written into the connection string stays out.
        const auto out = brotr({"export", "--store", store_path(), "--pg", target + " password=" + wrong, "--once"});
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_FALSE(contains(out.err + out.out, wrong)) << out.err;
    }
    {
        // The named variable must exist.
        const auto out = brotr({"export", "--store", store_path(), "--pg", target, "--once", "--password-env",
                                "BROTR_TEST_PG_UNSET_VARIABLE"});
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "BROTR_TEST_PG_UNSET_VARIABLE")) << out.err;
    }
    {
        ScopedEnv env("BROTR_TEST_PG_SECRET", right);
        const auto out = brotr({"export", "--store", store_path(), "--pg", target, "--once", "--password-env",
                                "BROTR_TEST_PG_SECRET"});
        ASSERT_EQ(out.exit_code, 0) << out.err;
        EXPECT_FALSE(contains(out.err + out.out, right));
        auto check = server.connect("archive");
        expect_tables_equal_store(*check, store());
    }
}

TEST_F(ExportCli, AnotherStoreUnderTheSameNodeIdIsRefused) {
    open_store(StoreVariant::bigbrotr, "first");
    open_store(StoreVariant::bigbrotr, "second");
    create_database();
    DatasetSpec spec;
    spec.events = 300;
    fill_store(store(0), spec);
    spec.events = 30;
    fill_store(store(1), spec);
    ASSERT_EQ(brotr({"export", "--store", (dir_ / "first").string(), "--pg", conninfo(), "--once", "--node-id", "n"})
                  .exit_code,
              0);
    const auto out =
        brotr({"export", "--store", (dir_ / "second").string(), "--pg", conninfo(), "--once", "--node-id", "n"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "another store was exported under this node id")) << out.err;
    EXPECT_TRUE(contains(out.err, "database " + db_->name())) << out.err;
}

}  // namespace
}  // namespace brotr::test
