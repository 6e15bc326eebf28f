// Which node of a sharded deployment syncs a relay (docs/services.md,
// "Sharding"): the first 8 bytes of SHA-256 over the normalized URL, read
// big-endian, modulo the shard count. Stable across versions, platforms and
// implementations, so that every node agrees without talking to the others;
// a test pins known values.
#pragma once

#include <cstdint>
#include <string_view>

#include "brotr/config.hpp"

namespace brotr {

// `url` as RelayUrl::str() gives it; count >= 1.
std::uint32_t relay_shard(std::string_view normalized_url, std::uint32_t count);

inline bool in_shard(const ShardConfig& shard, std::string_view normalized_url) {
    return shard.count <= 1 || relay_shard(normalized_url, shard.count) == shard.index;
}

}  // namespace brotr
