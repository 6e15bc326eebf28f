// Deferred inserts (InsertOptions::defer): invisible until committed, seen
// by later inserts meanwhile, and committed in one step as ingested SST
// files or through the log, with the same rows, links, counters and
// changelog as direct inserts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "brotr/store.hpp"
#include "support/raw_store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace fs = std::filesystem;

namespace brotr {
namespace {

using test::EventGenerator;
using test::TempDir;

std::vector<EventWithRelay> with_relay(const std::vector<Event>& events, const RelayUrl* r, std::int64_t seen_at) {
    std::vector<EventWithRelay> items;
    for (const auto& e : events) items.push_back({e, r, seen_at, false});
    return items;
}

std::size_t sst_files(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().extension() == ".sst";
    return n;
}

InsertOptions deferred() {
    InsertOptions o;
    o.defer = true;
    return o;
}

// Overlapping batches from two relays, inserted deferred and committed with
// `how`, must leave the store exactly as the same batches inserted directly.
class StoreDeferred : public ::testing::TestWithParam<DeferredCommit> {
protected:
    TempDir dir;
    EventGenerator gen{77, 30};  // few authors: counters of one author span batches
    RelayUrl a = *RelayUrl::parse("wss://a.example.com");
    RelayUrl b = *RelayUrl::parse("wss://b.example.com");
};

TEST_P(StoreDeferred, CommitLeavesTheStoreAsDirectInsertsWould) {
    const auto events = gen.batch(600);
    const std::vector<Event> first(events.begin(), events.begin() + 400), second(events.begin() + 200, events.end());
    Store direct = Store::init((dir / "direct").string(), StoreVariant::bigbrotr);
    Store store = Store::init((dir / "deferred").string(), StoreVariant::bigbrotr);
    std::vector<InsertResult> expected, got;
    for (auto* s : {&direct, &store}) {
        auto& results = s == &direct ? expected : got;
        const InsertOptions o = s == &direct ? InsertOptions{} : deferred();
        results.push_back(s->insert_events(with_relay(first, &a, 10), o));
        results.push_back(s->insert_events(with_relay(second, &a, 20), o));  // half of it pending already
        results.push_back(s->insert_events(with_relay(first, &b, 30), o));   // pending events, new links
        results.push_back(s->insert_events(with_relay(second, &b, 40), o));
    }
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(got[i].stored, expected[i].stored) << i;
        EXPECT_EQ(got[i].duplicates, expected[i].duplicates) << i;
        EXPECT_EQ(got[i].links_added, expected[i].links_added) << i;
        EXPECT_EQ(got[i].relays_added, expected[i].relays_added) << i;
    }
    EXPECT_EQ(got[0].stored, 400u);
    EXPECT_EQ(got[1].stored, 200u);
    EXPECT_EQ(got[2].links_added, 400u);

    // Nothing is visible before the commit.
    EXPECT_GT(store.deferred_bytes(), 0u);
    EXPECT_FALSE(store.get_event(events[0].id).has_value());
    EXPECT_EQ(store.summary().events, 0u);
    EXPECT_EQ(store.changelog_head(), 0u);

    const std::size_t files_before = sst_files(store.path());
    store.commit_deferred(GetParam());
    EXPECT_EQ(store.deferred_bytes(), 0u);
    if (GetParam() == DeferredCommit::as_files) {
        EXPECT_GT(sst_files(store.path()), files_before);
    } else {
        EXPECT_EQ(sst_files(store.path()), files_before);
    }
    EXPECT_FALSE(fs::exists(fs::path(store.path()) / "ingest"));

    for (const auto& e : events) {
        ASSERT_EQ(store.get_event(e.id), e);
        ASSERT_EQ(store.event_relays(e.id).size(), 2u);
    }
    EXPECT_EQ(store.summary().events, direct.summary().events);
    EXPECT_EQ(store.relays_statistics(), direct.relays_statistics());
    EXPECT_EQ(store.kind_counts_total(), direct.kind_counts_total());
    EXPECT_EQ(store.kind_counts_by_relay(), direct.kind_counts_by_relay());
    EXPECT_EQ(store.events_statistics(2'000'000'000), direct.events_statistics(2'000'000'000));
    const auto log = store.read_changelog(0, 10'000), direct_log = direct.read_changelog(0, 10'000);
    ASSERT_EQ(log.size(), direct_log.size());
    for (std::size_t i = 0; i < log.size(); ++i) {
        EXPECT_EQ(log[i].seq, direct_log[i].seq);
        EXPECT_EQ(log[i].table, direct_log[i].table);
    }
    auto report = store.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    EXPECT_EQ(report.counters, direct.check().counters);

