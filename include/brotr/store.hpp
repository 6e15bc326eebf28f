// The embedded archive: events with the relays that served them, the relay
// registry, NIP-11/NIP-66 metadata snapshots, per-service state, statistics
// kept up to date on every write, and a changelog for the exporter.
//
// One process writes (OpenMode::read_write); others read the same store at
// the same time as a secondary instance (OpenMode::secondary, which follows
// the writer on catch_up()) or read-only. Every method is thread-safe.
// Errors (I/O, corruption, wrong variant, bad arguments) throw StoreError.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "brotr/event.hpp"
#include "brotr/filter.hpp"
#include "brotr/metadata.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store_variant.hpp"

namespace brotr {

class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Opening for writing failed because another process holds the store open.
class StoreBusyError : public StoreError {
public:
    using StoreError::StoreError;
};

// storage/ code that needs the store's internals outside its methods (backup.cpp).
struct StoreAccess;

enum class OpenMode : std::uint8_t {
    read_write,  // the one writing process; creates nothing (see Store::init)
    read_only,   // a fixed view of the store as it was when opened
    secondary,   // read-only, follows the writer on catch_up()
};

struct StoreOptions {
    OpenMode mode = OpenMode::read_write;
    // When set, opening a store of the other variant fails.
    std::optional<StoreVariant> expected_variant;
    // Read-only and secondary instances: open only what events_statistics()
    // and summary() read. Opening beside a busy writer replays the writer's
    // recent log for the opened parts only, so this opens much faster; any
    // other method then throws StoreError.
    bool statistics_only = false;
    // Tuned for one long stream of inserts with no queries in this process
    // (`brotr import`): the query indexes, relay_events and the changelog
    // collect their new entries unsorted and sort them once when flushed.
    // Queries of those still work but sort the unflushed entries on every
    // read, so a process that serves queries must not set this.
    bool bulk_load = false;
    // Threads that verify signatures in insert_events(); 0 = one per core.
    unsigned verify_threads = 0;
    std::size_t block_cache_bytes = 64u << 20;
    // Open a store of an older major format for writing: for the migration
    // alone (storage/store_migrate.cpp). Other writers refuse such a store.
    bool allow_older_format = false;
};

// ---- rows ------------------------------------------------------------------

// An event as it arrives from a relay (or a file) for insert_events().
struct EventWithRelay {
    Event event;
    // Where it was seen; null for no relay link. Must outlive the call.
    const RelayUrl* relay = nullptr;
    std::int64_t seen_at = 0;  // unix seconds; only the first sighting per relay is kept
    // The caller already ran check_event() and it returned ok.
    bool checked = false;
};

struct InsertOptions {
    // Verify id and signature of unchecked events that are not stored yet
    // (duplicates of a stored event with the same sig are never re-verified).
    bool verify = true;
    // fsync the write-ahead log before returning. Without it a batch survives
    // a crash of the process but not of the machine.
    bool sync = true;
    // Hold the batch in memory, with the deferred batches before it, until
    // Store::commit_deferred() writes them all in one atomic step. Until then
    // readers do not see it and a crash loses it, but later inserts see it
    // (dedup, counters). For bulk loads: a large commit goes into the store
    // as SST files, with no write-ahead log, memtable or flush on the way.
    // A deferred insert that fails once it is writing (on a corrupt store,
    // out of memory) drops every deferred batch: they stand or fall together.
    bool defer = false;
};

// How Store::commit_deferred() writes.
enum class DeferredCommit : std::uint8_t {
    by_size,       // as SST files from kMinIngestBytes on, else through the log
    as_files,      // as SST files, ingested into the store
    through_log,   // one write-ahead-logged, fsynced batch
};
// Below this, files cost more than they save (and leave small files behind).
inline constexpr std::size_t kMinIngestBytes = 4u << 20;

enum class InsertOutcome : std::uint8_t {
    stored,     // a new event
    duplicate,  // already stored (its relay link is added if new)
    invalid,    // failed verification; nothing written for it
};

struct InsertResult {
    std::size_t stored = 0;
    std::size_t duplicates = 0;
    std::size_t links_added = 0;    // new (event, relay) rows
    std::size_t relays_added = 0;   // relays registered by this call
    std::array<std::size_t, kEventErrorCount> invalid{};  // by EventError
    std::vector<InsertOutcome> outcomes;  // one per item, in input order
    std::vector<EventError> errors;       // one per item; ok unless invalid

