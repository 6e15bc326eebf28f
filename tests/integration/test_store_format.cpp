// The store format's lifecycle (docs/store-format.md, "Format versions"): a
// golden format-1 store made from fixed input is read as it is by read-only
// commands, refused by writers with the way out, and converted by `brotr
// migrate`, which keeps a copy; a newer major is refused with "upgrade
// brotr", a newer minor opened, an older minor noted as this build's.
#include <gtest/gtest.h>

#include <filesystem>

#include "brotr/hex.hpp"
#include "brotr/store.hpp"
#include "brotr/store_migrate.hpp"
#include "support/raw_store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

using test::brotr_bin;
using test::brotr_dump_bin;
using test::run_command;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Store open_read_only(const std::string& path) {
    StoreOptions o;
    o.mode = OpenMode::read_only;
    return Store::open(path, o);
}

class StoreFormat : public ::testing::Test {
protected:
    // The golden format-1 store: fixed events on a fixed relay, written by
    // this build, then rewritten the way format 1 kept them.
    void SetUp() override {
        Store s = Store::init(path, StoreVariant::bigbrotr);
        const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, &relay, 1000, false});
        ASSERT_EQ(s.insert_events(items).stored, events.size());
    }
    std::string store_text(const std::vector<std::string>& args) {
        std::vector<std::string> argv{brotr_bin().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        auto out = run_command(argv);
        EXPECT_EQ(out.exit_code, 0) << out.err;
        return out.out;
    }

    test::TempDir dir;
    std::string path = (dir / "store").string();
    test::EventGenerator gen{42, 10};
    std::vector<Event> events = gen.batch(120);
};

TEST_F(StoreFormat, AFormat1StoreIsReadAsItIsAndMigrated) {
    test::rewrite_as_format_1(path);

    // Writers refuse it, with the way out.
    {
        std::string error;
        try {
            Store::open(path);
        } catch (const StoreError& e) {
            error = e.what();
        }
        EXPECT_TRUE(contains(error, "format 1.0, older than this brotr's 2.1")) << error;
        EXPECT_TRUE(contains(error, "brotr migrate --store " + path)) << error;
        auto out = run_command({brotr_bin().string(), "import", "--store", path}, "");
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "brotr migrate")) << out.err;
    }
    // Read-only commands read it as it is.
    {
        Store s = open_read_only(path);
        EXPECT_EQ(s.format_major(), 1u);
        EXPECT_EQ(s.summary().events, events.size());
        EXPECT_EQ(s.get_event(events[7].id)->sig, events[7].sig);
        const auto presence = s.find_events(std::span<const Event>(events.data(), 3));
        for (auto p : presence) EXPECT_EQ(p, Store::Presence::same_sig);
    }
    const std::string jsonl = store_text({"export", "--store", path, "--limit", "1000"});
    EXPECT_EQ(std::count(jsonl.begin(), jsonl.end(), '\n'), static_cast<long>(events.size()));
    auto check = run_command({brotr_dump_bin().string(), "--store", path, "check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;

    // brotr migrate converts it and keeps the copy.
    const std::string out = store_text({"migrate", "--store", path});
    EXPECT_TRUE(contains(out, "from format 1.0 to 2.1: 120 values converted")) << out;
    EXPECT_TRUE(contains(out, path + ".before-migrate")) << out;
    {
        Store copy = open_read_only(path + ".before-migrate");
        EXPECT_EQ(copy.format_major(), 1u);
        EXPECT_EQ(copy.summary().events, events.size());
    }
    check = run_command({brotr_dump_bin().string(), "--store", path, "check"});
    EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
    {
        Store s = Store::open(path);
        EXPECT_EQ(s.format_major(), 2u);
        EXPECT_EQ(s.format_minor(), 1u);
        // Duplicates are known by their digest again: re-inserting stores nothing.
        const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
        std::vector<EventWithRelay> items;
        for (const auto& e : events) items.push_back({e, &relay, 1000, false});
        const auto r = s.insert_events(items);
        EXPECT_EQ(r.stored, 0u);
        EXPECT_EQ(r.duplicates, events.size());
        // And a new one is stored.
        const auto more = gen.batch(1);
        std::vector<EventWithRelay> one{{more[0], &relay, 2000, false}};
        EXPECT_EQ(s.insert_events(one).stored, 1u);
    }
    // Again: nothing to do.
    EXPECT_TRUE(contains(store_text({"migrate", "--store", path}), "at format 2.1 already; nothing to do"));
}

TEST_F(StoreFormat, MigrateRefusesToOverwriteACopy) {
    test::rewrite_as_format_1(path);
    std::filesystem::create_directories(dir / "taken");
    auto out = run_command({brotr_bin().string(), "migrate", "--store", path, "--copy-to", (dir / "taken").string()});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "exists already")) << out.err;
    EXPECT_EQ(open_read_only(path).format_major(), 1u);  // untouched
}

TEST_F(StoreFormat, NewerMajorRefusedNewerMinorOpenedOlderMinorNoted) {
    test::replace_raw(path, "meta", "format_version", "3");
    for (bool read_only : {true, false}) {
        std::string error;
        try {
            read_only ? open_read_only(path) : Store::open(path);
        } catch (const StoreError& e) {
            error = e.what();
        }
        EXPECT_TRUE(contains(error, "format 3.1, newer than this brotr's 2.1: upgrade brotr")) << error;
    }
    auto dump = run_command({brotr_dump_bin().string(), "--store", path, "stats"});
    EXPECT_NE(dump.exit_code, 0);
    EXPECT_TRUE(contains(dump.err, "upgrade brotr")) << dump.err;

    // 2.7: only additions a 2.1 reader may ignore; opened for writing, left at 7.
    test::replace_raw(path, "meta", "format_version", "2");
    test::replace_raw(path, "meta", "format_minor", "7");
    {
        Store s = Store::open(path);
        EXPECT_EQ(s.format_minor(), 7u);
    }
    EXPECT_EQ(open_read_only(path).format_minor(), 7u);

    // 2.0: a reader leaves it; a writer notes 2.1, whose additions it may now write.
    test::replace_raw(path, "meta", "format_minor", "0");
    EXPECT_EQ(open_read_only(path).format_minor(), 0u);
    { Store s = Store::open(path); }
    EXPECT_EQ(open_read_only(path).format_minor(), 1u);

    test::replace_raw(path, "meta", "format_minor", "x");
    EXPECT_THROW(open_read_only(path), StoreError);
}

}  // namespace
}  // namespace brotr
