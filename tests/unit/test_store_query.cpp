// NIP-01 filter queries: each condition, their combinations, order and limit,
// and index prefix collisions that must not leak into the answer.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::EventGenerator;
using test::TempDir;

bool has_tag(const Event& e, char letter, const std::string& value) {
    for (const auto& t : e.tags)
        if (t.size() >= 2 && t[0].size() == 1 && t[0][0] == letter && t[1] == value) return true;
    return false;
}

// The answer computed by brute force over all events.
template <class T, class V>
bool in(const std::optional<std::vector<T>>& list, const V& v) {
    return !list || std::find(list->begin(), list->end(), v) != list->end();
}

std::vector<Bytes32> brute_force(const std::vector<Event>& all, const Filter& q) {
    std::vector<const Event*> hits;
    for (const auto& e : all) {
        if (!in(q.ids, e.id) || !in(q.authors, e.pubkey) || !in(q.kinds, e.kind)) continue;
        if (q.since && e.created_at < *q.since) continue;
        if (q.until && e.created_at > *q.until) continue;
        bool tags_ok = true;
        for (const auto& [letter, values] : q.tags) {
            bool any = false;
            for (const auto& v : values) any = any || has_tag(e, letter, v);
            tags_ok = tags_ok && any;
        }
        if (tags_ok) hits.push_back(&e);
    }
    // Newest first; equal created_at in insertion order (the order of `all`).
    std::stable_sort(hits.begin(), hits.end(), [](const Event* a, const Event* b) { return a->created_at > b->created_at; });
    std::vector<Bytes32> ids;
    for (const auto* e : hits) {
        if (q.limit && ids.size() >= *q.limit) break;
        ids.push_back(e->id);
    }
    return ids;
}

std::vector<Bytes32> ids_of(const std::vector<Event>& events) {
    std::vector<Bytes32> ids;
    for (const auto& e : events) ids.push_back(e.id);
    return ids;
}

// Run against both memtable kinds: the default one, and the unsorted one of a
// bulk-load instance, whose reads sort the unflushed entries.
class StoreQuery : public ::testing::TestWithParam<bool> {
protected:
    static Store open_store(const std::string& path, bool bulk_load) {
        if (!bulk_load) return Store::init(path, StoreVariant::bigbrotr);
        Store::init(path, StoreVariant::bigbrotr);  // created, then closed
        StoreOptions options;
        options.bulk_load = true;
        return Store::open(path, options);
    }

