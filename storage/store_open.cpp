// Creating and opening a store: column families, the variant and format
// version in `meta`, read-only and secondary instances.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <rocksdb/write_batch.h>

#include "storage/store_impl.hpp"

namespace fs = std::filesystem;

namespace brotr {

using storage::Cf;
using storage::kCfCount;

Store::Impl::Impl(std::string p, StoreOptions o)
    : path(std::move(p)), options(o), tuning_(storage::make_tuning(o.block_cache_bytes, o.bulk_load)) {}

Store::Impl::~Impl() {
    if (db_ && ready_ && options.mode == OpenMode::read_write) {
        // Deferred inserts were accepted: store them. (A failure leaves the
        // store as it was before them.)
        try {
            commit_pending(DeferredCommit::by_size);
        } catch (const std::exception&) {
        }
        // Without this the memtables stay only in the write-ahead log, and
        // every reader that opens the store next replays all of it.
        rocksdb::FlushOptions fo;
        std::vector<rocksdb::ColumnFamilyHandle*> handles(cfs_.begin(), cfs_.end());
        db_->Flush(fo, handles).PermitUncheckedError();
    }
    if (db_) {
        for (auto* h : all_handles_) db_->DestroyColumnFamilyHandle(h);
        db_->Close();
        db_.reset();
    }
    if (!secondary_dir_.empty()) {
        std::error_code ec;
        fs::remove_all(secondary_dir_, ec);
    }
}

void Store::Impl::missing_cf(Cf c) const {
    throw StoreError("store " + path + " was opened for statistics only; this needs its " +
                     std::string(storage::cf_name(c)) + " column family");
}

void Store::Impl::check(const rocksdb::Status& s, std::string_view what) const {
    if (!s.ok()) throw StoreError("store " + path + ": " + std::string(what) + ": " + s.ToString());
}

void Store::Impl::require_writable() const {
    if (options.mode != OpenMode::read_write)
        throw StoreError("store " + path + " is open read-only; writes need the writing process");
}

bool Store::Impl::get(Cf c, std::string_view key, std::string* value, const rocksdb::Snapshot* snapshot) const {
    std::string unused;
    if (value == nullptr) value = &unused;
    rocksdb::ReadOptions ro;
    ro.snapshot = snapshot;
    auto s = db_->Get(ro, cf(c), rocksdb::Slice(key.data(), key.size()), value);
    if (s.IsNotFound()) return false;
    check(s, "read from " + std::string(storage::cf_name(c)));
    return true;
}

std::unique_ptr<rocksdb::Iterator> Store::Impl::iterator(Cf c, bool total_order) const {
    rocksdb::ReadOptions ro;
    ro.total_order_seek = total_order;
    return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(ro, cf(c)));
}

Scan::Scan(const Store::Impl& store, Cf c, std::string lower, std::string upper, const rocksdb::Snapshot* snapshot)
    : store_(store), lower_(std::move(lower)), upper_(std::move(upper)) {
    ro_.total_order_seek = true;
    ro_.snapshot = snapshot;
    if (!upper_.empty()) {
        upper_slice_ = rocksdb::Slice(upper_);
        ro_.iterate_upper_bound = &upper_slice_;
    }
    it_.reset(store.db().NewIterator(ro_, store.cf(c)));
    it_->Seek(lower_);
}

bool Scan::valid() const {
    if (it_->Valid()) return true;
    store_.check(it_->status(), "scan");
    return false;
}

std::string prefix_successor(std::string prefix) {
    while (!prefix.empty()) {
        auto& last = prefix.back();
        if (static_cast<unsigned char>(last) != 0xff) {
            last = static_cast<char>(static_cast<unsigned char>(last) + 1);
            return prefix;
        }
        prefix.pop_back();
    }
    return prefix;
}

void Store::Impl::write(rocksdb::WriteBatch& batch, bool sync) {
    commit_pending(DeferredCommit::by_size);
    rocksdb::WriteOptions wo;
    wo.sync = sync;
    check(db_->Write(wo, &batch), "write");
}

