// The services' metrics (services/service_metrics.hpp): each recorder moves
// the series it names by what it was given, and every family the process
// exposes is documented in docs/api.md.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "brotr/backup.hpp"
#include "brotr/store.hpp"
#include "exporters/export_batch.hpp"
#include "runtime/service.hpp"
#include "services/relay_sync.hpp"
#include "services/service_metrics.hpp"
#include "support/metrics_text.hpp"
#include "support/test_env.hpp"
#include "util/metrics.hpp"

namespace brotr::services {
namespace {

using test::metric_value;

double now_of(const std::string& series) {
    return metric_value(metrics::registry().exposition(), series).value_or(0);
}

TEST(ServiceMetrics, ARelaySyncCountsItsEventsByFateAndItsResult) {
    const double stored = now_of("brotr_sync_events_stored_total");
    const double dups = now_of("brotr_sync_events_duplicate_total");
    const double received = now_of("brotr_sync_events_received_total");
    const double bad_sig = now_of("brotr_sync_events_invalid_total{reason=\"invalid_signature\"}");
    const double bad_kind = now_of("brotr_sync_events_invalid_total{reason=\"bad_kind\"}");
    const double ok = now_of("brotr_sync_relays_total{result=\"ok\"}");
    const double timeouts = now_of("brotr_sync_relays_total{result=\"timeout\"}");
    const double store_errors = now_of("brotr_service_errors_total{service=\"synchronizer\",reason=\"store\"}");

    RelaySyncResult r;
    r.success = true;
    r.events_received = 9;
    r.stored = 5;
    r.duplicates = 3;
    r.invalid[static_cast<std::size_t>(EventError::invalid_signature)] = 1;
    r.drops.by_event_error[static_cast<std::size_t>(EventError::bad_kind)] = 2;
    r.drops.add(net::DropReason::invalid_event, 2);
    record_relay_sync(r);
    RelaySyncResult failed;
    failed.failure = "timeout";
    failed.stored = 1;
    record_relay_sync(failed);
    RelaySyncResult store_failed;
    store_failed.failure = "store";
    record_relay_sync(store_failed);

    EXPECT_EQ(now_of("brotr_sync_events_stored_total") - stored, 6);
    EXPECT_EQ(now_of("brotr_sync_events_duplicate_total") - dups, 3);
    EXPECT_EQ(now_of("brotr_sync_events_received_total") - received, 9);
    EXPECT_EQ(now_of("brotr_sync_events_invalid_total{reason=\"invalid_signature\"}") - bad_sig, 1);
    EXPECT_EQ(now_of("brotr_sync_events_invalid_total{reason=\"bad_kind\"}") - bad_kind, 2);
    EXPECT_EQ(now_of("brotr_sync_relays_total{result=\"ok\"}") - ok, 1);
    EXPECT_EQ(now_of("brotr_sync_relays_total{result=\"timeout\"}") - timeouts, 1);
    EXPECT_EQ(now_of("brotr_service_errors_total{service=\"synchronizer\",reason=\"store\"}") - store_errors, 1);
    // invalid_event is broken down by reason, never counted as a drop of its own.
    EXPECT_FALSE(metric_value(metrics::registry().exposition(),
                              "brotr_sync_messages_dropped_total{reason=\"invalid_event\"}"));
}

TEST(ServiceMetrics, ARelayCheckCountsItsResultAndObservesItsRoundTripsInSeconds) {
    const double writable = now_of("brotr_monitor_relays_checked_total{result=\"writable\"}");
    const double opens = now_of("brotr_monitor_rtt_seconds_count{check=\"open\"}");
    const double writes = now_of("brotr_monitor_rtt_seconds_count{check=\"write\"}");
    const double open_sum = now_of("brotr_monitor_rtt_seconds_sum{check=\"open\"}");
    const double fast_opens = now_of("brotr_monitor_rtt_seconds_bucket{check=\"open\",le=\"0.05\"}");

    record_relay_check("writable", 40, 120, std::nullopt);
    record_relay_check("not_tested", std::nullopt, std::nullopt, std::nullopt);

    EXPECT_EQ(now_of("brotr_monitor_relays_checked_total{result=\"writable\"}") - writable, 1);
    EXPECT_GE(now_of("brotr_monitor_relays_checked_total{result=\"not_tested\"}"), 1);
    EXPECT_EQ(now_of("brotr_monitor_rtt_seconds_count{check=\"open\"}") - opens, 1);
    EXPECT_DOUBLE_EQ(now_of("brotr_monitor_rtt_seconds_sum{check=\"open\"}") - open_sum, 0.040);
    EXPECT_EQ(now_of("brotr_monitor_rtt_seconds_bucket{check=\"open\",le=\"0.05\"}") - fast_opens, 1);
    EXPECT_EQ(now_of("brotr_monitor_rtt_seconds_count{check=\"write\"}") - writes, 0);  // no write RTT: not observed
}

TEST(ServiceMetrics, FinderAndExporterCounts) {
    const double from_events = now_of("brotr_finder_relays_discovered_total{source=\"events\"}");
    const double invalid = now_of("brotr_finder_candidates_rejected_total{reason=\"invalid\"}");
    const double event_rows = now_of("brotr_export_rows_total{table=\"events\"}");
    const double relay_rows = now_of("brotr_export_rows_total{table=\"relays\"}");
    count_relays_discovered("events", 4);
    count_candidates_rejected("invalid", 2);
    count_candidates_rejected("refused_address", 0);  // nothing to count: no series made
    pg::TableCounts rows;
    rows[ChangeTable::events] = 7;
    rows[ChangeTable::relays] = 1;
    record_export_batch(rows, 0);
    set_export_lag("edge-1", 120, 100);

    EXPECT_EQ(now_of("brotr_finder_relays_discovered_total{source=\"events\"}") - from_events, 4);
    EXPECT_EQ(now_of("brotr_finder_candidates_rejected_total{reason=\"invalid\"}") - invalid, 2);
    EXPECT_EQ(now_of("brotr_export_rows_total{table=\"events\"}") - event_rows, 7);
    EXPECT_EQ(now_of("brotr_export_rows_total{table=\"relays\"}") - relay_rows, 1);
    EXPECT_EQ(now_of("brotr_export_lag_entries{node=\"edge-1\"}"), 20);
    set_export_lag("edge-1", 100, 100);
    EXPECT_EQ(now_of("brotr_export_lag_entries{node=\"edge-1\"}"), 0);
    set_export_lag("edge-1", 90, 100);  // a cursor past the head (another node's store): no negative lag
    EXPECT_EQ(now_of("brotr_export_lag_entries{node=\"edge-1\"}"), 0);
}

TEST(ServiceMetrics, ABackupSetsTheNewestBackupsFigures) {
    BackupResult r;
    r.backup.id = 4;
    r.backup.created_at = 1'700'000'000;
    r.backup.size = 5000;
    r.backup.new_bytes = 300;
    r.kept = 3;
    r.seconds = 1.5;
    record_backup(r);
    EXPECT_EQ(now_of("brotr_backup_last_success_timestamp_seconds"), 1'700'000'000);
    EXPECT_EQ(now_of("brotr_backup_size_bytes"), 5000);
    EXPECT_EQ(now_of("brotr_backup_new_bytes"), 300);
    EXPECT_EQ(now_of("brotr_backup_duration_seconds"), 1.5);
    EXPECT_EQ(now_of("brotr_backups"), 3);
}

// Run after the tests above have made every service family: each family the
// process exposes has a row in docs/api.md's metrics table.
TEST(ServiceMetrics, EveryExposedFamilyIsDocumented) {
    const auto dir = test::env("BROTR_SOURCE_DIR");
    ASSERT_TRUE(dir);
    record_relay_check("openable", 1, std::nullopt, std::nullopt);
    count_relay_up_to_date();
    runtime::count_service_error("test", "cycle");
    pg::TableCounts rows;
    rows[ChangeTable::events] = 1;
    record_export_batch(rows, 1);
    RelaySyncResult r;
    r.drops.add(net::DropReason::wrong_id);
    r.invalid[static_cast<std::size_t>(EventError::id_mismatch)] = 1;
    record_relay_sync(r);
    count_relays_discovered("api", 1);
    count_candidates_rejected("invalid", 1);
    set_export_lag("n", 1, 0);
    record_backup(BackupResult{});

    std::ifstream in(std::string(*dir) + "/docs/api.md");
    std::stringstream docs;
    docs << in.rdbuf();
    for (const std::string& family : test::metric_families(metrics::registry().exposition()))
        EXPECT_NE(docs.str().find("`" + family + "`"), std::string::npos) << family << " is not in docs/api.md";
}

}  // namespace
}  // namespace brotr::services
