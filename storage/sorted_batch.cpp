#include "storage/sorted_batch.hpp"

#include <algorithm>

namespace brotr::storage {

void SortedBatch::add(Cf cf, std::string_view key, std::string_view value, bool merge) {
    auto& bytes = bytes_[static_cast<std::size_t>(cf)];
    Entry e{static_cast<std::uint32_t>(bytes.size()), static_cast<std::uint32_t>(key.size()), 0,
            static_cast<std::uint32_t>(value.size()), merge};
    bytes.append(key);
    e.value_at = static_cast<std::uint32_t>(bytes.size());
    bytes.append(value);
    entries_[static_cast<std::size_t>(cf)].push_back(e);
}

SortedBatch::Shape SortedBatch::shape() const {
    Shape s;
    for (std::size_t c = 0; c < kCfCount; ++c) {
        s.bytes[c] = bytes_[c].size();
        s.entries[c] = entries_[c].size();
    }
    return s;
}

void SortedBatch::reserve(const Shape& shape) {
    for (std::size_t c = 0; c < kCfCount; ++c) {
        bytes_[c].reserve(shape.bytes[c]);
        entries_[c].reserve(shape.entries[c]);
    }
}

std::size_t SortedBatch::count() const {
    std::size_t n = 0;
    for (const auto& v : entries_) n += v.size();
    return n;
}

void SortedBatch::write_to(rocksdb::WriteBatch& out, const std::array<rocksdb::ColumnFamilyHandle*, kCfCount>& cfs) {
    for (std::size_t c = 0; c < kCfCount; ++c) {
        auto& entries = entries_[c];
        const std::string& bytes = bytes_[c];
        auto key = [&](const Entry& e) { return std::string_view(bytes).substr(e.key_at, e.key_size); };
        if (!unsorted_[c])
            std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
        for (const auto& e : entries) {
            rocksdb::Slice k(bytes.data() + e.key_at, e.key_size), v(bytes.data() + e.value_at, e.value_size);
            if (e.merge) out.Merge(cfs[c], k, v);
            else out.Put(cfs[c], k, v);
        }
    }
}

}  // namespace brotr::storage
