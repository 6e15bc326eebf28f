// Creating and opening stores: variants and format version fixed at
// creation and checked on every open, read-only and secondary instances.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include "brotr/store.hpp"
#include "support/raw_store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::TempDir;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(StoreOpen, InitCreatesThenOpens) {
    TempDir dir;
    const std::string path = (dir / "nested" / "store").string();
    bool created = false;
    { Store s = Store::init(path, StoreVariant::lilbrotr, &created); EXPECT_EQ(s.variant(), StoreVariant::lilbrotr); }
    EXPECT_TRUE(created);
    { Store s = Store::init(path, StoreVariant::lilbrotr, &created); }
    EXPECT_FALSE(created);
    Store s = Store::open(path);
    EXPECT_EQ(s.variant(), StoreVariant::lilbrotr);
    EXPECT_EQ(s.path(), path);
}

TEST(StoreOpen, WrongVariantIsRefusedNamingBoth) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    { Store s = Store::init(path, StoreVariant::lilbrotr); }
    auto init_error = error_of([&] { Store::init(path, StoreVariant::bigbrotr); });
    EXPECT_NE(init_error.find("lilbrotr"), std::string::npos) << init_error;
    EXPECT_NE(init_error.find("bigbrotr"), std::string::npos) << init_error;
    StoreOptions o;
    o.expected_variant = StoreVariant::bigbrotr;
    auto open_error = error_of([&] { Store::open(path, o); });
    EXPECT_NE(open_error.find("lilbrotr"), std::string::npos) << open_error;
    EXPECT_NE(open_error.find("bigbrotr"), std::string::npos) << open_error;
}

TEST(StoreOpen, UnknownFormatVersionIsRefusedNamingBoth) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    { Store s = Store::init(path, StoreVariant::bigbrotr); }
    // Rewrite the version as a future brotr would.
    test::replace_raw(path, "meta", "format_version", "7");
    auto error = error_of([&] { Store::open(path); });
    EXPECT_NE(error.find("format 7.1, newer than this brotr's 2.1: upgrade brotr"), std::string::npos) << error;
}

TEST(StoreOpen, MissingOrForeignStoresAreRefused) {
    TempDir dir;
    auto missing = error_of([&] { Store::open((dir / "nothing").string()); });
    EXPECT_NE(missing.find("no brotr store"), std::string::npos) << missing;
    {
        rocksdb::Options o;
        o.create_if_missing = true;
        rocksdb::DB* db = nullptr;
        ASSERT_TRUE(rocksdb::DB::Open(o, (dir / "foreign").string(), &db).ok());
        delete db;
    }
    auto foreign = error_of([&] { Store::open((dir / "foreign").string()); });
    EXPECT_NE(foreign.find("not a brotr store"), std::string::npos) << foreign;
}

TEST(StoreOpen, OneWriterAtATime) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    Store writer = Store::init(path, StoreVariant::bigbrotr);
    auto error = error_of([&] { Store::open(path); });
    EXPECT_NE(error.find("already open"), std::string::npos) << error;
}

TEST(StoreOpen, ReadersSeeTheWriterAndCannotWrite) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    test::EventGenerator gen(3, 5);
    Store writer = Store::init(path, StoreVariant::bigbrotr);
    auto first = gen.batch(10);
    std::vector<EventWithRelay> items;
    for (const auto& e : first) items.push_back({e, nullptr, 0, false});
    writer.insert_events(items);

    StoreOptions ro;
    ro.mode = OpenMode::secondary;
    Store secondary = Store::open(path, ro);
    EXPECT_EQ(secondary.summary().events, 10u);
    auto second = gen.batch(5);
    items.clear();
    for (const auto& e : second) items.push_back({e, nullptr, 0, false});
    writer.insert_events(items);
    EXPECT_EQ(secondary.summary().events, 10u);  // until it catches up
    secondary.catch_up();
    EXPECT_EQ(secondary.summary().events, 15u);
    EXPECT_TRUE(secondary.get_event(second[4].id).has_value());
    EXPECT_TRUE(secondary.check().ok());
    EXPECT_THROW(secondary.insert_events(items), StoreError);
    EXPECT_THROW(secondary.put_service_state("x", "{}", 1), StoreError);

    ro.mode = OpenMode::read_only;
    Store reader = Store::open(path, ro);
    EXPECT_EQ(reader.summary().events, 15u);
    EXPECT_THROW(reader.insert_relay(*RelayUrl::parse("wss://x.example.com"), 1), StoreError);
}

