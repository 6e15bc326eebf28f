// Sorting keys in RocksDB's bytewise order, cheaply: on whole words of the
// keys first, so that most comparisons touch neither the keys nor memcmp.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace brotr::storage {

// Eight key bytes from `at` as a big-endian number, zero-padded past the end.
inline std::uint64_t key_bytes_at(std::string_view key, std::size_t at) {
    if (at + 8 <= key.size()) {
        std::uint64_t v;
        std::memcpy(&v, key.data() + at, 8);
        if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
        return v;
    }
    unsigned char b[8] = {};
    if (at < key.size()) std::memcpy(b, key.data() + at, key.size() - at);
    std::uint64_t v = 0;
    for (unsigned char c : b) v = (v << 8) | c;
    return v;
}

// The positions of `keys` in key order; equal keys keep their order.
template <class Keys>
std::vector<std::uint32_t> key_order(const Keys& keys) {
    struct Item {
        std::uint64_t head;
        std::uint32_t at;
    };
    std::vector<Item> items;
    items.reserve(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i)
        items.push_back({key_bytes_at(std::string_view(keys[i]), 0), static_cast<std::uint32_t>(i)});
    std::sort(items.begin(), items.end(), [&](const Item& a, const Item& b) {
        if (a.head != b.head) return a.head < b.head;
        if (int c = std::string_view(keys[a.at]).compare(std::string_view(keys[b.at])); c != 0) return c < 0;
        return a.at < b.at;
    });
    std::vector<std::uint32_t> order;
    order.reserve(items.size());
    for (const auto& item : items) order.push_back(item.at);
    return order;
}

}  // namespace brotr::storage
