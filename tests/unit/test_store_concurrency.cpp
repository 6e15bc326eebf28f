// Many threads inserting overlapping events, as relay sessions do: exactly
// one events row and one changelog entry per event, consistent counters.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <numeric>
#include <thread>

#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

TEST(StoreConcurrency, OverlappingInsertsFromManyThreadsGiveOneRowEach) {
    test::TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    test::EventGenerator gen(11, 25);
    const auto events = gen.batch(300);

    constexpr int kThreads = 8;
    std::vector<RelayUrl> relays;
    for (int t = 0; t < kThreads; ++t) relays.push_back(*RelayUrl::parse("wss://r" + std::to_string(t % 4) + ".example.com"));
    std::vector<std::thread> threads;
    std::atomic<std::size_t> stored{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            // Each thread sends every event, in its own order and batch sizes.
            std::mt19937 rng(static_cast<unsigned>(t));
            std::vector<std::size_t> order(events.size());
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), rng);
            std::size_t at = 0;
            while (at < order.size()) {
                std::size_t n = std::min<std::size_t>(order.size() - at, 1 + rng() % 40);
                std::vector<EventWithRelay> items;
                for (std::size_t i = 0; i < n; ++i) items.push_back({events[order[at + i]], &relays[t], 100 + t, false});
                at += n;
                stored += store.insert_events(items).stored;
            }
        });
    }
    for (auto& th : threads) th.join();

    EXPECT_EQ(stored.load(), events.size());
    EXPECT_EQ(store.summary().events, events.size());
    EXPECT_EQ(store.summary().relays, 4u);
    EXPECT_EQ(store.summary().event_relays, events.size() * 4);

    std::map<ChangeTable, std::size_t> per_table;
    std::map<Bytes32, int> event_entries;
    for (const auto& entry : store.read_changelog(0, SIZE_MAX)) {
        ++per_table[entry.table];
        if (entry.table == ChangeTable::events) ++event_entries[std::get<Event>(*store.fetch_row(entry)).id];
    }
    EXPECT_EQ(per_table[ChangeTable::events], events.size());
    EXPECT_EQ(per_table[ChangeTable::events_relays], events.size() * 4);
    EXPECT_EQ(per_table[ChangeTable::relays], 4u);
    for (const auto& e : events) EXPECT_EQ(event_entries[e.id], 1) << "event entries";

    auto report = store.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
}

}  // namespace
}  // namespace brotr
