// Which relays a synchronizer cycle visits: recently checked, readable
// relays of the registry plus the overrides, with the right timeouts.
#include <algorithm>
#include <random>

#include <gtest/gtest.h>

#include "services/relay_selection.hpp"

using namespace brotr;
using brotr::services::select_relays;

namespace {

constexpr std::int64_t kNow = 1'750'000'000;

RelayLatest row(const std::string& url, std::optional<std::int64_t> checked_at, bool readable) {
    RelayLatest r;
    r.relay.url = url;
    r.relay.network = RelayUrl::parse(url)->network();
    if (checked_at) {
        StoredSnapshot s;
        s.relay_url = url;
        s.generated_at = *checked_at;
        Nip66 n;
        n.openable = true;
        n.readable = readable;
        s.nip66 = n;
        r.latest = s;
    }
    return r;
}

std::vector<std::string> urls(const services::RelaySelection& s) {
    std::vector<std::string> out;
    for (const auto& t : s.relays) out.push_back(t.url.str());
    std::sort(out.begin(), out.end());
    return out;
}

const services::RelayTarget* find(const services::RelaySelection& s, const std::string& url) {
    for (const auto& t : s.relays)
        if (t.url.str() == url) return &t;
    return nullptr;
}

}  // namespace

TEST(SynchronizerSelection, RecentReadableRelaysOnly) {
    SynchronizerConfig c;
    c.overrides.clear();
    std::vector<RelayLatest> registry{
        row("wss://fresh.example", kNow - 100, true),
        row("wss://unreadable.example", kNow - 100, false),
        row("wss://stale.example", kNow - 43'200, true),   // exactly max_metadata_age old: not younger
        row("wss://never-checked.example", std::nullopt, false),
        row("wss://almost-stale.example", kNow - 43'199, true),
    };
    std::mt19937_64 rng(1);
    auto s = select_relays(registry, c, {}, kNow, rng);
    EXPECT_EQ(urls(s), (std::vector<std::string>{"wss://almost-stale.example", "wss://fresh.example"}));
}

TEST(SynchronizerSelection, RequireReadableOffTakesEveryRecentlyCheckedRelay) {
    SynchronizerConfig c;
    c.overrides.clear();
    c.source.require_readable = false;
    std::vector<RelayLatest> registry{row("wss://a.example", kNow - 10, false), row("wss://b.example", kNow - 10, true),
                                      row("wss://c.example", std::nullopt, false)};
    std::mt19937_64 rng(1);
    EXPECT_EQ(urls(select_relays(registry, c, {}, kNow, rng)),
              (std::vector<std::string>{"wss://a.example", "wss://b.example"}));
}

TEST(SynchronizerSelection, OverridesAreAddedOnceWithTheirTimeoutsAndExemptFromTheAddressRule) {
    SynchronizerConfig c;
    c.overrides.clear();
    c.overrides.push_back({*RelayUrl::parse("wss://big.example"), 60.0, 7200.0});
    c.overrides.push_back({*RelayUrl::parse("ws://127.0.0.1:7000"), std::nullopt, std::nullopt});
    std::vector<RelayLatest> registry{row("wss://big.example", kNow - 10, true), row("wss://small.example", kNow - 10, true)};
    std::mt19937_64 rng(1);
    auto s = select_relays(registry, c, {}, kNow, rng);
    EXPECT_EQ(urls(s), (std::vector<std::string>{"ws://127.0.0.1:7000", "wss://big.example", "wss://small.example"}));
    const auto* big = find(s, "wss://big.example");
    ASSERT_TRUE(big);
    EXPECT_TRUE(big->from_config);
    EXPECT_EQ(big->request_timeout, std::chrono::seconds(60));
    EXPECT_EQ(big->relay_timeout, std::chrono::seconds(7200));
    const auto* local = find(s, "ws://127.0.0.1:7000");
    ASSERT_TRUE(local);
    EXPECT_TRUE(local->from_config);
    EXPECT_EQ(local->request_timeout, std::chrono::seconds(30));  // the clearnet defaults
    EXPECT_EQ(local->relay_timeout, std::chrono::seconds(1800));
    const auto* small = find(s, "wss://small.example");
    ASSERT_TRUE(small);
    EXPECT_FALSE(small->from_config);
}

TEST(SynchronizerSelection, OnionRelaysUseTorTimeoutsOrAreSkippedWhenTorIsDisabled) {
    const std::string onion = "ws://" + std::string(56, 'a') + ".onion";
    SynchronizerConfig c;
    c.overrides.clear();
    c.timeouts.tor = {90, 5000};
    std::vector<RelayLatest> registry{row(onion, kNow - 10, true), row("wss://clear.example", kNow - 10, true)};
    std::mt19937_64 rng(1);
    auto with_tor = select_relays(registry, c, {}, kNow, rng);
    ASSERT_EQ(with_tor.relays.size(), 2u);
    const auto* t = find(with_tor, onion);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->request_timeout, std::chrono::seconds(90));
    EXPECT_EQ(t->relay_timeout, std::chrono::seconds(5000));
    EXPECT_EQ(with_tor.skipped_tor, 0u);

    c.tor.enabled = false;
    auto without = select_relays(registry, c, {}, kNow, rng);
    EXPECT_EQ(urls(without), (std::vector<std::string>{"wss://clear.example"}));
    EXPECT_EQ(without.skipped_tor, 1u);
}

TEST(SynchronizerSelection, OrderIsRandom) {
    SynchronizerConfig c;
    c.overrides.clear();
    std::vector<RelayLatest> registry;
    for (int i = 0; i < 50; ++i) registry.push_back(row("wss://r" + std::to_string(i) + ".example", kNow - 1, true));
    std::mt19937_64 rng(42);
    auto a = select_relays(registry, c, {}, kNow, rng);
    auto b = select_relays(registry, c, {}, kNow, rng);
    ASSERT_EQ(a.relays.size(), 50u);
    std::vector<std::string> order_a, order_b;
    for (const auto& t : a.relays) order_a.push_back(t.url.str());
    for (const auto& t : b.relays) order_b.push_back(t.url.str());
    EXPECT_NE(order_a, order_b);
    EXPECT_EQ(urls(a), urls(b));
}

TEST(SynchronizerSelection, ZeroMaxMetadataAgeSelectsOnlyOverrides) {
    SynchronizerConfig c;
    c.overrides.clear();
    c.source.max_metadata_age = 0;
    std::vector<RelayLatest> registry{row("wss://a.example", kNow, true)};
    std::mt19937_64 rng(1);
    EXPECT_TRUE(select_relays(registry, c, {}, kNow, rng).relays.empty());
}