    std::size_t invalid_total() const {
        std::size_t n = 0;
        for (auto v : invalid) n += v;
        return n;
    }
};

struct RelayRecord {
    std::string url;
    Network network = Network::clearnet;
    std::int64_t inserted_at = 0;
    bool operator==(const RelayRecord&) const = default;
};

// One relay_metadata row with the NIP-11 / NIP-66 rows it points at.
struct StoredSnapshot {
    std::string relay_url;
    std::int64_t generated_at = 0;
    std::optional<Bytes32> nip11_id;
    std::optional<Nip11> nip11;
    std::optional<Bytes32> nip66_id;
    std::optional<Nip66> nip66;
};

// A row of the relay_metadata_latest view: every relay, with its newest snapshot if any.
struct RelayLatest {
    RelayRecord relay;
    std::optional<StoredSnapshot> latest;
};

struct ServiceState {
    std::string name;
    std::string state_json;
    std::int64_t updated_at = 0;
    bool operator==(const ServiceState&) const = default;
};

struct EventRelayRow {
    Bytes32 event_id{};
    std::string relay_url;
    std::int64_t seen_at = 0;
    bool operator==(const EventRelayRow&) const = default;
};

struct Nip11Row {
    Bytes32 id{};
    Nip11 doc;
};
struct Nip66Row {
    Bytes32 id{};
    Nip66 result;
};
struct RelayMetadataRow {
    std::string relay_url;
    std::int64_t generated_at = 0;
    std::optional<Bytes32> nip11_id;
    std::optional<Bytes32> nip66_id;
};

// ---- statistics (the figures of the PostgreSQL views) ------------------------

// A numeric rounded to 2 decimals, held exactly as hundredths.
struct Decimal2 {
    std::int64_t hundredths = 0;
    std::string str() const;  // e.g. "123.45", "-0.50"
    bool operator==(const Decimal2&) const = default;
};

struct EventsStatistics {
    std::uint64_t total_events = 0, unique_pubkeys = 0, unique_kinds = 0;
    std::optional<std::int64_t> earliest_event_timestamp, latest_event_timestamp;
    std::uint64_t regular_events = 0, replaceable_events = 0, ephemeral_events = 0, addressable_events = 0;
    std::uint64_t events_last_hour = 0, events_last_24h = 0, events_last_7d = 0, events_last_30d = 0;
    bool operator==(const EventsStatistics&) const = default;
};

struct RelayStatistics {
    std::string relay_url;
    Network network = Network::clearnet;
    std::int64_t inserted_at = 0;
    std::uint64_t event_count = 0, unique_pubkeys = 0;
    std::optional<std::int64_t> first_event_timestamp, last_event_timestamp;
    std::optional<Decimal2> avg_rtt_open, avg_rtt_read, avg_rtt_write;
    bool operator==(const RelayStatistics&) const = default;
};

struct KindCount {
    std::uint16_t kind = 0;
    std::uint64_t event_count = 0, unique_pubkeys = 0;
    bool operator==(const KindCount&) const = default;
};

struct KindRelayCount {
    std::uint16_t kind = 0;
    std::string relay_url;
    std::uint64_t event_count = 0, unique_pubkeys = 0;
    bool operator==(const KindRelayCount&) const = default;
};

struct PubkeyCount {
    Bytes32 pubkey{};
    std::uint64_t event_count = 0, unique_kinds = 0;
    std::int64_t first_event_timestamp = 0, last_event_timestamp = 0;
    bool operator==(const PubkeyCount&) const = default;
};

struct PubkeyRelayCount {
    Bytes32 pubkey{};
    std::string relay_url;
    std::uint64_t event_count = 0, unique_kinds = 0;
    std::int64_t first_event_timestamp = 0, last_event_timestamp = 0;
    std::vector<std::uint16_t> kinds_used;  // sorted, distinct
    bool operator==(const PubkeyRelayCount&) const = default;
};

// Row counts of every table, for `brotr-dump stats`.
struct StoreSummary {
    StoreVariant variant = StoreVariant::bigbrotr;
    std::uint64_t events = 0, event_relays = 0, relays = 0, relay_metadata = 0;
    std::uint64_t nip11 = 0, nip66 = 0, service_states = 0;
    std::uint64_t changelog_head = 0;
};

// ---- changelog (for the exporter) --------------------------------------------

enum class ChangeTable : std::uint8_t {
    events = 1,
    events_relays = 2,
    relays = 3,
    nip11 = 4,
    nip66 = 5,
    relay_metadata = 6,
    service_state = 7,
};
std::string_view to_string(ChangeTable t);  // the PostgreSQL table name

// A new row (or, for service_state, a new version of the row). Entries are
// numbered from 1 without gaps; a row's dependencies (its relay, its event,
// its NIP-11/NIP-66 rows) always have smaller numbers.
struct ChangelogEntry {
    std::uint64_t seq = 0;
    ChangeTable table = ChangeTable::events;
    std::string row_key;  // opaque; pass the entry to fetch_row()
};

// A reader of the changelog that the store keeps entries for (docs/store-format.md,
// "changelog"): the running exporter of a node ("exporter:<node_id>"), the finder.
struct ChangelogConsumer {
    std::string name;
    std::uint64_t cursor = 0;     // every entry <= cursor is consumed
    std::int64_t updated_at = 0;  // when the cursor last moved (Unix time)
};

// How the changelog stands: entries trimmed_to+1 .. head are held.
struct ChangelogStatus {
    std::uint64_t head = 0;
    std::uint64_t trimmed_to = 0;
    std::vector<ChangelogConsumer> consumers;  // by name
    std::uint64_t entries() const { return head - trimmed_to; }
};

using ChangeRow = std::variant<Event, EventRelayRow, RelayRecord, Nip11Row, Nip66Row, RelayMetadataRow, ServiceState>;

// ---- integrity ---------------------------------------------------------------

struct CheckReport {
    std::uint64_t events = 0;
    std::uint64_t index_entries = 0;
    std::uint64_t counters = 0;
    std::vector<std::string> problems;  // empty when the store is consistent
    bool ok() const { return problems.empty(); }
};

// ---- the store ---------------------------------------------------------------

inline constexpr std::size_t kMaxStatisticsDays = 366;  // Store::events_per_day

struct MigrationReport;  // brotr/store_migrate.hpp

class Store {
public:
    // Creates the store at `path` (and its parent directories), or opens it if
    // it exists; fails if it exists with another variant. `created` (if given)
    // tells which happened. This is what `brotr init` does.
    static Store init(const std::string& path, StoreVariant variant, bool* created = nullptr);

