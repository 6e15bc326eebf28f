// Sorting keys in RocksDB's bytewise order, cheaply: for SST files built in
// memory and for batched point reads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace brotr::storage {

// Keys to sort, read in place: the string_view member of each record of an
// array, so that sorting records by key needs no copy of the views.
class KeyColumn {
public:
    KeyColumn(std::span<const std::string_view> keys)  // NOLINT: a plain array of keys is a column
        : first_(reinterpret_cast<const std::byte*>(keys.data())), stride_(sizeof(std::string_view)), size_(keys.size()) {}
    template <class Record>
    static KeyColumn of(std::span<const Record> records, std::string_view Record::*key) {
        if (records.empty()) return KeyColumn(nullptr, sizeof(Record), 0);
        return KeyColumn(reinterpret_cast<const std::byte*>(&(records[0].*key)), sizeof(Record), records.size());
    }
    std::size_t size() const { return size_; }
    std::string_view operator[](std::size_t i) const {
        return *reinterpret_cast<const std::string_view*>(first_ + i * stride_);
    }

private:
    KeyColumn(const std::byte* first, std::size_t stride, std::size_t size) : first_(first), stride_(stride), size_(size) {}
    const std::byte* first_;
    std::size_t stride_, size_;
};

// The positions of `keys` in bytewise order; equal keys keep their order.
// `compared_whole`, when given, gets for each position of the result whether
// that key was compared whole with others: only such keys can be equal.
std::vector<std::uint32_t> key_order(KeyColumn keys, std::vector<bool>* compared_whole = nullptr);

}  // namespace brotr::storage
