// Which relays a monitor cycle checks.
#include <gtest/gtest.h>

#include "services/monitor_selection.hpp"

namespace brotr::services {
namespace {

RelayLatest row(const std::string& url, std::optional<std::int64_t> checked_at) {
    RelayLatest r;
    r.relay.url = url;
    r.relay.network = url.find(".onion") != std::string::npos ? Network::tor : Network::clearnet;
    if (checked_at) {
        StoredSnapshot s;
        s.relay_url = url;
        s.generated_at = *checked_at;
        r.latest = s;
    }
    return r;
}

std::vector<std::string> urls(const MonitorSelection& s) {
    std::vector<std::string> out;
    for (const auto& u : s.due) out.push_back(u.str());
    return out;
}

TEST(MonitorSelection, DueWhenNeverCheckedOrOldEnough) {
    const std::int64_t now = 100'000;
    std::vector<RelayLatest> rows = {
        row("wss://fresh.example", now - 10),       row("wss://old.example", now - 7200),
        row("wss://never.example", std::nullopt),   row("wss://edge.example", now - 3600),
        row("wss://older.example", now - 90000),
    };
    MonitorSelection s = select_relays_due(rows, now, 3600, true);
    // Never checked first, then the longest unchecked.
    EXPECT_EQ(urls(s), (std::vector<std::string>{"wss://never.example", "wss://older.example", "wss://old.example",
                                                 "wss://edge.example"}));
    EXPECT_EQ(s.fresh, 1u);
}

TEST(MonitorSelection, ZeroMinimumAgeSelectsEveryRelay) {
    const std::int64_t now = 5000;
    MonitorSelection s = select_relays_due({row("wss://a.example", now), row("wss://b.example", now - 1)}, now, 0, true);
    EXPECT_EQ(s.due.size(), 2u);
}

TEST(MonitorSelection, SnapshotFromTheFutureMakesTheRelayDue) {
    const std::int64_t now = 5000;
    MonitorSelection s = select_relays_due({row("wss://a.example", now + 86400)}, now, 3600, true);
    EXPECT_EQ(s.due.size(), 1u);
}

TEST(MonitorSelection, TorRelaysSkippedWhenTorIsDisabled) {
    const std::string onion = "ws://2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    std::vector<RelayLatest> rows = {row(onion, std::nullopt), row("wss://c.example", std::nullopt)};
    MonitorSelection off = select_relays_due(rows, 1000, 3600, false);
    EXPECT_EQ(urls(off), (std::vector<std::string>{"wss://c.example"}));
    EXPECT_EQ(off.tor_skipped, 1u);
    MonitorSelection on = select_relays_due(rows, 1000, 3600, true);
    EXPECT_EQ(on.due.size(), 2u);
    EXPECT_EQ(on.tor_skipped, 0u);
}

TEST(MonitorSelection, UnparsableRegistryRowsAreCounted) {
    MonitorSelection s = select_relays_due({row("javascript:alert(1)", std::nullopt)}, 1000, 3600, true);
    EXPECT_TRUE(s.due.empty());
    EXPECT_EQ(s.invalid, 1u);
}

}  // namespace
}  // namespace brotr::services