storage::SortedBatch Store::Impl::new_batch() const {
    std::array<bool, kCfCount> unsorted{};
    for (std::size_t i = 0; i < kCfCount; ++i) unsorted[i] = storage::vector_memtable(static_cast<Cf>(i), tuning_);
    return storage::SortedBatch(unsorted);
}

storage::WorkerPool& Store::Impl::verify_pool() {
    std::lock_guard lock(pool_mutex);
    if (!pool) pool = std::make_unique<storage::WorkerPool>(options.verify_threads);
    return *pool;
}

void Store::Impl::forget_known_if_large() {
    constexpr std::size_t kMaxKnown = 1u << 20;
    // Deferred counts rely on the known counters (and point into them).
    if (!pending_counts.empty()) return;
    if (known_counters.size() > kMaxKnown) known_counters.clear();
    if (known_relays.size() > kMaxKnown) known_relays.clear();
}

namespace {

// A changelog value: table(1) · row key.
std::string changelog_value(ChangeTable table, std::string_view row_key) {
    std::string value(1, static_cast<char>(table));
    value.append(row_key);
    return value;
}

}  // namespace

void Store::Impl::append_changelog(rocksdb::WriteBatch& batch, ChangeTable table, std::string_view row_key,
                                   std::uint64_t& seq) {
    batch.Put(cf(Cf::changelog), storage::serial_key(seq++), changelog_value(table, row_key));
}

void Store::Impl::append_changelog(storage::SortedBatch& batch, ChangeTable table, std::string_view row_key,
                                   std::uint64_t& seq) {
    batch.put(Cf::changelog, storage::serial_key(seq++), changelog_value(table, row_key));
}

std::optional<std::uint64_t> Store::Impl::serial_of(const Bytes32& id) const {
    std::string v;
    if (!get(Cf::event_ids, storage::id_key(id), &v)) return std::nullopt;
    if (v.size() != event_ids_value_size()) throw StoreError("store " + path + ": corrupt event_ids entry");
    return storage::get_be64(v.data());
}

void Store::Impl::load_writer_state() {
    auto last_key = [&](Cf c) -> std::uint64_t {
        auto it = iterator(c, true);
        it->SeekToLast();
        check(it->status(), "scan " + std::string(storage::cf_name(c)));
        if (!it->Valid() || it->key().size() != 8) return 0;
        return storage::get_be64(it->key().data());
    };
    next_serial = last_key(Cf::events) + 1;
    // Author, kind and relay-author counter rows come only with events, and
    // events are never deleted: a store without events has none of them.
    if (next_serial == 1) known_counters.complete = true;
    std::uint64_t head = last_key(Cf::changelog);
    std::string trimmed;
    if (get(Cf::meta, kMetaChangelogTrimmed, &trimmed)) head = std::max<std::uint64_t>(head, std::stoull(trimmed));
    next_seq = head + 1;
}

