// RocksDB options of the store: one tuned ColumnFamilyOptions per column
// family (compression, bloom filters for point lookups, prefix extractors
// for the scanned ones) and the database-wide options.
#pragma once

#include <memory>

#include <rocksdb/options.h>

#include "storage/key_layout.hpp"

namespace brotr::storage {

struct StoreTuning {
    std::shared_ptr<rocksdb::Cache> block_cache;
    std::shared_ptr<rocksdb::MergeOperator> counter_merge;
    // One long stream of inserts and no queries (StoreOptions::bulk_load).
    bool bulk_load = false;
};

StoreTuning make_tuning(std::size_t block_cache_bytes, bool bulk_load);
rocksdb::ColumnFamilyOptions column_family_options(Cf cf, const StoreTuning& tuning);
rocksdb::DBOptions database_options(const StoreTuning& tuning);

// Whether the column family's memtable is an unsorted vector: in bulk loads,
// for the ones the writer only appends to and never reads while inserting
// events (the query indexes, relay_events, changelog).
bool vector_memtable(Cf cf, const StoreTuning& tuning);

}  // namespace brotr::storage
