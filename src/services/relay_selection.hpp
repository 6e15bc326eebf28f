// Which relays a synchronizer cycle visits (docs/services.md, Synchronizer):
// relays whose newest metadata snapshot is younger than
// source.max_metadata_age and, with source.require_readable, found readable
// by the monitor; plus every relay of `overrides`; of those, only this
// node's shard (brotr.yaml `shard`). In random order, each with the timeouts
// of its network or of its override.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <vector>

#include "brotr/config.hpp"
#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"

namespace brotr::services {

struct RelayTarget {
    RelayUrl url;
    // Listed in the user's own config: exempt from the SSRF address rule,
    // which is for URLs that strangers supplied.
    bool from_config = false;
    std::chrono::milliseconds request_timeout{30'000};
    std::chrono::milliseconds relay_timeout{1'800'000};
};

struct RelaySelection {
    std::vector<RelayTarget> relays;
    std::size_t skipped_tor = 0;   // .onion relays left out because tor is disabled
    std::size_t other_shards = 0;  // relays another node's shard syncs
};

RelaySelection select_relays(const std::vector<RelayLatest>& registry, const SynchronizerConfig& config,
                             const ShardConfig& shard, std::int64_t now, std::mt19937_64& rng);

}  // namespace brotr::services