void Store::Impl::open(std::optional<StoreVariant> create_variant) {
    if (options.bulk_load && options.mode != OpenMode::read_write)
        throw StoreError("bulk_load is for the writing instance");
    rocksdb::DBOptions dbo = storage::database_options(tuning_);
    std::vector<std::string> names;
    if (create_variant) {
        dbo.create_if_missing = true;
        dbo.create_missing_column_families = true;
        std::error_code ec;
        fs::create_directories(path, ec);
        if (ec) throw StoreError("cannot create store directory " + path + ": " + ec.message());
        names.push_back(rocksdb::kDefaultColumnFamilyName);
        for (std::size_t i = 0; i < kCfCount; ++i) names.emplace_back(storage::cf_name(static_cast<Cf>(i)));
    } else {
        if (!fs::exists(fs::path(path) / "CURRENT"))
            throw StoreError("no brotr store at " + path + " (create one with `brotr init`)");
        auto s = rocksdb::DB::ListColumnFamilies(dbo, path, &names);
        check(s, "list column families");
        if (std::find(names.begin(), names.end(), "meta") == names.end())
            throw StoreError(path + " is not a brotr store (it has no meta column family)");
    }

    if (options.statistics_only) {
        if (options.mode == OpenMode::read_write) throw StoreError("statistics_only is for read-only and secondary instances");
        const std::vector<std::string> wanted = {rocksdb::kDefaultColumnFamilyName, "meta", "counters", "idx_created",
                                                 "changelog"};
        std::erase_if(names, [&](const std::string& n) { return std::find(wanted.begin(), wanted.end(), n) == wanted.end(); });
    }
    std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
    for (const auto& name : names) {
        rocksdb::ColumnFamilyOptions o;
        for (std::size_t i = 0; i < kCfCount; ++i)
            if (name == storage::cf_name(static_cast<Cf>(i))) o = storage::column_family_options(static_cast<Cf>(i), tuning_);
        descriptors.emplace_back(name, o);
    }

    if (options.mode == OpenMode::read_write) {
        // SST files of a commit that a crash interrupted before ingestion.
        std::error_code ec;
        fs::remove_all(ingest_dir(), ec);
    }
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s;
    switch (options.mode) {
        case OpenMode::read_write:
            s = rocksdb::DB::Open(dbo, path, descriptors, &all_handles_, &raw);
            break;
        case OpenMode::read_only:
            s = rocksdb::DB::OpenForReadOnly(dbo, path, descriptors, &all_handles_, &raw);
            break;
        case OpenMode::secondary: {
            std::string tmpl = (fs::temp_directory_path() / "brotr-secondary-XXXXXX").string();
            if (::mkdtemp(tmpl.data()) == nullptr)
                throw StoreError("cannot create a directory for a secondary instance in " +
                                 fs::temp_directory_path().string());
            secondary_dir_ = tmpl;
            s = rocksdb::DB::OpenAsSecondary(dbo, path, secondary_dir_, descriptors, &all_handles_, &raw);
            break;
        }
    }
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
        throw StoreBusyError("store " + path + " is already open for writing by another process (" + s.ToString() +
                         "); read it with brotr-dump, or stop that process");
    check(s, "open");
    db_.reset(raw);

    for (std::size_t i = 0; i < kCfCount; ++i) {
        auto name = storage::cf_name(static_cast<Cf>(i));
        for (std::size_t j = 0; j < names.size(); ++j)
            if (names[j] == name) cfs_[i] = all_handles_[j];
        if (cfs_[i] == nullptr && !options.statistics_only)
            throw StoreError("store " + path + " has no column family '" + std::string(name) +
                             "'; it is not a brotr store");
    }

    if (create_variant) {
        std::string existing;
        if (!get(Cf::meta, kMetaVariant, &existing)) {
            rocksdb::WriteBatch batch;
            batch.Put(cf(Cf::meta), std::string(kMetaVariant), std::string(to_string(*create_variant)));
            batch.Put(cf(Cf::meta), std::string(kMetaFormatVersion), std::to_string(storage::kFormatVersion));
            batch.Put(cf(Cf::meta), std::string(kMetaFormatMinor), std::to_string(kStoreFormatMinor));
            write(batch, true);
        }
    }

    std::string version, variant_text;
    if (!get(Cf::meta, kMetaFormatVersion, &version) || !get(Cf::meta, kMetaVariant, &variant_text))
        throw StoreError(path + " is not a brotr store (its meta has no variant or format version)");
    check_format(version, options.mode == OpenMode::read_write, options.allow_older_format);
    auto v = store_variant_from_string(variant_text);
    if (!v) throw StoreError("store " + path + " has unknown variant '" + variant_text + "'; expected bigbrotr or lilbrotr");
    variant = *v;
    auto expected = create_variant ? create_variant : options.expected_variant;
    if (expected && *expected != variant)
        throw StoreError("store " + path + " is a " + std::string(to_string(variant)) + " store, but " +
                         std::string(to_string(*expected)) + " was expected");
    if (options.mode == OpenMode::read_write) load_writer_state();
    ready_ = true;
}

