#include "exporters/exporter.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "util/clock.hpp"

namespace brotr::pg {
namespace {

std::string staging_table(ChangeTable table) { return "brotr_stage_" + std::string(to_string(table)); }

std::string variant_name(StoreVariant v) { return std::string(to_string(v)); }

// Merge function result columns, in kMergeOrder.
constexpr const char* kInsertedColumns[] = {"inserted_relays",        "inserted_events",  "inserted_events_relays",
                                            "inserted_nip11",         "inserted_nip66",   "inserted_relay_metadata",
                                            "upserted_service_state"};

}  // namespace

ExportTargetError cursor_beyond_head(const std::string& node_id, std::uint64_t cursor, std::uint64_t head) {
    return ExportTargetError("the database's cursor for node " + node_id + " is at changelog entry " +
                             std::to_string(cursor) + " but this store's changelog ends at " + std::to_string(head) +
                             ": another store was exported under this node id; give this one its own node id");
}

bool valid_node_id(std::string_view node_id) {
    if (node_id.empty() || node_id.size() > 64) return false;
    return std::all_of(node_id.begin(), node_id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

Exporter::Exporter(Store& store, pqxx::connection_base& connection, ExporterOptions options)
    : store_(store), connection_(connection), options_(std::move(options)) {
    if (!valid_node_id(options_.node_id))
        throw std::invalid_argument("node id \"" + options_.node_id +
                                    "\" is invalid: use 1 to 64 of the characters A-Z a-z 0-9 . _ -");
    if (options_.batch_size < 1 || options_.batch_size > kMaxExportBatchSize)
        throw std::invalid_argument("batch size " + std::to_string(options_.batch_size) + " is out of range 1-" +
                                    std::to_string(kMaxExportBatchSize));

    pqxx::nontransaction tx(connection_);
    const auto row = tx.exec1(
        "SELECT to_regclass('events') IS NOT NULL, "
        "       EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('events') "
        "               AND attname = 'tags' AND NOT attisdropped), "
        "       to_regclass('brotr_export_cursor') IS NOT NULL, "
        "       to_regprocedure('brotr_export_prepare_staging()') IS NOT NULL, "
        "       to_regprocedure('brotr_export_merge_staging(text, bigint, bigint)') IS NOT NULL");
    std::vector<std::string> missing;
    if (!row[0].as<bool>()) missing.emplace_back("table events");
    if (!row[2].as<bool>()) missing.emplace_back("table brotr_export_cursor");
    if (!row[3].as<bool>()) missing.emplace_back("function brotr_export_prepare_staging()");
    if (!row[4].as<bool>()) missing.emplace_back("function brotr_export_merge_staging(text, bigint, bigint)");
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
        throw ExportTargetError("the database lacks " + list + ": create the schema with `brotr pg-init --variant " +
                                variant_name(store_.variant()) + "`");
    }
    columns_ = row[1].as<bool>() ? EventColumns::full : EventColumns::light;
    if (columns_ == EventColumns::full && store_.variant() == StoreVariant::lilbrotr)
        throw ExportTargetError(
            "the database has the bigbrotr schema (events with tags and content) but the store is a lilbrotr "
            "store, which keeps neither: export into a database with the lilbrotr schema");
    tx.exec("SELECT brotr_export_prepare_staging()");
}

std::uint64_t Exporter::cursor() {
    pqxx::nontransaction tx(connection_);
    const auto rows = tx.exec_params("SELECT seq FROM brotr_export_cursor WHERE node_id = $1", options_.node_id);
    return rows.empty() ? 0 : rows[0][0].as<std::uint64_t>();
}

Exporter::~Exporter() { drop_prefetch(); }

void Exporter::drop_prefetch() {
    if (!prefetch_) return;
    prefetch_->staged.wait();  // it uses the store and the skipped-event set
    prefetch_.reset();
}

bool Exporter::needs_full_export() {
    const std::uint64_t at = cursor();
    if (at >= store_.changelog_head()) return false;
    const auto next = store_.read_changelog(at, 1);
    return next.empty() || next.front().seq != at + 1;
}

BatchResult Exporter::export_rows(std::span<const ChangelogEntry> rows) {
    drop_prefetch();  // it stages changelog entries after a cursor this does not move
    const auto attempt = [&](bool self_contained) {
        const std::int64_t now = unix_now();
        pqxx::work tx(connection_, "brotr_export_rows");
        const std::uint64_t cursor = lock_cursor(tx, now);
        StagedBatch batch = stage_batch(store_, rows, {columns_, options_.format, self_contained}, unexportable_events_);
        BatchResult result = write_batch(tx, batch, self_contained, cursor, now);
        tx.commit();
        return result;
    };
    try {
        return attempt(false);
    } catch (const pqxx::foreign_key_violation&) {
        return attempt(true);  // a parent row written after its table was read
    }
}

void Exporter::advance_cursor(std::uint64_t seq) {
    const std::int64_t now = unix_now();
    pqxx::work tx(connection_, "brotr_export_cursor");
    lock_cursor(tx, now);
    tx.exec_params("UPDATE brotr_export_cursor SET seq = GREATEST(seq, $2), updated_at = $3 WHERE node_id = $1",
                   options_.node_id, seq, now);
    tx.commit();
}

Exporter::Staged Exporter::stage(std::uint64_t after, std::uint64_t up_to, bool self_contained) {
    const std::size_t limit = static_cast<std::size_t>(std::min<std::uint64_t>(options_.batch_size, up_to - after));
    Staged staged;
    staged.entries = store_.read_changelog(after, limit);
    if (staged.entries.empty() || staged.entries.front().seq != after + 1)
        throw ExportTargetError("the store's changelog no longer holds entry " + std::to_string(after + 1) +
                                " (trimmed), which node " + options_.node_id +
                                " has not exported to this database yet (changelog.trim in brotr.yaml): fill it "
                                "with a full export, `brotr export --pg CONNINFO --once --full`, which the running "
                                "exporter of `brotr run` starts by itself");
    StagingOptions staging{columns_, options_.format, self_contained};
    staged.batch = stage_batch(store_, staged.entries, staging, unexportable_events_);
    return staged;
}

bool Exporter::copy_direct(pqxx::dbtransaction& tx, ChangeTable table, const std::string& data,
                           TableCounts& copied) {
    // A plain SAVEPOINT rather than pqxx::subtransaction: copy_in talks to
    // libpq directly, and libpqxx only opens a subtransaction on its own
    // first query, so a rollback would have had nothing to roll back to.
    tx.exec0("SAVEPOINT brotr_direct_copy");
    std::uint64_t rows = 0;
    try {
        rows = copy_in(tx, to_string(table), copy_columns(table, columns_), options_.format, data);
    } catch (const pqxx::sql_error& e) {
        // unique_violation: another node (or a stored procedure) wrote some
        // of the rows; foreign_key_violation: a parent row is missing.
        if (e.sqlstate() != "23505" && e.sqlstate() != "23503") throw;
        tx.exec0("ROLLBACK TO SAVEPOINT brotr_direct_copy");
        direct_pause_[static_cast<std::size_t>(table)] = kDirectPauseBatches;
        return false;
    }
    tx.exec0("RELEASE SAVEPOINT brotr_direct_copy");
    copied[table] += rows;
    return true;
}

std::optional<BatchResult> Exporter::export_batch(std::uint64_t up_to) {
    try {
        return attempt_batch(up_to, false);
    } catch (const pqxx::foreign_key_violation&) {
        // A parent row is not in PostgreSQL: deleted there since (the
        // orphan-cleanup procedures), or an event an earlier run left out.
        return attempt_batch(up_to, true);
    }
}

std::uint64_t Exporter::lock_cursor(pqxx::dbtransaction& tx, std::int64_t now) {
    // A second exporter of the same node waits here and then continues
    // after the batch this one commits.
    tx.exec_params("INSERT INTO brotr_export_cursor (node_id, seq, updated_at) VALUES ($1, 0, $2) "
                   "ON CONFLICT (node_id) DO NOTHING",
                   options_.node_id, now);
    return tx.exec_params1("SELECT seq FROM brotr_export_cursor WHERE node_id = $1 FOR UPDATE", options_.node_id)[0]
        .as<std::uint64_t>();
}

std::optional<BatchResult> Exporter::attempt_batch(std::uint64_t up_to, bool self_contained) {
    const std::int64_t now = unix_now();
    pqxx::work tx(connection_, "brotr_export");
    const std::uint64_t cursor = lock_cursor(tx, now);

    std::uint64_t head = store_.changelog_head();
    if (cursor > head) {
        store_.catch_up();  // a secondary instance may lag behind the writer
        head = store_.changelog_head();
    }
    if (cursor > head) throw cursor_beyond_head(options_.node_id, cursor, head);
    if (cursor >= up_to) return std::nullopt;

    Staged staged;
    // A prefetched batch is exactly what staging now would give, or (when
    // the head moved on since) a shorter run of the same entries.
    if (prefetch_ && !self_contained && prefetch_->after == cursor && prefetch_->up_to <= up_to) {
        staged = prefetch_->staged.get();
        prefetch_.reset();
    } else {
        drop_prefetch();
        staged = stage(cursor, up_to, self_contained);
    }
    StagedBatch& batch = staged.batch;
    if (options_.prefetch && !self_contained && batch.last_seq < up_to) {
        const std::uint64_t next = batch.last_seq;
        prefetch_ = Prefetch{next, up_to, std::async(std::launch::async, [this, next, up_to] {
                                 return stage(next, up_to, false);
                             })};
    }
    BatchResult result = write_batch(tx, batch, self_contained, batch.last_seq, now);
    tx.commit();
    return result;
}

BatchResult Exporter::write_batch(pqxx::dbtransaction& tx, StagedBatch& batch, bool self_contained,
                                  std::uint64_t cursor_after, std::int64_t now) {

    const auto data_of = [&](ChangeTable t) -> const std::string& {
        return batch.copy_data[static_cast<std::size_t>(t)];
    };
    const auto stage_table = [&](ChangeTable t) {
        if (!data_of(t).empty()) copy_in(tx, staging_table(t), copy_columns(t, columns_), options_.format, data_of(t));
    };
    const bool direct = options_.direct_copy && !self_contained;
    if (direct)
        for (auto& pause : direct_pause_)
            if (pause > 0) --pause;
    const auto direct_allowed = [&](ChangeTable t) {
        return direct && !data_of(t).empty() && direct_pause_[static_cast<std::size_t>(t)] == 0;
    };

    BatchResult result;
    // Events have no parent rows: straight in first, if they can.
    const bool events_direct =
        direct_allowed(ChangeTable::events) && copy_direct(tx, ChangeTable::events, data_of(ChangeTable::events),
                                                           result.inserted);
    // Links need their relays, which the merge inserts: they come after it.
    const bool links_after_merge = direct_allowed(ChangeTable::events_relays);
    for (ChangeTable table : kMergeOrder) {
        if ((table == ChangeTable::events && events_direct) ||
            (table == ChangeTable::events_relays && links_after_merge))
            continue;
        stage_table(table);
    }
    const auto merge = [&] {
        const auto merged = tx.exec_params1("SELECT * FROM brotr_export_merge_staging($1, $2, $3)",
                                            options_.node_id, cursor_after, now);
        for (std::size_t i = 0; i < std::size(kMergeOrder); ++i)
            result.inserted[kMergeOrder[i]] += merged[kInsertedColumns[i]].as<std::uint64_t>();
    };
    merge();
    if (links_after_merge &&
        !copy_direct(tx, ChangeTable::events_relays, data_of(ChangeTable::events_relays), result.inserted)) {
        stage_table(ChangeTable::events_relays);
        merge();  // the staging tables were emptied by the first merge: only the links move now
    }

    result.first_seq = batch.first_seq;
    result.last_seq = batch.last_seq;
    result.entries = batch.entries;
    result.staged = batch.staged;
    result.skipped = std::move(batch.skipped);
    result.self_contained = self_contained;
    return result;
}

}  // namespace brotr::pg