    // Opens an existing store. Fails when there is none, when it is of the
    // wrong variant (options.expected_variant), of a newer major format
    // ("upgrade brotr"), or, for writing, of an older major format ("brotr
    // migrate").
    static Store open(const std::string& path, const StoreOptions& options = {});

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    StoreVariant variant() const;
    const std::string& path() const;
    // The store's format, major.minor (brotr/store_variant.hpp): a read-only
    // or secondary instance may hold an older major, a writer only the
    // current one (or an older one being migrated).
    std::uint32_t format_major() const;
    std::uint32_t format_minor() const;
    // See migrate_store() (brotr/store_migrate.hpp), which opens the store for it.
    MigrationReport migrate(const std::string& copy_path);

    // Secondary instances: read what the writer wrote since the last call.
    void catch_up();

    // ---- events ----
    // One atomic write for the whole batch. Relays of the items are registered
    // if new (network from the URL, inserted_at = seen_at).
    InsertResult insert_events(std::span<const EventWithRelay> items, const InsertOptions& options = {});
    // Deferred inserts (InsertOptions::defer): their bytes, and their commit.
    // Any other write, and closing the store, commits them first (by_size).
    std::size_t deferred_bytes() const;
    void commit_deferred(DeferredCommit how = DeferredCommit::by_size);

    std::optional<Event> get_event(const Bytes32& id) const;
    // Whether an event with this id is stored, and if so whether with this sig.
    enum class Presence : std::uint8_t { absent, same_sig, other_sig };
    std::vector<Presence> find_events(std::span<const Event> events) const;
    // The same, plus whether each stored event is linked to `relay_url` already
    // (what a bulk loader needs to drop pure duplicates before the writer).
    struct Lookup {
        Presence presence = Presence::absent;
        bool linked = false;
    };
    std::vector<Lookup> lookup_events(std::span<const EventIdentity> events, std::string_view relay_url = {}) const;
    std::vector<EventRelayRow> event_relays(const Bytes32& id) const;

    // Events matching the NIP-01 filter, newest first (same created_at:
    // insertion order), at most f.limit of them. A lilbrotr store cannot
    // answer tag conditions (it keeps no tags): StoreError.
    std::vector<Event> query_events(const Filter& f) const;
    // Streams matches newest first until `visit` returns false; no limit unless f.limit.
    void for_each_event(const Filter& f, const std::function<bool(const Event&)>& visit) const;
    // The same, bounded: after `max_entries` index entries (candidates, matching
    // or not) it stops at the next change of created_at, so each second it
    // visited is complete. Returns the created_at of the second it did not
    // reach (every newer match was visited; resume with until = that), or
    // nullopt when the scan ran to its end, to f.limit or to visit's false.
    std::optional<std::int64_t> for_each_event_bounded(const Filter& f, std::uint64_t max_entries,
                                                       const std::function<bool(const Event&)>& visit) const;

    // created_at of the newest event linked to the relay (synchronizer window start).
    std::optional<std::int64_t> newest_event_created_at(std::string_view relay_url) const;