namespace {

std::optional<std::uint32_t> parse_format_number(const std::string& text) {
    if (text.empty() || text.size() > 9 || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    return static_cast<std::uint32_t>(std::stoul(text));
}

}  // namespace

void Store::Impl::check_format(const std::string& major_text, bool writing, bool allow_older) {
    const std::string current = std::to_string(storage::kFormatVersion) + "." + std::to_string(kStoreFormatMinor);
    const auto major = parse_format_number(major_text);
    if (!major) throw StoreError("store " + path + " has an unreadable format version '" + major_text + "'");
    std::string minor_text;
    std::optional<std::uint32_t> minor = 0;
    if (get(Cf::meta, kMetaFormatMinor, &minor_text)) minor = parse_format_number(minor_text);
    if (!minor) throw StoreError("store " + path + " has an unreadable format minor version '" + minor_text + "'");
    const std::string found = std::to_string(*major) + "." + std::to_string(*minor);
    if (*major > storage::kFormatVersion)
        throw StoreError("store " + path + " has format " + found + ", newer than this brotr's " + current +
                         ": upgrade brotr to open it");
    if (*major < kOldestMigratableFormat)
        throw StoreError("store " + path + " has format " + found + ", which this brotr (format " + current +
                         ") can neither read nor migrate");
    if (*major < storage::kFormatVersion && writing && !allow_older)
        throw StoreError("store " + path + " has format " + found + ", older than this brotr's " + current +
                         ": run `brotr migrate --store " + path +
                         "` to convert it (it keeps a copy of the store first); read-only commands read it as it is");
    format_major = *major;
    format_minor = *minor;
    // A writer of a newer minor may add what the minor brings: say so.
    if (writing && format_major == storage::kFormatVersion && format_minor < kStoreFormatMinor) {
        rocksdb::WriteBatch batch;
        batch.Put(cf(Cf::meta), std::string(kMetaFormatMinor), std::to_string(kStoreFormatMinor));
        write(batch, true);
        format_minor = kStoreFormatMinor;
    }
}

// ---- Store ----------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::init(const std::string& path, StoreVariant variant, bool* created) {
    bool exists = fs::exists(fs::path(path) / "CURRENT");
    StoreOptions o;
    o.expected_variant = variant;
    auto impl = std::make_unique<Impl>(path, o);
    impl->open(exists ? std::nullopt : std::optional<StoreVariant>(variant));
    if (created) *created = !exists;
    return Store(std::move(impl));
}

Store Store::open(const std::string& path, const StoreOptions& options) {
    auto impl = std::make_unique<Impl>(path, options);
    impl->open(std::nullopt);
    return Store(std::move(impl));
}

StoreVariant Store::variant() const { return impl_->variant; }
std::uint32_t Store::format_major() const { return impl_->format_major; }
std::uint32_t Store::format_minor() const { return impl_->format_minor; }
const std::string& Store::path() const { return impl_->path; }

void Store::catch_up() {
    if (impl_->options.mode != OpenMode::secondary) return;
    impl_->check(impl_->db().TryCatchUpWithPrimary(), "catch up with the writer");
}

void Store::flush() {
    impl_->require_writable();
    rocksdb::FlushOptions fo;
    for (std::size_t i = 0; i < kCfCount; ++i)
        impl_->check(impl_->db().Flush(fo, impl_->cf(static_cast<Cf>(i))), "flush");
}

void Store::compact() {
    impl_->require_writable();
    flush();
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    for (std::size_t i = 0; i < kCfCount; ++i)
        impl_->check(impl_->db().CompactRange(co, impl_->cf(static_cast<Cf>(i)), nullptr, nullptr), "compact");
}

Store::DiskUsage Store::disk_usage() const {
    DiskUsage usage;
    for (std::size_t i = 0; i < kCfCount; ++i) {
        std::uint64_t v = 0;
        if (impl_->db().GetIntProperty(impl_->cf(static_cast<Cf>(i)), "rocksdb.live-sst-files-size", &v)) usage.sst_bytes += v;
        if (impl_->db().GetIntProperty(impl_->cf(static_cast<Cf>(i)), "rocksdb.estimate-pending-compaction-bytes", &v))
            usage.pending_compaction_bytes += v;
    }
    return usage;
}

}  // namespace brotr
