#include "cli/export_pg_mode.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <stdexcept>

#include <pqxx/connection>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "cli/commands.hpp"
#include "exporters/exporter.hpp"
#include "exporters/full_export.hpp"
#include "exporters/pg_connection.hpp"
#include "exporters/pg_conninfo.hpp"

namespace brotr::cli {
namespace {

using Clock = std::chrono::steady_clock;

// The node id brotr.yaml falls back to (the host name, made valid).
std::string default_node_id() {
    try {
        return parse_brotr_config("{}", "(defaults)", ".").node_id;
    } catch (const std::exception&) {
        return "brotr";
    }
}

// Everything that may be the password, to keep it out of messages.
std::string redacted(std::string message, const PgExportOptions& o) {
    for (const auto& token : pg::conninfo_password_tokens(o.conninfo)) message = pg::redact(std::move(message), token);
    for (const char* name : {o.password_env.c_str(), "PGPASSWORD"}) {
        if (*name == '\0') continue;
        if (const char* value = std::getenv(name); value != nullptr && *value != '\0')
            message = pg::redact(std::move(message), value);
    }
    return message;
}

// The JSONL mode's NIP-01 filter options (export_command.cpp).
bool filter_options_given(const CLI::App& command) {
    for (const char* name : {"--ids", "--authors", "--kinds", "--tag", "--since", "--until", "--limit"})
        if (command.count(name) > 0) return true;
    return false;
}

int usage(const char* message) {
    std::fprintf(stderr, "brotr export: %s\n", message);
    return kExitUsage;
}

void print_summary(const pg::TableCounts& staged, const pg::TableCounts& inserted) {
    for (ChangeTable t : pg::kMergeOrder) {
        if (staged[t] == 0) continue;
        const std::string name(to_string(t));
        std::printf("  %-15s %10llu sent %10llu %s\n", name.c_str(), static_cast<unsigned long long>(staged[t]),
                    static_cast<unsigned long long>(inserted[t]),
                    t == ChangeTable::service_state ? "inserted or updated" : "new");
    }
}

}  // namespace

void add_pg_export_options(CLI::App& command, PgExportOptions& o) {
    command.add_option("--pg", o.conninfo,
                       "export to PostgreSQL instead: libpq key=value string or postgresql:// URI of a database "
                       "created with `brotr pg-init` (the password comes from PGPASSWORD, ~/.pgpass or "
                       "--password-env)");
    command.add_flag("--once", o.once,
                     "with --pg: export everything up to the changelog head and exit (the continuous mirror runs "
                     "in `brotr run`, enabled by export: in brotr.yaml)");
    command.add_flag("--full", o.full,
                     "with --pg: first copy every row the store holds, whatever the changelog still has, then go on "
                     "from the changelog (for a database the trimmed changelog cannot continue, or to refill one)");
    command.add_option("--node-id", o.node_id,
                       "with --pg: this store's name for its cursor in the database (default: the host name, as "
                       "in brotr.yaml)");
    command.add_option("--password-env", o.password_env,
                       "with --pg: name of the environment variable that holds the password");
    command.add_option("--batch-size", o.batch_size, "with --pg: changelog entries per transaction")
        ->check(CLI::Range(std::size_t{1}, pg::kMaxExportBatchSize))
        ->capture_default_str();
}

bool pg_export_requested(const CLI::App& command) {
    for (const char* name : {"--pg", "--once", "--full", "--node-id", "--password-env", "--batch-size"})
        if (command.count(name) > 0) return true;
    return false;
}

int run_pg_export(const std::string& store_path, const PgExportOptions& o, const CLI::App& command) {
    if (o.conninfo.empty()) return usage("--once, --full, --node-id, --password-env and --batch-size need --pg CONNINFO");
    if (!o.once)
        return usage("--pg needs --once (a batch export up to the changelog head); the continuous mirror runs in "
                     "`brotr run` with export: enabled in brotr.yaml");
    if (filter_options_given(command))
        return usage("filter options (--ids, --kinds, ...) apply to the JSONL export only, not to --pg");
    const std::string node_id = o.node_id.empty() ? default_node_id() : o.node_id;
    if (!pg::valid_node_id(node_id))
        return usage(("--node-id \"" + node_id + "\" is invalid: use 1 to 64 of the characters A-Z a-z 0-9 . _ -")
                         .c_str());

    const auto target = pg::resolve_target(o.conninfo).describe();
    try {
        StoreOptions store_options;
        store_options.mode = OpenMode::secondary;  // works while `brotr run` holds the store
        Store store = Store::open(store_path, store_options);
        store.catch_up();
        const std::uint64_t head = store.changelog_head();

        auto connection = pg::connect({o.conninfo, o.password_env});
        pg::ExporterOptions exporter_options;
        exporter_options.node_id = node_id;
        exporter_options.batch_size = o.batch_size;
        pg::Exporter exporter(store, *connection, exporter_options);
        const std::uint64_t start_cursor = exporter.cursor();
        std::fprintf(stderr, "export: store %s (%s, changelog head %llu) to %s as node %s, cursor %llu\n",
                     store_path.c_str(), std::string(to_string(store.variant())).c_str(),
                     static_cast<unsigned long long>(head), target.c_str(), node_id.c_str(),
                     static_cast<unsigned long long>(start_cursor));

        const auto started = Clock::now();
        auto last_progress = started;
        pg::TableCounts staged, inserted;
        std::size_t batches = 0, entries = 0, skipped = 0;
        const auto report_skipped = [&](const pg::BatchResult& batch) {
            for (const auto& row : batch.skipped) {
                ++skipped;
                std::fprintf(stderr, "export: skipped %s row %s: %s\n", std::string(to_string(row.table)).c_str(),
                             row.key.c_str(), row.reason.c_str());
            }
        };
        if (o.full) {
            pg::FullExport full(store, exporter);
            std::fprintf(stderr, "export: full export of every row, then the changelog after entry %llu\n",
                         static_cast<unsigned long long>(full.head()));
            for (;;) {
                const std::string table(full.table());
                auto batch = full.next_batch();
                if (!batch) break;
                ++batches;
                staged += batch->staged;
                inserted += batch->inserted;
                report_skipped(*batch);
                const auto now = Clock::now();
                if (std::chrono::duration<double>(now - last_progress).count() >= o.progress_interval) {
                    last_progress = now;
                    std::fprintf(stderr, "export: full export: %s, %zu rows sent\n", table.c_str(), full.rows_sent());
                    std::fflush(stderr);
                }
            }
        }
        std::uint64_t cursor = exporter.cursor();
        while (auto batch = exporter.export_batch(head)) {
            ++batches;
            entries += batch->entries;
            staged += batch->staged;
            inserted += batch->inserted;
            cursor = batch->last_seq;
            report_skipped(*batch);
            const auto now = Clock::now();
            if (std::chrono::duration<double>(now - last_progress).count() >= o.progress_interval) {
                last_progress = now;
                const double seconds = std::chrono::duration<double>(now - started).count();
                const double done = head > start_cursor ? 100.0 * static_cast<double>(cursor - start_cursor) /
                                                              static_cast<double>(head - start_cursor)
                                                        : 100.0;
                std::fprintf(stderr, "export: progress %llu/%llu (%.1f%%) entries=%zu events=%llu rate=%.0f/s\n",
                             static_cast<unsigned long long>(cursor), static_cast<unsigned long long>(head), done,
                             entries, static_cast<unsigned long long>(inserted[ChangeTable::events]),
                             seconds > 0 ? static_cast<double>(entries) / seconds : 0.0);
                std::fflush(stderr);
            }
        }
        const std::uint64_t final_cursor = exporter.cursor();
        const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
        std::printf("export: node %s cursor %llu of head %llu: %zu entries in %zu batches, %.1f s (%.0f entries/s), "
                    "%zu skipped\n",
                    node_id.c_str(), static_cast<unsigned long long>(final_cursor),
                    static_cast<unsigned long long>(head), entries, batches, seconds,
                    seconds > 0 ? static_cast<double>(entries) / seconds : 0.0, skipped);
        print_summary(staged, inserted);
        std::fflush(stdout);
        if (final_cursor < head) {
            std::fprintf(stderr, "brotr export: error: the database's cursor %llu is short of the head %llu\n",
                         static_cast<unsigned long long>(final_cursor), static_cast<unsigned long long>(head));
            return kExitFailure;
        }
        return kExitOk;
    } catch (const pg::ExportTargetError& e) {
        std::fprintf(stderr, "brotr export: error: %s (%s)\n", redacted(e.what(), o).c_str(), target.c_str());
        return kExitFailure;
    } catch (const pg::PgError& e) {
        // Connection errors already name the target.
        std::fprintf(stderr, "brotr export: error: %s\n", redacted(e.what(), o).c_str());
        return kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr export: error: %s (%s)\n", redacted(e.what(), o).c_str(), target.c_str());
        return kExitFailure;
    }
}

}  // namespace brotr::cli
