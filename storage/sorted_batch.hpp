// The entries of one write, grouped by column family and appended to the
// RocksDB WriteBatch in key order. A memtable inserts ascending keys far
// faster than random ones (its skip list resumes from the previous insert),
// and the index entries of a batch of events are random in key space.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

#include "storage/key_layout.hpp"

namespace brotr::storage {

class SortedBatch {
public:
    // `unsorted`: column families whose memtable sorts on its own at flush
    // (a vector memtable), where sorting here would be wasted work.
    explicit SortedBatch(std::array<bool, kCfCount> unsorted = {}) : unsorted_(unsorted) {}

    void put(Cf cf, std::string_view key, std::string_view value) { add(cf, key, value, false); }
    void merge(Cf cf, std::string_view key, std::string_view value) { add(cf, key, value, true); }
    std::size_t count() const;

    // Appends every entry to `out`, column family by column family, each in
    // key order (entries with equal keys keep their order), except in the
    // unsorted column families, where they keep the order they were added in.
    void write_to(rocksdb::WriteBatch& out, const std::array<rocksdb::ColumnFamilyHandle*, kCfCount>& cfs);

    // Calls f(key, value, is_merge) for each entry of `cf`, in the order added.
    template <class F>
    void for_each(Cf cf, F&& f) const {
        const std::string& bytes = bytes_[static_cast<std::size_t>(cf)];
        for (const auto& e : entries_[static_cast<std::size_t>(cf)])
            f(std::string_view(bytes.data() + e.key_at, e.key_size), std::string_view(bytes.data() + e.value_at, e.value_size),
              e.merge);
    }
    std::size_t count(Cf cf) const { return entries_[static_cast<std::size_t>(cf)].size(); }

    // How many bytes and entries each column family holds. Batches of one
    // writer are alike: reserving what the last one held spares growing
    // each buffer by doubling, which copies it over and over.
    struct Shape {
        std::array<std::size_t, kCfCount> bytes{}, entries{};
    };
    Shape shape() const;
    void reserve(const Shape& shape);
    std::size_t bytes(Cf cf) const { return bytes_[static_cast<std::size_t>(cf)].size(); }  // of keys and values

private:
    struct Entry {
        std::uint32_t key_at, key_size, value_at, value_size;
        bool merge;
    };
    void add(Cf cf, std::string_view key, std::string_view value, bool merge);

    std::array<bool, kCfCount> unsorted_;
    std::array<std::string, kCfCount> bytes_;
    std::array<std::vector<Entry>, kCfCount> entries_;
};

}  // namespace brotr::storage
