// The PostgreSQL exporter: tails the store's changelog from a cursor kept in
// PostgreSQL per node id, and moves each batch of new rows into the tables in
// one transaction that also advances the cursor. COPY into session-private
// staging tables, then INSERT ... ON CONFLICT DO NOTHING into the tables in
// foreign-key order (brotr_export_merge_staging, sql/*/11_event_writers.sql).
// Events and relay links, the bulk of every batch, are first COPYed straight
// into their tables under a savepoint: when they are all new (one node, or a
// node ahead of the others) that skips the staging copy; when some are there
// already, the savepoint is rolled back and they go through staging.
//
// So a crash, a lost connection or a PostgreSQL restart at any point leaves
// either the whole batch with its cursor or neither; exporting again resumes
// at the cursor; rows already present (another node's, or written through the
// stored procedures) are left as they are. Several exporters may share one
// database: each node has its own cursor, and two exporters of the same node
// take turns on the cursor row.
#pragma once

#include <array>
#include <cstdint>
#include <future>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/connection_base>
#include <pqxx/dbtransaction>

#include "brotr/store.hpp"
#include "exporters/export_batch.hpp"
#include "exporters/pg_connection.hpp"
#include "exporters/pg_copy.hpp"

namespace brotr::pg {

// The target database or the store is in a state retrying will not change
// (schema objects missing, variants that do not fit, a cursor this store
// cannot continue). what() says what to do.
class ExportTargetError : public PgError {
public:
    using PgError::PgError;
};

// The database's cursor for `node_id` is beyond this store's changelog head:
// another store was exported under that node id.
ExportTargetError cursor_beyond_head(const std::string& node_id, std::uint64_t cursor, std::uint64_t head);

// 1–64 characters of [A-Za-z0-9._-], the rule of brotr.yaml's node_id.
bool valid_node_id(std::string_view node_id);

inline constexpr std::size_t kMaxExportBatchSize = 100000;

struct ExporterOptions {
    std::string node_id;
    std::size_t batch_size = 1000;  // changelog entries per transaction, 1..kMaxExportBatchSize
    CopyFormat format = CopyFormat::binary;
    // Read and encode the next batch from the store while PostgreSQL
    // writes the current one.
    bool prefetch = true;
    // COPY events and relay links straight into their tables, saving the
    // staging copy, while they are all new there (see kDirectPauseBatches).
    bool direct_copy = true;
};

// After rows of a table turn out to be present already (another node
// exported them) or to miss a parent, that table goes through staging for
// this many batches before straight COPY is tried again.
inline constexpr unsigned kDirectPauseBatches = 64;

struct BatchResult {
    std::uint64_t first_seq = 0, last_seq = 0;  // the changelog entries covered; the cursor is now last_seq
    std::size_t entries = 0;
    TableCounts staged;    // rows sent
    TableCounts inserted;  // rows the tables gained (service_state: inserted or replaced)
    std::vector<SkippedRow> skipped;
    // The batch first failed on a missing parent row (deleted in PostgreSQL
    // meanwhile, or an event left out in an earlier run) and was sent again
    // with its parent rows.
    bool self_contained = false;
};

class Exporter {
public:
    // Checks that the database has the exporter's objects and an events
    // table the store can fill, and creates the session's staging tables.
    // Throws std::invalid_argument for bad options, ExportTargetError, or
    // libpqxx errors.
    Exporter(Store& store, pqxx::connection_base& connection, ExporterOptions options);

    const ExporterOptions& options() const { return options_; }
    EventColumns event_columns() const { return columns_; }

    // The node's committed cursor (0 when it has none yet).
    std::uint64_t cursor();

    // Exports the next batch: entries after the cursor, at most batch_size,
    // none after `up_to`. nullopt when the cursor is at `up_to` or beyond.
    // Throws ExportTargetError when the cursor is ahead of the store's
    // changelog (another store exported under this node id) or the entries
    // after it were trimmed from the store; libpqxx errors (the transaction
    // is then rolled back and nothing changed); StoreError.
    std::optional<BatchResult> export_batch(std::uint64_t up_to);

    // True when the entries after the node's cursor are no longer in the
    // store's changelog (trimmed): only a full export (FullExport,
    // exporters/full_export.hpp) can fill this database.
    bool needs_full_export();
    // Exports rows named by store.table_rows() in one transaction, without
    // moving the cursor; rows present are left as they are. For FullExport.
    BatchResult export_rows(std::span<const ChangelogEntry> rows);
    // Moves the node's cursor to `seq` unless it is there or beyond.
    void advance_cursor(std::uint64_t seq);

    ~Exporter();

private:
    struct Staged {
        std::vector<ChangelogEntry> entries;
        StagedBatch batch;
    };
    // A batch staged ahead, valid while the cursor is still `after`.
    struct Prefetch {
        std::uint64_t after = 0;
        std::uint64_t up_to = 0;
        std::future<Staged> staged;
    };

    std::optional<BatchResult> attempt_batch(std::uint64_t up_to, bool self_contained);
    // Inserts the node's cursor row if missing and locks it; returns its seq.
    std::uint64_t lock_cursor(pqxx::dbtransaction& tx, std::int64_t now);
    // COPY and merge of a staged batch; the cursor goes to `cursor_after`
    // unless it is beyond.
    BatchResult write_batch(pqxx::dbtransaction& tx, StagedBatch& batch, bool self_contained,
                            std::uint64_t cursor_after, std::int64_t now);
    // COPY straight into `table` inside a savepoint; false (and nothing
    // written) when a row is already there or misses its parent row.
    bool copy_direct(pqxx::dbtransaction& tx, ChangeTable table, const std::string& data, TableCounts& copied);
    Staged stage(std::uint64_t after, std::uint64_t up_to, bool self_contained);
    void drop_prefetch();

    Store& store_;
    pqxx::connection_base& connection_;
    ExporterOptions options_;
    EventColumns columns_ = EventColumns::full;
    UnexportableEvents unexportable_events_;  // used by one staging at a time
    std::optional<Prefetch> prefetch_;
    std::array<unsigned, 8> direct_pause_{};  // batches left before trying straight COPY again, by table
};

}  // namespace brotr::pg
