// The statistics served from counters equal the PostgreSQL views' figures,
// recomputed here from scratch over what the workload stored.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::EventGenerator;
using test::TempDir;

// What the store should contain, kept by the test as plain maps.
struct Model {
    std::map<Bytes32, Event> events;
    std::map<std::pair<Bytes32, std::string>, std::int64_t> links;  // (id, relay) -> seen_at
    std::map<std::string, std::int64_t> relays;                     // url -> inserted_at
    std::map<std::string, std::vector<RelayMetadata>> metadata;
};

// PostgreSQL's ROUND(AVG(x)::numeric, 2) on a handful of integers, by long division.
std::optional<Decimal2> pg_round_avg(const std::vector<std::int32_t>& xs) {
    if (xs.empty()) return std::nullopt;
    long double sum = 0;
    for (auto x : xs) sum += x;
    const long double mean = sum / static_cast<long double>(xs.size());
    // Half away from zero at the second decimal; inputs are small enough for long double.
    const long double scaled = mean * 100;
    const long double rounded = scaled < 0 ? -std::floor(-scaled + 0.5L) : std::floor(scaled + 0.5L);
    return Decimal2{static_cast<std::int64_t>(rounded)};
}

EventsStatistics expected_events_statistics(const Model& m, std::int64_t now) {
    EventsStatistics s;
    std::set<Bytes32> pubkeys;
    std::set<int> kinds;
    for (const auto& [id, e] : m.events) {
        ++s.total_events;
        pubkeys.insert(e.pubkey);
        kinds.insert(e.kind);
        s.earliest_event_timestamp = std::min(s.earliest_event_timestamp.value_or(e.created_at), e.created_at);
        s.latest_event_timestamp = std::max(s.latest_event_timestamp.value_or(e.created_at), e.created_at);
        const int k = e.kind;
        if (k == 1 || k == 2 || (k >= 4 && k < 45) || (k >= 1000 && k < 10000)) ++s.regular_events;
        if (k == 0 || k == 3 || (k >= 10000 && k < 20000)) ++s.replaceable_events;
        if (k >= 20000 && k < 30000) ++s.ephemeral_events;
        if (k >= 30000 && k < 40000) ++s.addressable_events;
        if (e.created_at >= now - 3600) ++s.events_last_hour;
        if (e.created_at >= now - 86400) ++s.events_last_24h;
        if (e.created_at >= now - 7 * 86400) ++s.events_last_7d;
        if (e.created_at >= now - 30 * 86400) ++s.events_last_30d;
    }
    s.unique_pubkeys = pubkeys.size();
    s.unique_kinds = kinds.size();
    return s;
}

std::vector<RelayStatistics> expected_relays_statistics(const Model& m) {
    std::vector<RelayStatistics> out;
    for (const auto& [url, inserted_at] : m.relays) {
        RelayStatistics r;
        r.relay_url = url;
        r.network = RelayUrl::parse(url)->network();
        r.inserted_at = inserted_at;
        std::set<Bytes32> pubkeys;
        for (const auto& [key, seen] : m.links) {
            if (key.second != url) continue;
            const Event& e = m.events.at(key.first);
            ++r.event_count;
            pubkeys.insert(e.pubkey);
            r.first_event_timestamp = std::min(r.first_event_timestamp.value_or(e.created_at), e.created_at);
            r.last_event_timestamp = std::max(r.last_event_timestamp.value_or(e.created_at), e.created_at);
        }
        r.unique_pubkeys = pubkeys.size();
        if (auto it = m.metadata.find(url); it != m.metadata.end()) {
            auto snaps = it->second;
            std::sort(snaps.begin(), snaps.end(), [](const auto& a, const auto& b) { return a.generated_at > b.generated_at; });
            std::vector<std::int32_t> open, read, write;
            int taken = 0;
            for (const auto& s : snaps) {
                if (!s.nip66 || taken == 10) continue;
                ++taken;
                if (s.nip66->rtt_open) open.push_back(*s.nip66->rtt_open);
                if (s.nip66->rtt_read) read.push_back(*s.nip66->rtt_read);
                if (s.nip66->rtt_write) write.push_back(*s.nip66->rtt_write);
            }
            r.avg_rtt_open = pg_round_avg(open);
            r.avg_rtt_read = pg_round_avg(read);
            r.avg_rtt_write = pg_round_avg(write);
        }
        out.push_back(r);
    }
    return out;
}

