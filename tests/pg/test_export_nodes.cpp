// Several edge nodes exporting into one database: overlapping stores give
// their union, each node keeps its own cursor, and a node id cannot be
// continued by a store it does not belong to.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "brotr/hex.hpp"
#include "pg/test_export_fixture.hpp"

namespace brotr::test {
namespace {

class ExportNodes : public ExportTest {};

std::map<std::pair<std::string, std::string>, std::int64_t> links_of(const Store& store) {
    std::map<std::pair<std::string, std::string>, std::int64_t> out;
    store.for_each_event({}, [&](const Event& e) {
        for (const auto& link : store.event_relays(e.id)) out[{to_hex(e.id), link.relay_url}] = link.seen_at;
        return true;
    });
    return out;
}

TEST_F(ExportNodes, OverlappingStoresGiveTheirUnion) {
    open_store(StoreVariant::bigbrotr, "a");
    open_store(StoreVariant::bigbrotr, "b");
    create_database();
    DatasetSpec spec;
    spec.events = 2000;
    const auto events = dataset_events(spec);
    fill_store(store(0), std::vector<Event>(events.begin(), events.begin() + 1200), spec);
    DatasetSpec spec_b = spec;
    spec_b.seed = 8;  // other relay choices and sighting times for the shared events
    fill_store(store(1), std::vector<Event>(events.begin() + 800, events.end()), spec_b);

    // Interleaved: part of a, all of b, the rest of a.
    {
        pg::Exporter a(store(0), conn(), export_options("node-a", 300));
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(a.export_batch(store(0).changelog_head()));
    }
    export_all(store(1), conn(), export_options("node-b", 300));
    export_all(store(0), conn(), export_options("node-a", 300));

    std::set<std::string> ids;
    for (const auto& e : events) ids.insert(to_hex(e.id));
    EXPECT_EQ(count(conn(), "events"), static_cast<long long>(ids.size()));
    std::set<std::string> db_ids;
    for (const auto& row : query(conn(), "SELECT encode(id, 'hex') FROM events")) db_ids.insert(row[0].as<std::string>());
    EXPECT_EQ(db_ids, ids);

    // Every link of either store; where both saw an event on the same relay,
    // the sighting of the node that exported it first stays.
    const auto links_a = links_of(store(0));
    const auto links_b = links_of(store(1));
    std::map<std::pair<std::string, std::string>, std::int64_t> db_links;
    for (const auto& row : query(conn(), "SELECT encode(event_id, 'hex'), relay_url, seen_at FROM events_relays"))
        db_links[{row[0].as<std::string>(), row[1].as<std::string>()}] = row[2].as<std::int64_t>();
    std::size_t both = 0;
    for (const auto& [key, seen_at] : db_links) {
        const auto in_a = links_a.find(key);
        const auto in_b = links_b.find(key);
        ASSERT_TRUE(in_a != links_a.end() || in_b != links_b.end()) << key.first << " " << key.second;
        if (in_a != links_a.end() && in_b != links_b.end()) ++both;
        const bool first_batches_of_a = in_a != links_a.end() && seen_at == in_a->second;
        EXPECT_TRUE(first_batches_of_a || (in_b != links_b.end() && seen_at == in_b->second));
    }
    std::set<std::pair<std::string, std::string>> union_keys;
    for (const auto& [k, v] : links_a) union_keys.insert(k);
    for (const auto& [k, v] : links_b) union_keys.insert(k);
    EXPECT_EQ(db_links.size(), union_keys.size());
    EXPECT_GT(both, 0u) << "the stores should share some links";

    std::set<std::string> relays;
    for (const auto& r : store(0).relays()) relays.insert(r.url);
    for (const auto& r : store(1).relays()) relays.insert(r.url);
    EXPECT_EQ(count(conn(), "relays"), static_cast<long long>(relays.size()));

    EXPECT_EQ(scalar(conn(), "SELECT seq FROM brotr_export_cursor WHERE node_id = 'node-a'"),
              std::to_string(store(0).changelog_head()));
    EXPECT_EQ(scalar(conn(), "SELECT seq FROM brotr_export_cursor WHERE node_id = 'node-b'"),
              std::to_string(store(1).changelog_head()));
    EXPECT_EQ(count(conn(), "brotr_export_cursor"), 2);
}

TEST_F(ExportNodes, TwoExportersOfOneNodeTakeTurns) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 1500;
    fill_store(store(), spec);
    auto second = db_->connect();
    pg::Exporter one(store(), conn(), export_options("same", 100));
    pg::Exporter two(store(), *second, export_options("same", 100));
    const auto head = store().changelog_head();
    std::uint64_t covered = 0;
    bool done_one = false, done_two = false;
    while (!done_one || !done_two) {
        if (!done_one) {
            auto b = one.export_batch(head);
            if (!b) done_one = true;
            else {
                EXPECT_EQ(b->first_seq, covered + 1);
                covered = b->last_seq;
            }
        }
        if (!done_two) {
            auto b = two.export_batch(head);
            if (!b) done_two = true;
            else {
                EXPECT_EQ(b->first_seq, covered + 1);  // continues after the other one's batch
                covered = b->last_seq;
            }
        }
    }
    EXPECT_EQ(covered, head);
    expect_tables_equal_store(conn(), store());
}

TEST_F(ExportNodes, TrimmedChangelogIsRefused) {
    open_store();
    create_database();
    DatasetSpec spec;
    spec.events = 200;
    fill_store(store(), spec);
    store().trim_changelog(100);
    pg::Exporter exporter(store(), conn(), export_options("late"));
    try {
        exporter.export_batch(store().changelog_head());
        FAIL() << "exported a changelog with its start trimmed away";
    } catch (const pg::ExportTargetError& e) {
        EXPECT_NE(std::string(e.what()).find("entry 1 (trimmed)"), std::string::npos) << e.what();
    }
    EXPECT_EQ(count(conn(), "events"), 0);
    EXPECT_EQ(count(conn(), "brotr_export_cursor"), 0);
}

TEST_F(ExportNodes, BadOptionsAreRefused) {
    open_store();
    create_database();
    EXPECT_THROW(pg::Exporter(store(), conn(), export_options("")), std::invalid_argument);
    EXPECT_THROW(pg::Exporter(store(), conn(), export_options("has space")), std::invalid_argument);
    EXPECT_THROW(pg::Exporter(store(), conn(), export_options(std::string(65, 'x'))), std::invalid_argument);
    EXPECT_THROW(pg::Exporter(store(), conn(), export_options("ok", 0)), std::invalid_argument);
    EXPECT_THROW(pg::Exporter(store(), conn(), export_options("ok", pg::kMaxExportBatchSize + 1)),
                 std::invalid_argument);
    EXPECT_NO_THROW(pg::Exporter(store(), conn(), export_options("A-z_0.9", pg::kMaxExportBatchSize)));
}

TEST_F(ExportNodes, DatabaseWithoutExporterObjectsIsRefused) {
    open_store();
    db_ = std::make_unique<PgTestDb>();
    conn_ = db_->connect();
    try {
        pg::Exporter exporter(store(), conn(), export_options("n"));
        FAIL() << "accepted a database without the schema";
    } catch (const pg::ExportTargetError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("table events"), std::string::npos) << what;
        EXPECT_NE(what.find("brotr_export_merge_staging"), std::string::npos) << what;
        EXPECT_NE(what.find("brotr pg-init"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace brotr::test