TEST(StoreOpen, DataSurvivesReopen) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    test::EventGenerator gen(4, 5);
    auto events = gen.batch(20);
    {
        Store s = Store::init(path, StoreVariant::bigbrotr);
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, nullptr, 0, false});
        s.insert_events(items);
    }
    Store s = Store::open(path);
    for (const auto& e : events) EXPECT_EQ(*s.get_event(e.id), e);
    // Serials continue after the last one: new events do not overwrite old ones.
    auto more = gen.batch(5);
    std::vector<EventWithRelay> items;
    for (const auto& e : more) items.push_back({e, nullptr, 0, false});
    EXPECT_EQ(s.insert_events(items).stored, 5u);
    for (const auto& e : events) EXPECT_EQ(*s.get_event(e.id), e);
    EXPECT_TRUE(s.check().ok());
}

TEST(StoreOpen, BulkLoadInstanceWritesAStoreThatOpensNormally) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    Store::init(path, StoreVariant::bigbrotr);
    test::EventGenerator gen(5, 8);
    const auto events = gen.batch(300);
    const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
    StoreOptions bulk;
    bulk.bulk_load = true;
    {
        Store s = Store::open(path, bulk);
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, &relay, 1'700'000'000, false});
        EXPECT_EQ(s.insert_events(items).stored, events.size());
    }
    Store s = Store::open(path);
    for (const auto& e : events) EXPECT_EQ(*s.get_event(e.id), e);
    EXPECT_EQ(s.query_events({}).size(), events.size());
    EXPECT_TRUE(s.check().ok());

    bulk.mode = OpenMode::read_only;
    EXPECT_NE(error_of([&] { Store::open(path, bulk); }).find("bulk_load"), std::string::npos);
}

TEST(StoreVariantNames, RoundTrip) {
    EXPECT_EQ(store_variant_from_string("bigbrotr"), StoreVariant::bigbrotr);
    EXPECT_EQ(store_variant_from_string("lilbrotr"), StoreVariant::lilbrotr);
    EXPECT_FALSE(store_variant_from_string("medbrotr").has_value());
    EXPECT_EQ(to_string(StoreVariant::lilbrotr), "lilbrotr");
}

}  // namespace
}  // namespace brotr

namespace brotr {
namespace {

TEST(StoreOpen, StatisticsOnlyInstanceServesTheCountersAndRefusesTheRest) {
    TempDir dir;
    const std::string path = (dir / "store").string();
    {
        Store writer = Store::init(path, StoreVariant::bigbrotr);
        test::EventGenerator gen(7);
        std::vector<EventWithRelay> items;
        const auto events = gen.batch(50);
        for (const Event& e : events) items.push_back({e, nullptr, 0, false});
        ASSERT_EQ(writer.insert_events(items).stored, 50u);
    }

    StoreOptions options;
    options.mode = OpenMode::secondary;
    options.statistics_only = true;
    Store stats = Store::open(path, options);
    EXPECT_EQ(stats.summary().events, 50u);
    EXPECT_EQ(stats.events_statistics(test::EventGenerator::kDefaultNow).total_events, 50u);
    const std::string error = error_of([&] { stats.relays(); });
    EXPECT_NE(error.find("statistics only"), std::string::npos) << error;

    options.mode = OpenMode::read_write;
    EXPECT_NE(error_of([&] { Store::open(path, options); }).find("statistics_only"), std::string::npos);
}

}  // namespace
}  // namespace brotr
