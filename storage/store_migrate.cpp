#include "brotr/store_migrate.hpp"

#include <rocksdb/utilities/checkpoint.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <memory>

#include "storage/store_impl.hpp"

namespace brotr {

using storage::Cf;

namespace {

// 1 -> 2: event_ids values gain the digest of the event's sig beside the serial.
std::uint64_t add_sig_digests(Store::Impl& s) {
    constexpr std::size_t kBatch = 10000;
    std::uint64_t rewritten = 0;
    rocksdb::WriteBatch batch;
    for (Scan scan(s, Cf::event_ids, {}); scan.valid(); scan.next()) {
        if (scan.value().size() == storage::kEventIdsValueSize) continue;  // done by a run cut short
        if (scan.value().size() != storage::kSerialSize)
            throw StoreError("store " + s.path + ": corrupt event_ids entry (" + std::to_string(scan.value().size()) +
                             " bytes)");
        const std::uint64_t serial = storage::get_be64(scan.value().data());
        const auto event = s.event_by_serial(serial);
        if (!event) throw StoreError("store " + s.path + ": event_ids names serial " + std::to_string(serial) +
                                     ", which events does not hold");
        batch.Put(s.cf(Cf::event_ids), std::string(scan.key()), storage::event_ids_value(serial, event->sig));
        if (++rewritten % kBatch == 0) {
            s.write(batch, false);
            batch.Clear();
        }
    }
    if (batch.Count() > 0) s.write(batch, false);
    return rewritten;
}

}  // namespace

MigrationReport Store::migrate(const std::string& copy_path) {
    Impl& s = *impl_;
    s.require_writable();
    MigrationReport report;
    report.from_major = s.format_major;
    report.from_minor = s.format_minor;
    report.to_major = storage::kFormatVersion;
    report.to_minor = kStoreFormatMinor;
    if (s.format_major == storage::kFormatVersion) return report;  // the open noted a newer minor already
    report.needed = true;

    if (std::filesystem::exists(copy_path))
        throw StoreError("the copy's path " + copy_path + " exists already: name another one, or remove it");
    rocksdb::Checkpoint* raw = nullptr;
    s.check(rocksdb::Checkpoint::Create(&s.db(), &raw), "checkpoint");
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    s.check(checkpoint->CreateCheckpoint(copy_path), "copy the store to " + copy_path);
    report.copy_path = copy_path;

    if (s.format_major == 1) report.rewritten += add_sig_digests(s);

    rocksdb::WriteBatch done;
    done.Put(s.cf(Cf::meta), std::string(kMetaFormatVersion), std::to_string(storage::kFormatVersion));
    done.Put(s.cf(Cf::meta), std::string(kMetaFormatMinor), std::to_string(kStoreFormatMinor));
    s.write(done, true);
    s.format_major = storage::kFormatVersion;
    s.format_minor = kStoreFormatMinor;
    return report;
}

MigrationReport migrate_store(const std::string& path, const std::string& copy_path) {
    StoreOptions options;
    options.allow_older_format = true;
    Store store = Store::open(path, options);
    return store.migrate(copy_path);
}

}  // namespace brotr
