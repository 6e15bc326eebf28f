// The state behind brotr::Store: the RocksDB handles and what the single
// writer keeps in memory. Private to storage/.
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <rocksdb/db.h>

#include "brotr/store.hpp"
#include "storage/column_families.hpp"
#include "storage/counter_batch.hpp"
#include "storage/key_layout.hpp"
#include "storage/pending_writes.hpp"
#include "storage/sorted_batch.hpp"
#include "storage/worker_pool.hpp"

namespace brotr {

class Store::Impl {
public:
    Impl(std::string path, StoreOptions options);
    ~Impl();

    // Opens the database (creating it when `create_variant` is set) and checks its meta.
    void open(std::optional<StoreVariant> create_variant);
    // Reads the format (meta), refuses what this build cannot open that way,
    // and notes this build's minor when a writer opens an older minor.
    void check_format(const std::string& major_text, bool writing, bool allow_older);

    // ---- access helpers (throw StoreError on anything but NotFound) ----
    rocksdb::ColumnFamilyHandle* cf(storage::Cf c) const {
        auto* h = cfs_[static_cast<std::size_t>(c)];
        if (h == nullptr) missing_cf(c);
        return h;
    }
    [[noreturn]] void missing_cf(storage::Cf c) const;
    // value may be null; snapshot null = the latest state.
    bool get(storage::Cf c, std::string_view key, std::string* value, const rocksdb::Snapshot* snapshot = nullptr) const;
    std::unique_ptr<rocksdb::Iterator> iterator(storage::Cf c, bool total_order = false) const;
    // One lookup per key, batched; nullopt for absent keys.
    std::vector<std::optional<std::string>> multi_get(storage::Cf c, std::span<const std::string_view> keys) const;
    std::vector<std::optional<std::string>> multi_get(storage::Cf c, const std::vector<std::string>& keys) const;
    void check(const rocksdb::Status& s, std::string_view what) const;
    // Commits the deferred inserts first, so that writes land in the order made.
    void write(rocksdb::WriteBatch& batch, bool sync);
    void require_writable() const;
    bool with_body() const { return variant == StoreVariant::bigbrotr; }

    std::optional<std::uint64_t> serial_of(const Bytes32& id) const;
    std::optional<Event> event_by_serial(std::uint64_t serial) const;

    // Whether each event is stored (by id), with the same sig or another, and its serial.
    struct Found {
        Store::Presence presence = Store::Presence::absent;
        std::uint64_t serial = 0;
    };
    std::vector<Found> lookup(std::span<const EventIdentity> events) const;

    // ---- the writer's state, guarded by write_mutex ----
    std::uint64_t next_serial = 1;
    std::uint64_t next_seq = 1;
    // Counter keys and relay URLs known to exist. Rows are never deleted, so
    // a positive entry stays true; the sets are dropped when they grow large
    // or a write fails (a failed write may have added keys it did not store).
    storage::KnownCounters known_counters;
    std::unordered_set<std::string> known_relays;
    void forget_known_if_large();
    // Deferred inserts (InsertOptions::defer), and the writer's reads, which
    // see them as stored. commit_pending writes them in one atomic step, as
    // ingested SST files or through the log; when that fails, none of them
    // is stored and the writer's state is reloaded from the store.
    storage::PendingWrites pending;
    storage::SortedBatch::Shape last_event_batch;  // what the last insert_events() wrote, to reserve as much
    // The counter updates of all deferred inserts, summed over the whole
    // commit: a counter touched by many batches becomes one entry, not one
    // per batch. Every counter row they create is in known_counters, so the
    // writer never needs to read them back before the commit.
    storage::CounterBatch pending_counts{known_counters};
    std::vector<std::optional<std::string>> writer_get(storage::Cf c, std::span<const std::string_view> keys) const;
    std::vector<std::optional<std::string>> writer_get(storage::Cf c, const std::vector<std::string>& keys) const;
    void commit_pending(DeferredCommit how);
    // Drops every deferred insert and what the writer remembers of them
    // (a failed commit, or a deferred insert that failed half-way).
    void discard_pending();
    void append_changelog(rocksdb::WriteBatch& batch, ChangeTable table, std::string_view row_key,
                          std::uint64_t& seq);
    void append_changelog(storage::SortedBatch& batch, ChangeTable table, std::string_view row_key,
                          std::uint64_t& seq);

    std::string path;
    StoreOptions options;
    StoreVariant variant = StoreVariant::bigbrotr;
    std::uint32_t format_major = storage::kFormatVersion;
    std::uint32_t format_minor = kStoreFormatMinor;
    // event_ids values: serial(8) in format 1, serial(8) · sig_digest(8) since 2.
    std::size_t event_ids_value_size() const { return format_major == 1 ? 8 : storage::kEventIdsValueSize; }
    std::mutex write_mutex;
    std::mutex pool_mutex;
    std::unique_ptr<storage::WorkerPool> pool;  // created on first use
    storage::WorkerPool& verify_pool();
    // A batch for this instance's writes (sorted where the memtable wants it).
    storage::SortedBatch new_batch() const;

private:
    void load_writer_state();
    void ingest_pending();
    void write_sst_file(storage::Cf c, const rocksdb::DBOptions& db_options, const std::string& file) const;
    std::string ingest_dir() const;  // where SST files are written before ingestion

    storage::StoreTuning tuning_;
    std::unique_ptr<rocksdb::DB> db_;
    std::array<rocksdb::ColumnFamilyHandle*, storage::kCfCount> cfs_{};
    std::vector<rocksdb::ColumnFamilyHandle*> all_handles_;
    std::string secondary_dir_;
    bool ready_ = false;  // opened and checked

public:
    rocksdb::DB& db() const { return *db_; }
    const std::array<rocksdb::ColumnFamilyHandle*, storage::kCfCount>& cf_handles() const { return cfs_; }
};

struct StoreAccess {
    static Store::Impl& impl(Store& store) { return *store.impl_; }
};

// A forward scan over [lower, upper) of one column family (upper empty: to
// the end), in total order. Throws StoreError if the scan fails.
class Scan {
public:
    Scan(const Store::Impl& store, storage::Cf cf, std::string lower, std::string upper = {},
         const rocksdb::Snapshot* snapshot = nullptr);
    Scan(const Scan&) = delete;
    Scan& operator=(const Scan&) = delete;

    bool valid() const;  // false at the end; throws on a read error
    void next() { it_->Next(); }
    std::string_view key() const { return {it_->key().data(), it_->key().size()}; }
    std::string_view value() const { return {it_->value().data(), it_->value().size()}; }

private:
    const Store::Impl& store_;
    std::string lower_, upper_;
    rocksdb::Slice upper_slice_;
    rocksdb::ReadOptions ro_;
    std::unique_ptr<rocksdb::Iterator> it_;
};

// The smallest string greater than every string starting with `prefix`
// (empty when there is none: all 0xff).
std::string prefix_successor(std::string prefix);

// Meta keys.
inline constexpr std::string_view kMetaVariant = "variant";
inline constexpr std::string_view kMetaFormatVersion = "format_version";  // the major, decimal
inline constexpr std::string_view kMetaFormatMinor = "format_minor";      // decimal; absent: 0
inline constexpr std::string_view kMetaChangelogTrimmed = "changelog_trimmed_to";
// Prefixes of meta keys (storage/changelog.cpp): a consumer's cursor, and the
// head the changelog had at a time (for retention when no consumer is registered).
inline constexpr std::string_view kMetaChangelogConsumer = "changelog_consumer:";
inline constexpr std::string_view kMetaChangelogMark = "changelog_mark:";

}  // namespace brotr
