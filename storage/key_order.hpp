// Sorting keys in RocksDB's bytewise order, cheaply: for SST files built in
// memory and for batched point reads.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace brotr::storage {

// The positions of `keys` in bytewise order; equal keys keep their order.
// `compared_whole`, when given, gets for each position of the result whether
// that key was compared whole with others: only such keys can be equal.
std::vector<std::uint32_t> key_order(std::span<const std::string_view> keys, std::vector<bool>* compared_whole = nullptr);

}  // namespace brotr::storage