void expect_views_match(const Store& store, const Model& m, std::int64_t now) {
    EXPECT_EQ(store.events_statistics(now), expected_events_statistics(m, now)) << "now=" << now;

    EXPECT_EQ(store.relays_statistics(), expected_relays_statistics(m));

    // kind_counts_total: by count desc (ties by kind).
    std::map<std::uint16_t, std::pair<std::uint64_t, std::set<Bytes32>>> kinds;
    for (const auto& [id, e] : m.events) {
        kinds[e.kind].first++;
        kinds[e.kind].second.insert(e.pubkey);
    }
    std::vector<KindCount> kind_total;
    for (const auto& [k, v] : kinds) kind_total.push_back({k, v.first, v.second.size()});
    std::stable_sort(kind_total.begin(), kind_total.end(),
                     [](const auto& a, const auto& b) { return a.event_count > b.event_count; });
    EXPECT_EQ(store.kind_counts_total(), kind_total);

    // kind_counts_by_relay
    std::map<std::pair<std::string, std::uint16_t>, std::pair<std::uint64_t, std::set<Bytes32>>> by_relay;
    for (const auto& [key, seen] : m.links) {
        const Event& e = m.events.at(key.first);
        auto& v = by_relay[{key.second, e.kind}];
        v.first++;
        v.second.insert(e.pubkey);
    }
    std::vector<KindRelayCount> kind_relay;
    for (const auto& [k, v] : by_relay) kind_relay.push_back({k.second, k.first, v.first, v.second.size()});
    auto got_kind_relay = store.kind_counts_by_relay();
    auto by_relay_then_kind = [](const KindRelayCount& a, const KindRelayCount& b) {
        return std::tie(a.relay_url, a.kind) < std::tie(b.relay_url, b.kind);
    };
    std::sort(got_kind_relay.begin(), got_kind_relay.end(), by_relay_then_kind);
    std::sort(kind_relay.begin(), kind_relay.end(), by_relay_then_kind);
    EXPECT_EQ(got_kind_relay, kind_relay);

    // pubkey_counts_total
    std::map<Bytes32, PubkeyCount> authors;
    std::map<Bytes32, std::set<int>> author_kinds;
    for (const auto& [id, e] : m.events) {
        auto [it, fresh] = authors.try_emplace(e.pubkey, PubkeyCount{e.pubkey, 0, 0, e.created_at, e.created_at});
        auto& p = it->second;
        p.event_count++;
        p.first_event_timestamp = std::min(p.first_event_timestamp, e.created_at);
        p.last_event_timestamp = std::max(p.last_event_timestamp, e.created_at);
        author_kinds[e.pubkey].insert(e.kind);
    }
    std::vector<PubkeyCount> pubkey_total;
    for (auto& [pk, p] : authors) {
        p.unique_kinds = author_kinds[pk].size();
        pubkey_total.push_back(p);
    }
    std::vector<PubkeyCount> got_pubkeys;
    store.for_each_pubkey_count([&](const PubkeyCount& p) {
        got_pubkeys.push_back(p);
        return true;
    });
    EXPECT_EQ(got_pubkeys, pubkey_total);

    // pubkey_counts_by_relay, with kinds_used
    std::map<std::pair<std::string, Bytes32>, PubkeyRelayCount> per_relay;
    std::map<std::pair<std::string, Bytes32>, std::set<std::uint16_t>> per_relay_kinds;
    for (const auto& [key, seen] : m.links) {
        const Event& e = m.events.at(key.first);
        auto [it, fresh] = per_relay.try_emplace({key.second, e.pubkey},
                                                 PubkeyRelayCount{e.pubkey, key.second, 0, 0, e.created_at, e.created_at, {}});
        auto& p = it->second;
        p.event_count++;
        p.first_event_timestamp = std::min(p.first_event_timestamp, e.created_at);
        p.last_event_timestamp = std::max(p.last_event_timestamp, e.created_at);
        per_relay_kinds[{key.second, e.pubkey}].insert(e.kind);
    }
    std::vector<PubkeyRelayCount> pubkey_relay;
    for (auto& [k, p] : per_relay) {
        const auto& ks = per_relay_kinds[k];
        p.unique_kinds = ks.size();
        p.kinds_used.assign(ks.begin(), ks.end());
        pubkey_relay.push_back(p);
    }
    std::vector<PubkeyRelayCount> got_relay_pubkeys;
    store.for_each_pubkey_relay_count([&](const PubkeyRelayCount& p) {
        got_relay_pubkeys.push_back(p);
        return true;
    });
    EXPECT_EQ(got_relay_pubkeys, pubkey_relay);

    auto summary = store.summary();
    EXPECT_EQ(summary.events, m.events.size());
    EXPECT_EQ(summary.event_relays, m.links.size());
    EXPECT_EQ(summary.relays, m.relays.size());
}

class StoreStats : public ::testing::Test {
protected:
    void insert(const std::vector<Event>& events, const RelayUrl* relay, std::int64_t seen_at) {
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, relay, seen_at, false});
        auto result = store.insert_events(items);
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (result.outcomes[i] == InsertOutcome::invalid) continue;
            model.events.try_emplace(events[i].id, events[i]);
            if (relay) {
                model.relays.try_emplace(relay->str(), seen_at);
                model.links.try_emplace({events[i].id, relay->str()}, seen_at);
            }
        }
    }

    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    EventGenerator gen{2024, 40};
    Model model;
};

