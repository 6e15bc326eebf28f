// What each service counts for /metrics, beyond the cycles every service
// reports through the runner. Each metric's name, type, help and labels are
// written once, here; docs/api.md lists them, and a test checks that every
// family /metrics exposes is in that list.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "runtime/service.hpp"

namespace brotr {
struct BackupResult;
}

namespace brotr::pg {
struct TableCounts;
}

namespace brotr::services {

struct RelaySyncResult;

using runtime::count_service_error;  // declared in runtime/service.hpp

// Synchronizer: one relay's sync, its events by fate and its result ("ok" or
// the failure category).
void record_relay_sync(const RelaySyncResult& result);
void count_relay_up_to_date();

// Monitor: one relay's check, by the best it reached (writable, readable,
// openable, unreachable; not_tested when local rules refused it), and its
// round trips in milliseconds, as the store holds them.
void record_relay_check(std::string_view result, std::optional<std::int32_t> rtt_open_ms,
                        std::optional<std::int32_t> rtt_read_ms, std::optional<std::int32_t> rtt_write_ms);

// Finder: candidates by fate. `source` is "api" or "events".
void count_relays_discovered(std::string_view source, std::uint64_t n);
void count_candidates_rejected(std::string_view reason, std::uint64_t n);

// Exporter: rows one batch exported, and how far the node's cursor is behind
// the changelog head.
void record_export_batch(const pg::TableCounts& inserted, std::uint64_t skipped);
void set_export_lag(std::string_view node_id, std::uint64_t head, std::uint64_t cursor);

// Backup: the backup just made (its time, size, what it copied, how long it
// took) and how many backups the directory holds.
void record_backup(const BackupResult& result);

}  // namespace brotr::services
