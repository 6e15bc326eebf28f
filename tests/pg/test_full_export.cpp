// The full export, the way out for a database the trimmed changelog cannot
// continue: every row copied from the store's tables, then the changelog
// from the head read before; into an empty database, one that holds part of
// the rows, after an interruption; by the exporter service on its own, and
// with `brotr export --pg --once --full`.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "exporters/full_export.hpp"
#include "pg/test_export_fixture.hpp"
#include "runtime/service_runner.hpp"
#include "services/export_service.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs a full export to its end; returns the batches it took.
std::size_t run_full_export(Store& store, pg::Exporter& exporter) {
    pg::FullExport full(store, exporter);
    std::size_t batches = 0;
    while (full.next_batch()) ++batches;
    EXPECT_EQ(exporter.cursor(), full.head());
    EXPECT_EQ(full.table(), "");
    return batches;
}

class FullExportTest : public ExportTest {
protected:
    // A store whose whole changelog was trimmed, with no consumer registered.
    void trimmed_store(StoreVariant variant, std::size_t events, const std::string& name = "store") {
        conn_.reset();  // a database from an earlier call goes first
        db_.reset();
        stores_.clear();
        open_store(variant, name);
        create_database(variant == StoreVariant::bigbrotr ? pg::SchemaVariant::bigbrotr : pg::SchemaVariant::lilbrotr);
        DatasetSpec spec;
        spec.events = events;
        spec.seed = 7;
        fill_store(store(), spec);
        ASSERT_EQ(store().trim_changelog_by_policy(2'000'000'000, 0), store().changelog_head());
    }
    void add_events(std::size_t events, std::uint64_t seed) {
        DatasetSpec more;
        more.events = events;
        more.seed = seed;
        fill_store(store(), more);
    }
};

TEST_F(FullExportTest, FillsAnEmptyDatabaseFromTheTablesThenFollowsTheChangelog) {
    for (StoreVariant variant : {StoreVariant::bigbrotr, StoreVariant::lilbrotr}) {
        SCOPED_TRACE(std::string(to_string(variant)));
        trimmed_store(variant, 1200, std::string(to_string(variant)));
        pg::Exporter exporter(store(), conn(), export_options("fresh", 250));
        EXPECT_TRUE(exporter.needs_full_export());
        EXPECT_THROW(exporter.export_batch(store().changelog_head()), pg::ExportTargetError);

        // 1200 events, their links, relays and snapshots: several batches of 250 rows.
        EXPECT_GT(run_full_export(store(), exporter), 8u);
        EXPECT_FALSE(exporter.needs_full_export());
        expect_tables_equal_store(conn(), store());

        // What is written after it comes through the changelog.
        add_events(200, 70);
        export_all(store(), conn(), export_options("fresh", 250));
        expect_tables_equal_store(conn(), store());
    }
}

TEST_F(FullExportTest, CompletesADatabaseThatHoldsPartOfTheRowsWithoutDuplicates) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 800;
    fill_store(store(), spec);
    export_all(store(), conn(), export_options("edge"));
    // More rows, then a trim past what the database has: its cursor cannot go on.
    add_events(500, 11);
    ASSERT_EQ(store().trim_changelog_by_policy(2'000'000'000, 0), store().changelog_head());
    add_events(100, 12);  // and some the changelog still holds
    pg::Exporter exporter(store(), conn(), export_options("edge", 300));
    ASSERT_TRUE(exporter.needs_full_export());
    run_full_export(store(), exporter);
    export_all(store(), conn(), export_options("edge", 300));
    expect_tables_equal_store(conn(), store());  // counts equal: nothing twice
}

TEST_F(FullExportTest, AnInterruptedFullExportLeavesTheCursorAndStartsAgain) {
    trimmed_store(StoreVariant::bigbrotr, 600);
    pg::Exporter exporter(store(), conn(), export_options("again", 100));
    {
        pg::FullExport full(store(), exporter);
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(full.next_batch());
        EXPECT_NE(full.table(), "");  // still copying: batches end at a table's last row
        EXPECT_GT(full.rows_sent(), 100u);
    }  // stopped here
    EXPECT_EQ(exporter.cursor(), 0u);
    EXPECT_TRUE(exporter.needs_full_export());
    run_full_export(store(), exporter);
    expect_tables_equal_store(conn(), store());
}

TEST_F(FullExportTest, TheExporterServiceFillsTheDatabaseByItself) {
    trimmed_store(StoreVariant::bigbrotr, 900);
    runtime::RunnerOptions ro;
    ro.threads = 2;
    ro.handle_signals = false;
    ro.grace_period = 30s;
    runtime::ServiceRunner runner(ro);
    services::ExportServiceOptions o;
    o.connection.conninfo = conninfo();
    o.exporter.node_id = "service";
    o.exporter.batch_size = 200;
    o.cycle = 2s;
    o.poll = 50ms;
    auto service = std::make_unique<services::ExportService>(store(), o);
    const services::ExportService& exporter = *service;
    runner.add(std::move(service));
    std::thread thread([&] { runner.run(); });
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (exporter.exported_seq() != store().changelog_head() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    // Then new rows through the changelog, as usual.
    add_events(150, 21);
    while (exporter.exported_seq() != store().changelog_head() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    runner.request_stop();
    thread.join();
    ASSERT_EQ(exporter.exported_seq(), store().changelog_head());
    expect_tables_equal_store(conn(), store());
    // Its consumer cursor went along, so the changelog after the head was kept for it.
    const ChangelogStatus status = store().changelog_status();
    ASSERT_EQ(status.consumers.size(), 1u);
    EXPECT_EQ(status.consumers[0].cursor, store().changelog_head());
}

TEST_F(FullExportTest, TheCommandLineSaysHowAndDoesIt) {
    trimmed_store(StoreVariant::bigbrotr, 500);
    const std::string path = (dir_ / "store").string();
    auto out = run_command({brotr_bin().string(), "export", "--store", path, "--pg", conninfo(), "--once",
                            "--node-id", "cli"});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "trimmed")) << out.err;
    EXPECT_TRUE(contains(out.err, "--full")) << out.err;
    EXPECT_EQ(scalar(conn(), "SELECT COUNT(*) FROM events"), "0");

    out = run_command({brotr_bin().string(), "export", "--store", path, "--pg", conninfo(), "--once", "--full",
                       "--node-id", "cli", "--batch-size", "300"});
    ASSERT_EQ(out.exit_code, 0) << out.err << out.out;
    EXPECT_TRUE(contains(out.err, "full export of every row")) << out.err;
    const std::string head = std::to_string(store().changelog_head());
    EXPECT_TRUE(contains(out.out, "node cli cursor " + head + " of head " + head)) << out.out;
    expect_tables_equal_store(conn(), store());

    // Usage: --full belongs to the PostgreSQL mode.
    out = run_command({brotr_bin().string(), "export", "--store", path, "--full"});
    EXPECT_EQ(out.exit_code, 2);
}

}  // namespace
}  // namespace brotr::test
