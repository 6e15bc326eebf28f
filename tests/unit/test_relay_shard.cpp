// Sharding relays across nodes: the shard of a URL is pinned (every node and
// every version must agree), spreads relays evenly, and the synchronizer's
// selection of each shard is a partition of the relays; `shard` in
// brotr.yaml and `--shard i/n` are checked.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "brotr/config.hpp"
#include "model/relay_shard.hpp"
#include "services/relay_selection.hpp"

namespace brotr {
namespace {

TEST(RelayShard, KnownValuesStayTheSame) {
    // SHA-256 of the URL, its first 8 bytes big-endian, modulo the count
    // (computed independently of this code).
    EXPECT_EQ(relay_shard("wss://relay.damus.io", 3), 1u);
    EXPECT_EQ(relay_shard("wss://relay.damus.io", 1024), 892u);
    EXPECT_EQ(relay_shard("wss://nos.lol", 1024), 833u);
    EXPECT_EQ(relay_shard("wss://relay.example.com/nostr", 1024), 110u);
    EXPECT_EQ(relay_shard("ws://127.0.0.1:7000/r17", 3), 2u);
    EXPECT_EQ(relay_shard("wss://nos.lol", 1), 0u);
}

TEST(RelayShard, SpreadsRelaysEvenly) {
    std::array<int, 3> per_shard{};
    for (int i = 0; i < 3000; ++i) ++per_shard[relay_shard("wss://relay" + std::to_string(i) + ".example", 3)];
    for (int n : per_shard) {
        EXPECT_GT(n, 850);
        EXPECT_LT(n, 1150);
    }
}

TEST(RelayShard, EachRelayIsInExactlyOneShardOfTheSelection) {
    SynchronizerConfig config;
    config.overrides.clear();
    for (int i = 0; i < 5; ++i) config.overrides.push_back({*RelayUrl::parse("wss://own" + std::to_string(i) + ".example"), {}, {}});
    std::vector<RelayLatest> registry;
    for (int i = 0; i < 60; ++i) {
        RelayLatest r;
        r.relay.url = "wss://relay" + std::to_string(i) + ".example";
        StoredSnapshot s;
        s.relay_url = r.relay.url;
        s.generated_at = 1'000'000;
        Nip66 n;
        n.openable = n.readable = true;
        s.nip66 = n;
        r.latest = s;
        registry.push_back(r);
    }
    std::mt19937_64 rng(3);
    std::multiset<std::string> synced;
    for (std::uint32_t index = 0; index < 3; ++index) {
        const auto selection = services::select_relays(registry, config, {index, 3}, 1'000'100, rng);
        EXPECT_EQ(selection.relays.size() + selection.other_shards, 65u);
        EXPECT_GT(selection.relays.size(), 5u);
        for (const auto& target : selection.relays) {
            EXPECT_EQ(relay_shard(target.url.str(), 3), index);
            synced.insert(target.url.str());
        }
    }
    EXPECT_EQ(synced.size(), 65u);
    EXPECT_EQ(std::set<std::string>(synced.begin(), synced.end()).size(), 65u);  // none twice
    // One shard of one: every relay.
    EXPECT_EQ(services::select_relays(registry, config, {}, 1'000'100, rng).relays.size(), 65u);
}

TEST(RelayShard, CommandLineForm) {
    const ShardConfig shard = parse_shard("2/3");
    EXPECT_EQ(shard.index, 2u);
    EXPECT_EQ(shard.count, 3u);
    EXPECT_EQ(parse_shard("0/1").count, 1u);
    for (const char* bad : {"3/3", "1", "a/3", "1/b", "/3", "1/", "0/0", "0/1025", "-1/3", "1/3/4", " 1/3"})
        EXPECT_THROW(parse_shard(bad), std::invalid_argument) << bad;
    try {
        parse_shard("3/3");
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("0 to count - 1"), std::string::npos) << e.what();
    }
}

TEST(RelayShard, BrotrYamlKeys) {
    const auto config = parse_brotr_config("shard:\n  index: 1\n  count: 4\n", "brotr.yaml", ".");
    EXPECT_EQ(config.shard.index, 1u);
    EXPECT_EQ(config.shard.count, 4u);
    EXPECT_EQ(parse_brotr_config("{}", "brotr.yaml", ".").shard.count, 1u);
    try {
        parse_brotr_config("shard:\n  index: 4\n  count: 4\n", "brotr.yaml", ".");
        FAIL() << "index 4 of 4 must be refused";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "shard.index");
        EXPECT_NE(std::string(e.what()).find("not below shard.count (4)"), std::string::npos) << e.what();
    }
    EXPECT_THROW(parse_brotr_config("shard:\n  count: 0\n", "brotr.yaml", "."), ConfigError);
    EXPECT_THROW(parse_brotr_config("shard:\n  count: 2000\n", "brotr.yaml", "."), ConfigError);
}

}  // namespace
}  // namespace brotr
