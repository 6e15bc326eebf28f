// The changelog's consumers and retention (Store::trim_changelog_by_policy):
// entries go only when they are older than the retention and every
// registered consumer has read them; consumers survive a reopen; a read-only
// instance sees them.
#include <gtest/gtest.h>

#include "brotr/store.hpp"
#include "support/test_env.hpp"

namespace brotr {
namespace {

using test::TempDir;

// `n` changelog entries (service-state versions), numbered after what is there.
void write_entries(Store& store, int n) {
    for (int i = 0; i < n; ++i) store.put_service_state("s", "{\"i\":" + std::to_string(i) + "}", i);
}

TEST(ChangelogPolicy, WithoutConsumersEntriesGoOnceOlderThanTheRetention) {
    TempDir dir;
    Store store = Store::init((dir / "s").string(), StoreVariant::bigbrotr);
    write_entries(store, 10);
    // t=1000: the head (10) is noted; nothing is older than an hour yet.
    EXPECT_EQ(store.trim_changelog_by_policy(1000, 3600), 0u);
    write_entries(store, 5);
    EXPECT_EQ(store.trim_changelog_by_policy(2000, 3600), 0u);
    // t=4600: the head at t<=1000 was 10, so entries 1..10 are an hour old.
    EXPECT_EQ(store.trim_changelog_by_policy(4600, 3600), 10u);
    EXPECT_EQ(store.read_changelog(0, 100).front().seq, 11u);
    EXPECT_EQ(store.changelog_status().entries(), 5u);
    // t=5600: the head at t<=2000 was 15.
    EXPECT_EQ(store.trim_changelog_by_policy(5600, 3600), 15u);
    EXPECT_TRUE(store.read_changelog(0, 100).empty());
    EXPECT_EQ(store.changelog_head(), 15u);
}

TEST(ChangelogPolicy, ConsumersHoldEntriesBackUntilEachHasReadThem) {
    TempDir dir;
    const std::string path = (dir / "s").string();
    {
        Store store = Store::init(path, StoreVariant::bigbrotr);
        write_entries(store, 20);
        store.set_changelog_consumer("exporter:edge-1", 12, 100);
        store.set_changelog_consumer("finder", 7, 100);
        // Retention 0: everything read by every consumer goes, here 1..7.
        EXPECT_EQ(store.trim_changelog_by_policy(200, 0), 7u);
        store.set_changelog_consumer("finder", 20, 300);
        EXPECT_EQ(store.trim_changelog_by_policy(300, 0), 12u);
    }
    // Consumers are kept across a reopen, and a read-only instance lists them.
    StoreOptions read_only;
    read_only.mode = OpenMode::read_only;
    {
        Store reader = Store::open(path, read_only);
        const ChangelogStatus status = reader.changelog_status();
        EXPECT_EQ(status.head, 20u);
        EXPECT_EQ(status.trimmed_to, 12u);
        ASSERT_EQ(status.consumers.size(), 2u);
        EXPECT_EQ(status.consumers[0].name, "exporter:edge-1");
        EXPECT_EQ(status.consumers[0].cursor, 12u);
        EXPECT_EQ(status.consumers[1].name, "finder");
        EXPECT_EQ(status.consumers[1].updated_at, 300);
        EXPECT_THROW(reader.set_changelog_consumer("x", 1, 1), StoreError);
    }
    Store store = Store::open(path);
    // A consumer gone for good no longer holds the others back once dropped.
    EXPECT_TRUE(store.drop_changelog_consumer("exporter:edge-1"));
    EXPECT_FALSE(store.drop_changelog_consumer("exporter:edge-1"));
    EXPECT_EQ(store.trim_changelog_by_policy(400, 0), 20u);
    EXPECT_EQ(store.changelog_status().entries(), 0u);
    // Numbering goes on after everything was trimmed.
    write_entries(store, 1);
    EXPECT_EQ(store.read_changelog(0, 10).at(0).seq, 21u);
}

TEST(ChangelogPolicy, RetentionAndConsumersTogetherKeepTheLaterOfTheTwo) {
    TempDir dir;
    Store store = Store::init((dir / "s").string(), StoreVariant::bigbrotr);
    write_entries(store, 10);
    store.set_changelog_consumer("finder", 10, 0);
    EXPECT_EQ(store.trim_changelog_by_policy(1000, 3600), 0u);  // read, but not an hour old
    write_entries(store, 10);
    EXPECT_EQ(store.trim_changelog_by_policy(5000, 3600), 10u);  // an hour old and read
    EXPECT_EQ(store.trim_changelog_by_policy(9000, 3600), 10u);  // 11..20 are old, not read
}

TEST(ChangelogPolicy, ConsumerNamesAreBounded) {
    TempDir dir;
    Store store = Store::init((dir / "s").string(), StoreVariant::bigbrotr);
    EXPECT_THROW(store.set_changelog_consumer("", 1, 1), std::invalid_argument);
    EXPECT_THROW(store.set_changelog_consumer(std::string(129, 'x'), 1, 1), std::invalid_argument);
    EXPECT_TRUE(store.changelog_status().consumers.empty());
}

TEST(ChangelogPolicy, ReservingKeepsAnExistingCursor) {
    TempDir dir;
    Store store = Store::init((dir / "s").string(), StoreVariant::bigbrotr);
    write_entries(store, 6);
    // First use registers at the given cursor, and holds the entries after it.
    EXPECT_EQ(store.reserve_changelog_consumer("exporter:a", 2, 100), 2u);
    EXPECT_EQ(store.trim_changelog_by_policy(200, 0), 2u);
    // A later reservation (the next start) keeps what the consumer read.
    store.set_changelog_consumer("exporter:a", 5, 300);
    EXPECT_EQ(store.reserve_changelog_consumer("exporter:a", 0, 400), 5u);
    const ChangelogStatus status = store.changelog_status();
    ASSERT_EQ(status.consumers.size(), 1u);
    EXPECT_EQ(status.consumers[0].cursor, 5u);
    EXPECT_EQ(status.consumers[0].updated_at, 300);
    EXPECT_THROW(store.reserve_changelog_consumer("", 0, 400), std::invalid_argument);
}

}  // namespace
}  // namespace brotr
