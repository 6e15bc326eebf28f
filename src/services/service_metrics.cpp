#include "services/service_metrics.hpp"

#include <string>

#include "brotr/backup.hpp"
#include "brotr/store.hpp"
#include "exporters/export_batch.hpp"
#include "services/relay_sync.hpp"
#include "util/metrics.hpp"

namespace brotr::services {

namespace {

metrics::Registry& reg() { return metrics::registry(); }

// Round trips: 10 ms (loopback, a near relay) to 30 s (a timeout).
const std::vector<double>& rtt_buckets() {
    static const std::vector<double> buckets{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    return buckets;
}

void observe_rtt(std::string_view check, std::optional<std::int32_t> ms) {
    if (!ms) return;
    reg().histogram("brotr_monitor_rtt_seconds", "Round trips of the monitor's NIP-66 checks, by check.",
                    {{"check", std::string(check)}}, rtt_buckets())
        .observe(*ms / 1000.0);
}

}  // namespace

void record_relay_sync(const RelaySyncResult& r) {
    auto& m = reg();
    m.counter("brotr_sync_relays_total", "Relays the synchronizer visited, by result (ok or the failure).",
              {{"result", r.success ? std::string("ok") : r.failure}})
        .inc();
    if (!r.success && r.failure == "store") count_service_error("synchronizer", "store");
    m.counter("brotr_sync_events_received_total", "Events relays sent in answer to the synchronizer's requests.")
        .inc(static_cast<double>(r.events_received));
    m.counter("brotr_sync_events_stored_total", "New events the synchronizer stored.").inc(static_cast<double>(r.stored));
    m.counter("brotr_sync_events_duplicate_total", "Events the synchronizer received that were already stored.")
        .inc(static_cast<double>(r.duplicates));
    for (std::size_t i = 1; i < kEventErrorCount; ++i) {
        const std::uint64_t n = r.invalid[i] + r.drops.by_event_error[i];
        if (n == 0) continue;
        m.counter("brotr_sync_events_invalid_total", "Events refused as invalid, by reason.",
                  {{"reason", std::string(to_string(static_cast<EventError>(i)))}})
            .inc(static_cast<double>(n));
    }
    for (std::size_t i = 0; i < net::kDropReasonCount; ++i) {
        const auto reason = static_cast<net::DropReason>(i);
        if (reason == net::DropReason::invalid_event || r.drops[reason] == 0) continue;  // invalid: broken down above
        m.counter("brotr_sync_messages_dropped_total", "Relay messages the synchronizer's sessions dropped, by reason.",
                  {{"reason", std::string(net::to_string(reason))}})
            .inc(static_cast<double>(r.drops[reason]));
    }
}

void count_relay_up_to_date() {
    reg().counter("brotr_sync_relays_total", "Relays the synchronizer visited, by result (ok or the failure).",
                  {{"result", "up_to_date"}})
        .inc();
}

void record_relay_check(std::string_view result, std::optional<std::int32_t> rtt_open_ms,
                        std::optional<std::int32_t> rtt_read_ms, std::optional<std::int32_t> rtt_write_ms) {
    reg().counter("brotr_monitor_relays_checked_total", "Relays the monitor checked, by the best result reached.",
                  {{"result", std::string(result)}})
        .inc();
    observe_rtt("open", rtt_open_ms);
    observe_rtt("read", rtt_read_ms);
    observe_rtt("write", rtt_write_ms);
}

void count_relays_discovered(std::string_view source, std::uint64_t n) {
    reg().counter("brotr_finder_relays_discovered_total", "New relays the finder added to the registry, by source.",
                  {{"source", std::string(source)}})
        .inc(static_cast<double>(n));
}

void count_candidates_rejected(std::string_view reason, std::uint64_t n) {
    if (n == 0) return;
    reg().counter("brotr_finder_candidates_rejected_total",
                  "Relay URL candidates the finder refused, by reason (invalid, refused_address).",
                  {{"reason", std::string(reason)}})
        .inc(static_cast<double>(n));
}

void record_export_batch(const pg::TableCounts& inserted, std::uint64_t skipped) {
    auto& m = reg();
    for (ChangeTable t : pg::kMergeOrder) {
        if (inserted[t] == 0) continue;
        m.counter("brotr_export_rows_total", "Rows the exporter wrote to PostgreSQL, by table.",
                  {{"table", std::string(to_string(t))}})
            .inc(static_cast<double>(inserted[t]));
    }
    if (skipped)
        m.counter("brotr_export_skipped_rows_total", "Rows the exporter could not write and skipped (logged each).")
            .inc(static_cast<double>(skipped));
}

void set_export_lag(std::string_view node_id, std::uint64_t head, std::uint64_t cursor) {
    reg().gauge("brotr_export_lag_entries", "Changelog entries not yet exported: the head minus the node's cursor.",
                {{"node", std::string(node_id)}})
        .set(static_cast<double>(head > cursor ? head - cursor : 0));
}

void record_backup(const BackupResult& r) {
    auto& m = reg();
    m.gauge("brotr_backup_last_success_timestamp_seconds", "When the newest backup was made (Unix time).")
        .set(static_cast<double>(r.backup.created_at));
    m.gauge("brotr_backup_size_bytes", "Bytes of the newest backup's files, shared ones included.")
        .set(static_cast<double>(r.backup.size));
    m.gauge("brotr_backup_new_bytes", "Bytes the newest backup copied: its files no older backup holds.")
        .set(static_cast<double>(r.backup.new_bytes));
    m.gauge("brotr_backup_duration_seconds", "How long the newest backup took.").set(r.seconds);
    m.gauge("brotr_backups", "Backups the backup directory holds.").set(static_cast<double>(r.kept));
}

}  // namespace brotr::services
