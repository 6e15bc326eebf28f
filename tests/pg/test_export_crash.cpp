// Crash safety: `brotr export --pg ... --once` killed with SIGKILL in the
// middle of a batch leaves exactly the batches it committed (each with its
// cursor); running it again completes the export with no row missing and
// none twice.
#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <set>
#include <thread>

#include "pg/test_export_child.hpp"
#include "pg/test_export_fixture.hpp"

namespace brotr::test {
namespace {

using namespace std::chrono_literals;

// Rows per table that the changelog entries 1..cursor name (service state
// versions collapse into one row per service).
TableSizes sizes_up_to(const Store& store, std::uint64_t cursor) {
    TableSizes s;
    std::set<std::string> services;
    for (const auto& e : store.read_changelog(0, static_cast<std::size_t>(cursor))) {
        switch (e.table) {
            case ChangeTable::relays: ++s.relays; break;
            case ChangeTable::events: ++s.events; break;
            case ChangeTable::events_relays: ++s.events_relays; break;
            case ChangeTable::nip11: ++s.nip11; break;
            case ChangeTable::nip66: ++s.nip66; break;
            case ChangeTable::relay_metadata: ++s.relay_metadata; break;
            case ChangeTable::service_state: services.insert(e.row_key); break;
        }
    }
    s.service_state = static_cast<long long>(services.size());
    return s;
}

class ExportCrash : public ExportTest {};

TEST_F(ExportCrash, KilledMidBatchThenRerunEqualsTheStore) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 12000;
    spec.insert_batch = 500;
    fill_store(store(), spec);
    const std::uint64_t head = store().changelog_head();
    const std::string app = "brotr_crash_" + db_->name();
    const std::vector<std::string> argv = {brotr_bin().string(), "export", "--store", (dir_ / "store").string(),
                                           "--pg", conninfo() + " application_name=" + app, "--once",
                                           "--node-id", "crashy", "--batch-size", "250"};
    auto cursor = [&] {
        auto v = scalar(conn(), "SELECT COALESCE((SELECT seq FROM brotr_export_cursor WHERE node_id = 'crashy'), 0)");
        return std::stoull(v.value());
    };
    // The exporter's session is inside a transaction (a batch is being written).
    auto mid_batch = [&] {
        return count(conn(), "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + app +
                                  "' AND xact_start IS NOT NULL") > 0;
    };

    std::uint64_t previous = 0;
    int kills = 0;
    for (int round = 0; round < 3; ++round) {
        WatchedChild child(argv, dir_ / ("run" + std::to_string(round)));
        bool killed = false;
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        while (std::chrono::steady_clock::now() < deadline) {
            if (child.poll()) break;
            if (cursor() > previous && mid_batch()) {
                child.kill(SIGKILL);
                child.wait();
                killed = child.killed_by(SIGKILL);
                break;
            }
            std::this_thread::sleep_for(2ms);
        }
        if (!killed) break;  // it finished first: nothing left to interrupt
        ++kills;
        // The killed session's transaction is rolled back once the server
        // notices; then the database holds whole batches only.
        for (int i = 0; i < 500 && count(conn(), "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" +
                                                     app + "'") > 0;
             ++i)
            std::this_thread::sleep_for(10ms);
        const auto at = cursor();
        EXPECT_GT(at, previous);
        EXPECT_LT(at, head);
        EXPECT_EQ(database_sizes(conn()), sizes_up_to(store(), at)) << "after kill " << kills << " at cursor " << at;
        previous = at;
    }
    EXPECT_GE(kills, 1) << "the export finished before it could be interrupted";

    WatchedChild last(argv, dir_ / "final");
    ASSERT_EQ(last.wait(), 0) << last.err();
    EXPECT_EQ(cursor(), head);
    expect_tables_equal_store(conn(), store());
    // No row twice: every key appears once (the keys are the tables' primary
    // keys, so this also shows none was merged into another).
    EXPECT_EQ(count(conn(), "SELECT COUNT(*) - COUNT(DISTINCT id) FROM events"), 0);
    EXPECT_EQ(count(conn(), "SELECT COUNT(*) - COUNT(DISTINCT (event_id, relay_url)) FROM events_relays"), 0);
}

}  // namespace
}  // namespace brotr::test
