#include "services/relay_selection.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "model/relay_shard.hpp"

namespace brotr::services {

namespace {

std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000.0));
}

bool recently_checked(const RelayLatest& row, const SynchronizerConfig::Source& source, std::int64_t now) {
    if (!row.latest) return false;
    const double age = static_cast<double>(now - row.latest->generated_at);
    if (age >= source.max_metadata_age) return false;
    if (!source.require_readable) return true;
    return row.latest->nip66 && row.latest->nip66->readable;
}

RelayTarget target_for(const RelayUrl& url, const SynchronizerConfig& config) {
    const auto& t = url.network() == Network::tor ? config.timeouts.tor : config.timeouts.clearnet;
    return RelayTarget{url, false, millis(t.request), millis(t.relay)};
}

}  // namespace

RelaySelection select_relays(const std::vector<RelayLatest>& registry, const SynchronizerConfig& config,
                             const ShardConfig& shard, std::int64_t now, std::mt19937_64& rng) {
    RelaySelection selection;
    std::set<std::string, std::less<>> chosen;
    auto consider = [&](RelayTarget target) {
        if (!chosen.insert(target.url.str()).second) return false;
        if (!in_shard(shard, target.url.str())) {
            ++selection.other_shards;
            return false;
        }
        if (target.url.network() == Network::tor && !config.tor.enabled) {
            ++selection.skipped_tor;
            return false;
        }
        selection.relays.push_back(std::move(target));
        return true;
    };

    for (const auto& o : config.overrides) {
        RelayTarget target = target_for(o.url, config);
        target.from_config = true;
        if (o.request) target.request_timeout = millis(*o.request);
        if (o.relay) target.relay_timeout = millis(*o.relay);
        consider(std::move(target));
    }
    for (const auto& row : registry) {
        if (!recently_checked(row, config.source, now)) continue;
        auto url = RelayUrl::parse(row.relay.url);
        if (!url) continue;  // the store only holds normalized URLs; never trust it blindly
        consider(target_for(*url, config));
    }
    std::shuffle(selection.relays.begin(), selection.relays.end(), rng);
    return selection;
}

}  // namespace brotr::services
