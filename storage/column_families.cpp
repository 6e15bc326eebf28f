#include "storage/column_families.hpp"

#include <thread>

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "storage/counter_record.hpp"

namespace brotr::storage {

namespace {

// The relay URL (with its 0x00 terminator) at the front of relay_events and
// relay_metadata keys: per-relay scans seek within it.
class RelayUrlPrefix final : public rocksdb::SliceTransform {
public:
    const char* Name() const override { return "brotr.RelayUrlPrefix"; }
    rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
        const void* nul = std::memchr(key.data(), kUrlTerminator, key.size());
        return rocksdb::Slice(key.data(), static_cast<const char*>(nul) - key.data() + 1);
    }
    bool InDomain(const rocksdb::Slice& key) const override {
        return std::memchr(key.data(), kUrlTerminator, key.size()) != nullptr;
    }
};

struct Shape {
    bool bloom = false;                       // SST filters: point lookups, or prefix seeks
    bool memtable_bloom = false;              // also in the memtable (point lookups during writes)
    const rocksdb::SliceTransform* prefix = nullptr;  // scans within a prefix
    std::size_t block_size = 8 << 10;
    bool dictionary = false;                  // zstd dictionary for many small similar values
};

Shape shape_of(Cf cf) {
    Shape s;
    switch (cf) {
        case Cf::event_ids:  // dedup lookups, mostly of absent ids when archiving
        case Cf::relays:
        case Cf::nip11:
        case Cf::nip66:
        case Cf::service_state:
        case Cf::meta:
        case Cf::counters:   // existence checks of counters on every insert
            s.bloom = true;
            s.memtable_bloom = cf == Cf::event_ids || cf == Cf::counters;
            s.block_size = 4 << 10;
            break;
        case Cf::events:  // looked up by serial, which is always present
            s.block_size = 32 << 10;
            s.dictionary = true;
            break;
        case Cf::event_relays:
            s.bloom = true;
            s.memtable_bloom = true;
            s.prefix = rocksdb::NewFixedPrefixTransform(kSerialSize);
            break;
        case Cf::relay_events:
        case Cf::relay_metadata:
            s.prefix = new RelayUrlPrefix();
            break;
        // The query indexes are only ever scanned, from a prefix, in total
        // order (bounded by iterate_upper_bound), which never consults a
        // bloom filter: building filters for them at every flush and
        // compaction would be work and space for nothing.
        case Cf::idx_kind:
            s.prefix = rocksdb::NewFixedPrefixTransform(2);
            break;
        case Cf::idx_pubkey:
            s.prefix = rocksdb::NewFixedPrefixTransform(kPubkeyPrefixSize);
            break;
        case Cf::idx_tag:
            s.prefix = rocksdb::NewFixedPrefixTransform(1 + 8);
            break;
        case Cf::idx_created:
        case Cf::changelog:
            s.block_size = 16 << 10;
            break;
    }
    return s;
}

}  // namespace

StoreTuning make_tuning(std::size_t block_cache_bytes, bool bulk_load) {
    StoreTuning t;
    t.block_cache = rocksdb::NewLRUCache(block_cache_bytes);
    t.counter_merge = make_counter_merge_operator();
    t.bulk_load = bulk_load;
    return t;
}

bool vector_memtable(Cf cf, const StoreTuning& tuning) {
    if (!tuning.bulk_load) return false;
    switch (cf) {
        case Cf::idx_created:
        case Cf::idx_kind:
        case Cf::idx_pubkey:
        case Cf::idx_tag:
        case Cf::relay_events:
        case Cf::changelog:
            return true;
        default:
            return false;
    }
}

rocksdb::ColumnFamilyOptions column_family_options(Cf cf, const StoreTuning& tuning) {
    Shape shape = shape_of(cf);
    rocksdb::ColumnFamilyOptions o;
    // Flushes and the upper levels use LZ4, which costs a fraction of zstd's
    // CPU (data there is rewritten soon anyway); the bottom level, where
    // nearly all of a store ends up, is zstd.
    o.compression = rocksdb::kLZ4Compression;
    o.bottommost_compression = rocksdb::kZSTD;
    if (shape.dictionary) {
        o.bottommost_compression_opts.enabled = true;
        o.bottommost_compression_opts.max_dict_bytes = 16 << 10;
        o.bottommost_compression_opts.zstd_max_train_bytes = 100 * (16 << 10);
    }
    o.level_compaction_dynamic_level_bytes = true;
    // Small memtables: inserting into a skip list that fits in the CPU caches
    // is much cheaper, and flushing sorted runs costs little.
    o.write_buffer_size = cf == Cf::events ? (32 << 20) : (8 << 20);

    rocksdb::BlockBasedTableOptions table;
    table.block_cache = tuning.block_cache;
    table.block_size = shape.block_size;
    table.cache_index_and_filter_blocks = true;
    table.pin_l0_filter_and_index_blocks_in_cache = true;
    // Index and filter in partitions of metadata_block_size, found through a
    // small top level kept pinned: a whole filter or index of a large file
    // (1.2 MB of filter per million keys) is bigger than one shard of the
    // block cache, so it never stayed cached, and every point lookup read and
    // parsed it again (measured: 120 us per get_event on a compacted store
    // of 1M events). Partitions are cached like data blocks.
    table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
    table.partition_filters = shape.bloom;
    table.metadata_block_size = 4096;
    table.pin_top_level_index_and_filter = true;
    table.cache_index_and_filter_blocks_with_high_priority = true;
    table.format_version = 5;
    // Debian builds RocksDB for any x86-64, so CRC32C runs without the CPU's
    // instruction for it; XXH3 is much cheaper in software.
    table.checksum = rocksdb::kXXH3;
    if (shape.bloom) {
        table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
        table.whole_key_filtering = true;
    }
    if (shape.memtable_bloom) {
        o.memtable_prefix_bloom_size_ratio = 0.02;
        o.memtable_whole_key_filtering = true;
    }
    if (shape.prefix != nullptr) o.prefix_extractor.reset(shape.prefix);
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

    if (cf == Cf::counters) o.merge_operator = tuning.counter_merge;
    // A bulk load appends to these in arbitrary key order and never reads
    // them: an unsorted vector that is sorted once, when flushed, costs far
    // less per entry than a skip list kept sorted on every insert. (A read of
    // such a memtable sorts a copy of it, so this is only for bulk loads.)
    if (vector_memtable(cf, tuning)) o.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    return o;
}

rocksdb::DBOptions database_options(const StoreTuning& tuning) {
    rocksdb::DBOptions o;
    // Vector memtables take one writer at a time; the store writes under its
    // own lock anyway.
    if (tuning.bulk_load) o.allow_concurrent_memtable_write = false;
    o.max_background_jobs = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
    o.bytes_per_sync = 1 << 20;
    // Secondary instances need every file to stay openable.
    o.max_open_files = -1;
    o.keep_log_file_num = 5;
    // Bounds the log a reader opening beside the writer replays: when the
    // logs grow past this, the column families holding the oldest get flushed.
    o.max_total_wal_size = 64 << 20;
    return o;
}

}  // namespace brotr::storage