    // Later inserts, deferred or not, build on what was committed.
    const auto more = gen.batch(50);
    EXPECT_EQ(store.insert_events(with_relay(events, &a, 50), deferred()).duplicates, events.size());
    EXPECT_EQ(store.insert_events(with_relay(more, &a, 50), deferred()).stored, 50u);
    store.commit_deferred(GetParam());
    EXPECT_EQ(store.summary().events, 650u);
    EXPECT_TRUE(store.check().ok());
}

INSTANTIATE_TEST_SUITE_P(Commit, StoreDeferred,
                         ::testing::Values(DeferredCommit::as_files, DeferredCommit::through_log),
                         [](const auto& p) { return p.param == DeferredCommit::as_files ? "AsFiles" : "ThroughLog"; });

TEST(StoreDeferredOrder, AnotherWriteCommitsWhatIsPendingFirst) {
    TempDir dir;
    Store store = Store::init((dir / "s").string(), StoreVariant::bigbrotr);
    EventGenerator gen(5);
    const auto events = gen.batch(20);
    RelayUrl a = *RelayUrl::parse("wss://a.example.com");
    store.insert_events(with_relay(events, &a, 1), deferred());
    // A direct insert of events already pending: duplicates, and the
    // changelog keeps the order in which the rows were inserted.
    auto r = store.insert_events(with_relay(events, &a, 2));
    EXPECT_EQ(r.stored, 0u);
    EXPECT_EQ(r.duplicates, 20u);
    EXPECT_EQ(store.deferred_bytes(), 0u);
    EXPECT_EQ(store.summary().events, 20u);
    store.insert_relay(*RelayUrl::parse("wss://b.example.com"), 3);
    const auto log = store.read_changelog(0, 100);
    ASSERT_EQ(log.size(), 1u + 20u + 20u + 1u);
    for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].seq, i + 1);
    EXPECT_EQ(log.back().table, ChangeTable::relays);
    EXPECT_TRUE(store.check().ok());
}

TEST(StoreDeferredOrder, ClosingTheStoreCommitsWhatIsPending) {
    TempDir dir;
    const std::string path = (dir / "s").string();
    EventGenerator gen(6);
    const auto events = gen.batch(30);
    {
        Store store = Store::init(path, StoreVariant::bigbrotr);
        store.insert_events(with_relay(events, nullptr, 0), deferred());
    }
    Store store = Store::open(path);
    EXPECT_EQ(store.summary().events, 30u);
    for (const auto& e : events) EXPECT_TRUE(store.get_event(e.id).has_value());
    EXPECT_TRUE(store.check().ok());
}

// Deferred batches stand or fall together: a deferred insert that fails
// half-way (here on a corrupt event_ids entry) drops them all, counts
// included, and inserting them again afterwards counts everything once.
TEST(StoreDeferredOrder, AFailedDeferredInsertDropsEveryDeferredBatch) {
    TempDir dir;
    const std::string path = (dir / "s").string();
    EventGenerator gen(8, 4);
    const auto events = gen.batch(30);
    const std::vector<Event> stored(events.begin(), events.begin() + 10), first(events.begin() + 10, events.begin() + 20),
        second(events.begin() + 20, events.end());
    RelayUrl relay = *RelayUrl::parse("wss://a.example.com");
    {
        Store store = Store::init(path, StoreVariant::bigbrotr);
        store.insert_events(with_relay(stored, &relay, 1), deferred());
        store.commit_deferred(DeferredCommit::as_files);  // no memtable left with counter merges in it
    }
    const std::string id_key(reinterpret_cast<const char*>(stored[0].id.data()), stored[0].id.size());
    const std::string good = test::replace_raw(path, "event_ids", id_key, "bad");
    {
        Store store = Store::open(path);
        EXPECT_EQ(store.insert_events(with_relay(first, &relay, 2), deferred()).stored, 10u);
        EXPECT_GT(store.deferred_bytes(), 0u);
        std::vector<Event> mixed = second;
        mixed.push_back(stored[0]);
        InsertOptions unverified = deferred();
        unverified.verify = false;  // no lookup before the writer's: the writer meets the corrupt entry
        EXPECT_THROW(store.insert_events(with_relay(mixed, &relay, 3), unverified), StoreError);
        EXPECT_EQ(store.deferred_bytes(), 0u);
        store.commit_deferred(DeferredCommit::as_files);
        EXPECT_EQ(store.summary().events, 10u);
        EXPECT_FALSE(store.get_event(first[0].id).has_value());
    }
    test::replace_raw(path, "event_ids", id_key, good);
    Store store = Store::open(path);
    EXPECT_EQ(store.insert_events(with_relay(first, &relay, 2), deferred()).stored, 10u);
    EXPECT_EQ(store.insert_events(with_relay(second, &relay, 3), deferred()).stored, 10u);
    store.commit_deferred(DeferredCommit::as_files);
    EXPECT_EQ(store.summary().events, 30u);
    auto report = store.check();
    EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems.front());
    std::uint64_t by_kind = 0;
    for (const auto& k : store.kind_counts_total()) by_kind += k.event_count;
    EXPECT_EQ(by_kind, 30u);
}

TEST(StoreDeferredOrder, OpeningRemovesFilesOfAnInterruptedCommit) {
    TempDir dir;
    const std::string path = (dir / "s").string();
    { Store store = Store::init(path, StoreVariant::bigbrotr); }
    fs::create_directories(fs::path(path) / "ingest");
    { std::ofstream(fs::path(path) / "ingest" / "events.sst") << "half-written"; }
    Store store = Store::open(path);
    EXPECT_FALSE(fs::exists(fs::path(path) / "ingest"));
    EXPECT_TRUE(store.check().ok());
}

}  // namespace
}  // namespace brotr