    void SetUp() override {
        all = gen.batch(400);
        // Many events in the same second, to pin the order of ties.
        for (int i = 0; i < 5; ++i) all.push_back(gen.make(1, "same second " + std::to_string(i), {{"t", "tie"}}, 1'699'999'000, i));
        std::vector<EventWithRelay> items;
        for (const auto& e : all) items.push_back({e, nullptr, 0, false});
        ASSERT_EQ(store.insert_events(items).stored, all.size());
    }

    void expect_same(const Filter& q) {
        EXPECT_EQ(ids_of(store.query_events(q)), brute_force(all, q));
    }

    TempDir dir;
    Store store = open_store((dir / "store").string(), GetParam());
    EventGenerator gen{99, 30};
    std::vector<Event> all;
};

TEST_P(StoreQuery, EverythingNewestFirst) {
    expect_same({});
    Filter limited;
    limited.limit = 17;
    expect_same(limited);
}

TEST_P(StoreQuery, ByIds) {
    Filter q;
    q.ids = {all[3].id, all[100].id, all[3].id, all[250].id};
    Bytes32 unknown{};
    q.ids->push_back(unknown);
    expect_same(q);
    q.kinds = {all[100].kind};
    expect_same(q);
}

TEST_P(StoreQuery, ByAuthorsKindsAndTimeWindow) {
    Filter q;
    q.authors = {gen.pubkeys()[0], gen.pubkeys()[5]};
    expect_same(q);
    q.kinds = {1, 7};
    expect_same(q);
    q.since = gen.now() - 30 * 86400;
    q.until = gen.now() - 86400;
    expect_same(q);
    q.limit = 3;
    expect_same(q);

    Filter kinds;
    kinds.kinds = {0, 3, 10002};
    expect_same(kinds);
    kinds.until = gen.now() - 5 * 86400;
    expect_same(kinds);

    Filter window;
    window.since = gen.now() - 3600;
    expect_same(window);
    window.since = window.until = all.back().created_at;  // a single second
    expect_same(window);
}

TEST_P(StoreQuery, ByTags) {
    // Pick values that occur: an e tag, a p tag, a hashtag.
    std::string e_value, p_value;
    for (const auto& e : all)
        for (const auto& t : e.tags) {
            if (t.size() >= 2 && t[0] == "e" && e_value.empty()) e_value = t[1];
            if (t.size() >= 2 && t[0] == "p" && p_value.empty()) p_value = t[1];
        }
    ASSERT_FALSE(e_value.empty());
    ASSERT_FALSE(p_value.empty());
    Filter q;
    q.tags['e'] = {e_value};
    expect_same(q);
    q.tags['p'] = {p_value, gen.some_pubkey()};
    expect_same(q);
    Filter p;
    p.tags['p'] = {p_value};
    expect_same(p);
    p.kinds = {3};
    expect_same(p);
    Filter t;
    t.tags['t'] = {"tie", "nostr"};
    expect_same(t);
    Filter none;
    none.tags['e'] = {};
    EXPECT_TRUE(store.query_events(none).empty());
    Filter no_kinds;
    no_kinds.kinds.emplace();  // an empty list matches nothing
    EXPECT_TRUE(store.query_events(no_kinds).empty());
    Filter no_authors;
    no_authors.authors.emplace();
    EXPECT_TRUE(store.query_events(no_authors).empty());
}

TEST_P(StoreQuery, EmptyAndInvertedWindowsMatchNothing) {
    Filter q;
    q.since = 10;
    q.until = 5;
    EXPECT_TRUE(store.query_events(q).empty());
    q = {};
    q.limit = 0;
    EXPECT_TRUE(store.query_events(q).empty());
    q = {};
    q.until = -1;
    EXPECT_TRUE(store.query_events(q).empty());
}

TEST_P(StoreQuery, StreamingStopsWhenTheVisitorSaysSo) {
    int seen = 0;
    store.for_each_event({}, [&](const Event&) { return ++seen < 10; });
    EXPECT_EQ(seen, 10);
}

INSTANTIATE_TEST_SUITE_P(Memtables, StoreQuery, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "BulkLoad" : "Default"; });

TEST(StoreQueryCollisions, ValuesSharingAnIndexPrefixAreTellApart) {
    TempDir dir;
    Store store = Store::init((dir / "store").string(), StoreVariant::bigbrotr);
    EventGenerator gen(5, 4);
    // Two e tag values equal in their first 8 bytes (the idx_tag key), and
    // two authors equal in their first 8 bytes (the idx_pubkey key).
    const std::string x = std::string(16, 'a') + std::string(48, '1');
    const std::string y = std::string(16, 'a') + std::string(48, '2');
    Event ex = gen.make(1, "x", {{"e", x}}, 100, 0);
    Event ey = gen.make(1, "y", {{"e", y}}, 200, 1);
    Event fake_author = gen.make(1, "z", {}, 300, 2);
    Bytes32 twin = ex.pubkey;
    twin[31] ^= 0xff;
    fake_author.pubkey = twin;  // not a valid signature: inserted as already checked
    std::vector<EventWithRelay> items = {{ex, nullptr, 0, false}, {ey, nullptr, 0, false}, {fake_author, nullptr, 0, true}};
    ASSERT_EQ(store.insert_events(items).stored, 3u);

    Filter by_x;
    by_x.tags['e'] = {x};
    EXPECT_EQ(ids_of(store.query_events(by_x)), std::vector<Bytes32>{ex.id});
    Filter by_author;
    by_author.authors = {ex.pubkey};
    EXPECT_EQ(ids_of(store.query_events(by_author)), std::vector<Bytes32>{ex.id});
    by_author.authors->push_back(twin);
    EXPECT_EQ(ids_of(store.query_events(by_author)), (std::vector<Bytes32>{fake_author.id, ex.id}));
}

}  // namespace
}  // namespace brotr