    // ---- relays ----
    bool insert_relay(const RelayUrl& url, std::int64_t inserted_at);  // true when new
    std::size_t insert_relays(std::span<const RelayUrl> urls, std::int64_t inserted_at);  // new ones
    std::optional<RelayRecord> get_relay(std::string_view url) const;
    std::vector<RelayRecord> relays() const;

    // ---- metadata snapshots ----
    // Inserts the relay if needed, the NIP-11 / NIP-66 parts (content-addressed,
    // deduplicated) and the snapshot row; idempotent. True when the snapshot is new.
    // Throws StoreError for an invalid relay URL or metadata PostgreSQL would refuse.
    bool insert_relay_metadata(const RelayMetadata& m);
    std::optional<StoredSnapshot> latest_metadata(std::string_view relay_url) const;
    std::vector<StoredSnapshot> metadata_history(std::string_view relay_url, std::size_t limit = SIZE_MAX) const;
    std::vector<RelayLatest> relay_metadata_latest() const;

    // ---- service state ----
    // Throws StoreError when state_json is not valid JSON.
    void put_service_state(std::string_view service, std::string_view state_json, std::int64_t updated_at);
    std::optional<ServiceState> get_service_state(std::string_view service) const;
    std::vector<ServiceState> service_states() const;

    // ---- statistics, from counters maintained on every write ----
    EventsStatistics events_statistics(std::int64_t now) const;
    std::vector<RelayStatistics> relays_statistics() const;
    std::vector<KindCount> kind_counts_total() const;  // by event_count desc, then kind
    // Events per UTC day by created_at, oldest first: `days` days (at most
    // kMaxStatisticsDays) from day `first_day` (days since 1970-01-01, >= 0).
    // A day is 337.5 histogram buckets of 256 seconds: it costs at most 337
    // counters, plus the idx_created keys of the half bucket (128 seconds)
    // at whichever of its two midnights falls inside a bucket. No event is read.
    std::vector<std::uint64_t> events_per_day(std::int64_t first_day, std::size_t days) const;
    std::vector<KindRelayCount> kind_counts_by_relay() const;
    void for_each_pubkey_count(const std::function<bool(const PubkeyCount&)>& visit) const;
    void for_each_pubkey_relay_count(const std::function<bool(const PubkeyRelayCount&)>& visit) const;
    StoreSummary summary() const;

    // ---- changelog ----
    std::uint64_t changelog_head() const;  // seq of the newest entry, 0 when empty
    std::vector<ChangelogEntry> read_changelog(std::uint64_t after_seq, std::size_t max_entries) const;
    // The row an entry names; nullopt if it cannot be found (never for a consistent store).
    std::optional<ChangeRow> fetch_row(const ChangelogEntry& entry) const;
    // The rows of `table` whose keys sort after `after_key` ("" for the
    // first), at most max_rows, in key order, as entries numbered 0 for
    // fetch_row(): a full export reads every row through them, whatever the
    // changelog still holds.
    std::vector<ChangelogEntry> table_rows(ChangeTable table, const std::string& after_key,
                                           std::size_t max_rows) const;
    // Drops entries with seq <= up_to (the exporter confirmed them everywhere).
    void trim_changelog(std::uint64_t up_to);
    // A consumer's cursor, registered on first use. Not synced: after a
    // crash the store may hold an older cursor, which only delays trimming.
    // Throws std::invalid_argument for an empty name or one over 128 bytes.
    void set_changelog_consumer(const std::string& name, std::uint64_t cursor, std::int64_t now);
    // Registers `name` at `cursor` unless it is registered already, so that
    // a trim running before the consumer's first read keeps its entries;
    // returns the registered cursor.
    std::uint64_t reserve_changelog_consumer(const std::string& name, std::uint64_t cursor, std::int64_t now);
    bool drop_changelog_consumer(const std::string& name);  // false when none had that name
    ChangelogStatus changelog_status() const;
    // The retention policy, run by the `changelog` service: notes that the
    // head was reached at `now`, then drops the entries written more than
    // `retention` seconds before `now` (0: all) that every registered
    // consumer has read. Returns the new trimmed_to.
    std::uint64_t trim_changelog_by_policy(std::int64_t now, std::int64_t retention);

    // ---- maintenance ----
    // Full scan: every index entry points at a stored event with matching
    // fields, every event has its index entries, every counter equals a recount.
    CheckReport check() const;
    void compact();
    void flush();
    // What the store's files take now, summed over every column family
    // (RocksDB's live-sst-files-size and estimate-pending-compaction-bytes).
    struct DiskUsage {
        std::uint64_t sst_bytes = 0;
        std::uint64_t pending_compaction_bytes = 0;
    };
    DiskUsage disk_usage() const;

    class Impl;

private:
    friend struct StoreAccess;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace brotr
