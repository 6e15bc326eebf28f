// The value of a counter in the `counters` column family, and the RocksDB
// merge operator that combines them, so that a writer adds to a counter with
// one blind Merge instead of a read-modify-write.
//
//   varint(count) varint(distinct) [ zigzag-varint(min) varint(max - min) ]
//
// `count` counts rows (events, links), `distinct` counts first sightings of
// something (authors, kinds), min/max track created_at when present.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace rocksdb {
class MergeOperator;
}

namespace brotr::storage {

struct CounterRecord {
    std::uint64_t count = 0;
    std::uint64_t distinct = 0;
    bool has_range = false;
    std::int64_t min = 0;
    std::int64_t max = 0;

    void add_time(std::int64_t t) {
        if (!has_range) {
            has_range = true;
            min = max = t;
        } else {
            if (t < min) min = t;
            if (t > max) max = t;
        }
    }
    void add(const CounterRecord& o) {
        count += o.count;
        distinct += o.distinct;
        if (o.has_range) {
            add_time(o.min);
            add_time(o.max);
        }
    }
    bool operator==(const CounterRecord&) const = default;

    std::string encode() const;
    // nullopt when the bytes are not a record. The empty string is a zero record.
    static std::optional<CounterRecord> decode(std::string_view in);
};

std::shared_ptr<rocksdb::MergeOperator> make_counter_merge_operator();

}  // namespace brotr::storage
