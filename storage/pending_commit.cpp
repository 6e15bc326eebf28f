// Deferred inserts (InsertOptions::defer): what the writer reads meanwhile,
// and their commit, through the log or as ingested SST files.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include <rocksdb/options.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include "storage/store_impl.hpp"

namespace fs = std::filesystem;

namespace brotr {

using storage::Cf;

std::string Store::Impl::ingest_dir() const { return (fs::path(path) / "ingest").string(); }

std::vector<std::optional<std::string>> Store::Impl::writer_get(Cf c, const std::vector<std::string>& keys) const {
    const std::vector<std::string_view> views(keys.begin(), keys.end());
    return writer_get(c, views);
}

std::vector<std::optional<std::string>> Store::Impl::writer_get(Cf c, std::span<const std::string_view> keys) const {
    if (pending.empty()) return multi_get(c, keys);
    std::vector<std::optional<std::string>> out(keys.size());
    std::vector<std::string_view> rest;
    std::vector<std::size_t> rest_at;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (auto v = pending.find(c, keys[i])) {
            out[i] = std::string(*v);
        } else {
            rest.push_back(keys[i]);
            rest_at.push_back(i);
        }
    }
    auto stored = multi_get(c, rest);
    for (std::size_t j = 0; j < rest.size(); ++j) out[rest_at[j]] = std::move(stored[j]);
    return out;
}

void Store::Impl::commit_pending(DeferredCommit how) {
    if (pending.empty() && pending_counts.empty()) return;
    try {
        if (!pending_counts.empty()) {
            storage::SortedBatch counts = new_batch();
            pending_counts.write_to(counts);
            pending_counts.clear();
            pending.add(std::move(counts));
        }
        const bool as_files = how == DeferredCommit::as_files ||
                              (how == DeferredCommit::by_size && pending.bytes() >= kMinIngestBytes);
        if (as_files) {
            ingest_pending();
        } else {
            rocksdb::WriteBatch batch;
            for (const auto& b : pending.batches()) b->write_to(batch, cfs_);
            rocksdb::WriteOptions wo;
            wo.sync = true;
            check(db_->Write(wo, &batch), "write");
        }
    } catch (...) {
        // Nothing of it is stored: what the writer remembers of it is wrong.
        discard_pending();
        throw;
    }
    pending.clear();
    forget_known_if_large();
}

void Store::Impl::discard_pending() {
    pending.clear();
    pending_counts.clear();
    known_counters.clear();
    known_relays.clear();
    load_writer_state();
}

void Store::Impl::ingest_pending() {
    const fs::path dir = ingest_dir();
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    if (ec) throw StoreError("cannot create " + dir.string() + ": " + ec.message());

    // One file per column family, built in parallel (the largest first):
    // at the end of an import the verifying threads have nothing else to do.
    std::vector<Cf> families;
    for (std::size_t i = 0; i < storage::kCfCount; ++i)
        if (pending.count(static_cast<Cf>(i)) > 0) families.push_back(static_cast<Cf>(i));
    std::sort(families.begin(), families.end(), [&](Cf a, Cf b) { return pending.bytes(a) > pending.bytes(b); });
    const rocksdb::DBOptions db_options = storage::database_options(tuning_);
    std::vector<std::string> files(families.size()), errors(families.size());
    verify_pool().parallel_for(families.size(), [&](std::size_t j) {
        try {
            files[j] = (dir / (std::string(storage::cf_name(families[j])) + ".sst")).string();
            write_sst_file(families[j], db_options, files[j]);
        } catch (const std::exception& e) {
            errors[j] = e.what();
        }
    });
    for (const auto& error : errors)
        if (!error.empty()) throw StoreError(error);
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (std::size_t j = 0; j < families.size(); ++j) {
        rocksdb::IngestExternalFileArg arg;
        arg.column_family = cf(families[j]);
        arg.external_files = {files[j]};
        arg.options.move_files = true;
        // The sequence number goes into the MANIFEST only: no rewrite of the file.
        arg.options.write_global_seqno = false;
        args.push_back(std::move(arg));
    }
    // One atomic step for all column families.
    check(db_->IngestExternalFiles(args), "ingest");
    fs::remove_all(dir, ec);
}

void Store::Impl::write_sst_file(Cf c, const rocksdb::DBOptions& db_options, const std::string& file) const {
    std::deque<std::string> combined;
    const auto entries = pending.sorted(c, combined);
    rocksdb::Options o(db_options, storage::column_family_options(c, tuning_));
    // SstFileWriter compresses with the bottom level's settings when there
    // are any. Every file gets LZ4: zstd, even at its fastest level, costs
    // more CPU than anything else in a commit but the sort. Files bound for
    // the bottom level (events, changelog) stay as written until a full
    // compaction (`brotr compact`) recompresses them with zstd.
    o.bottommost_compression = rocksdb::kDisableCompressionOption;
    // Keep the pages written: the files are moved into the store as they
    // are, and an import reads some of them back (links, counters).
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), o, cf(c), /*invalidate_page_cache=*/false);
    const std::string what = "write " + file;
    check(writer.Open(file), what);
    // The entries are read in key order, but lie (with their bytes) in
    // insertion order: without fetching ahead, each entry and each key is a
    // cache miss. Entries are fetched twice as far ahead as the bytes they
    // point to, so that those pointers are at hand when needed.
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i + 2 * kAhead < entries.size()) __builtin_prefetch(&entries[i + 2 * kAhead]);
        if (i + kAhead < entries.size()) {
            __builtin_prefetch(entries[i + kAhead].key.data());
            __builtin_prefetch(entries[i + kAhead].value.data());
        }
        const auto& e = entries[i];
        const rocksdb::Slice k(e.key.data(), e.key.size()), v(e.value.data(), e.value.size());
        check(e.merge ? writer.Merge(k, v) : writer.Put(k, v), what);
    }
    check(writer.Finish(), what);
}

std::size_t Store::deferred_bytes() const {
    std::lock_guard lock(impl_->write_mutex);
    return impl_->pending.bytes();
}

void Store::commit_deferred(DeferredCommit how) {
    impl_->require_writable();
    std::lock_guard lock(impl_->write_mutex);
    impl_->commit_pending(how);
}

}  // namespace brotr
