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
};

StoreTuning make_tuning(std::size_t block_cache_bytes);
rocksdb::ColumnFamilyOptions column_family_options(Cf cf, const StoreTuning& tuning);
rocksdb::DBOptions database_options();

}  // namespace brotr::storage