TEST_F(StoreStats, CountersEqualARecountAfterAMixedWorkload) {
    const RelayUrl a = *RelayUrl::parse("wss://a.example.com");
    const RelayUrl b = *RelayUrl::parse("wss://b.example.com/path");
    const RelayUrl onion = *RelayUrl::parse("ws://abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuv.onion");
    const std::int64_t now = gen.now() + 77;  // windows that do not start on a bucket boundary

    auto first = gen.batch(250);
    // Events right at the window edges, and one from the future.
    first.push_back(gen.make(1, "edge in", {}, now - 3600, 0));
    first.push_back(gen.make(1, "edge out", {}, now - 3601, 0));
    first.push_back(gen.make(1, "day edge", {}, now - 86400, 1));
    first.push_back(gen.make(30001, "future", {{"d", "x"}}, now + 5000, 2));
    first.push_back(gen.make(44, "kind 44", {}, 0, 3));
    insert(first, &a, 1000);

    // Overlapping batch on a second relay, with invalid events mixed in.
    auto second = std::vector<Event>(first.begin() + 100, first.begin() + 180);
    auto fresh = gen.batch(120);
    second.insert(second.end(), fresh.begin(), fresh.end());
    second[5].sig[0] ^= 1;                 // a stored event with a broken sig: refused, no link
    second[100].content += "!";            // a new event with a wrong id
    insert(second, &b, 2000);
    insert(std::vector<Event>(fresh.begin(), fresh.begin() + 30), &onion, 3000);
    insert(gen.batch(40), nullptr, 0);     // events with no relay

    // A relay without events, with metadata snapshots (out of order, some without NIP-66).
    ASSERT_TRUE(store.insert_relay(*RelayUrl::parse("wss://quiet.example.com"), 500));
    model.relays.try_emplace("wss://quiet.example.com", 500);
    for (const auto* url : {"wss://quiet.example.com", "wss://a.example.com"}) {
        for (int i = 0; i < 14; ++i) {
            RelayMetadata m;
            m.relay_url = url;
            m.generated_at = 10000 + ((i * 5) % 14) * 100;  // every slot once, out of order
            if (i % 5 != 4) {
                Nip66 n;
                n.openable = true;
                n.rtt_open = 100 + i * 13;
                if (i % 3) n.rtt_read = 7 * i + 1;
                n.rtt_write = std::nullopt;
                m.nip66 = n;
            }
            if (i % 4 == 0) {
                Nip11 doc;
                doc.name = std::string("relay ") + url;
                m.nip11 = doc;
            }
            ASSERT_TRUE(store.insert_relay_metadata(m));
            model.metadata[url].push_back(m);
        }
    }

    for (std::int64_t t : {now, now - 3000, gen.now() - 10 * 86400, std::int64_t{0}, now + 100000})
        expect_views_match(store, model, t);

    auto report = store.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.events, model.events.size());
}

// A writer that began on an empty store knows every author and kind row it
// made; one that opens a store with events must still read what exists.
TEST_F(StoreStats, CountersStayRightWhenAWriterReopensAStoreWithEvents) {
    const RelayUrl a = *RelayUrl::parse("wss://a.example.com");
    const RelayUrl b = *RelayUrl::parse("wss://b.example.com");
    const auto first = gen.batch(150);
    insert(first, &a, 1000);
    const std::string path = store.path();
    { Store closing = std::move(store); }
    store = Store::open(path);
    insert(gen.batch(150), &a, 2000);  // the same 40 authors, most of their kinds again
    insert(first, &b, 3000);           // known events, new links on another relay
    expect_views_match(store, model, gen.now());
    auto report = store.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
}

TEST_F(StoreStats, AnEmptyStoreHasZeroFigures) {
    auto s = store.events_statistics(gen.now());
    EXPECT_EQ(s, EventsStatistics{});
    EXPECT_TRUE(store.kind_counts_total().empty());
    EXPECT_TRUE(store.relays_statistics().empty());
    EXPECT_TRUE(store.check().ok());
}

TEST_F(StoreStats, NewestEventPerRelayIsTheLargestCreatedAt) {
    const RelayUrl a = *RelayUrl::parse("wss://a.example.com");
    EXPECT_FALSE(store.newest_event_created_at(a.str()).has_value());
    insert({gen.make(1, "old", {}, 100, 0), gen.make(1, "new", {}, 900, 1), gen.make(1, "mid", {}, 500, 2)}, &a, 1);
    EXPECT_EQ(store.newest_event_created_at(a.str()), 900);
    EXPECT_FALSE(store.newest_event_created_at("wss://other.example.com").has_value());
}

TEST(Decimal2, PrintsLikePostgresNumeric) {
    EXPECT_EQ(Decimal2{12345}.str(), "123.45");
    EXPECT_EQ(Decimal2{5}.str(), "0.05");
    EXPECT_EQ(Decimal2{-50}.str(), "-0.50");
    EXPECT_EQ(Decimal2{0}.str(), "0.00");
}

}  // namespace
}  // namespace brotr
