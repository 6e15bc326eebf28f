// Backups (brotr/backup.hpp) of a store that is being written: a backup
// taken while a thread inserts restores into a store that passes
// Store::check and holds every event committed before the backup began;
// later backups share files; keep purges; verification finds a flipped
// byte; restore refuses a non-empty target without force and picks --id.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "brotr/backup.hpp"
#include "brotr/store.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

namespace fs = std::filesystem;

void insert(Store& store, const std::vector<Event>& events, const RelayUrl& relay) {
    std::vector<EventWithRelay> items;
    for (const auto& e : events) items.push_back({e, &relay, 1000, false});
    store.insert_events(items);
}

std::uint64_t events_in(const std::string& path) {
    StoreOptions o;
    o.mode = OpenMode::read_only;
    return Store::open(path, o).summary().events;
}

// Throws BackupError whose message contains `text`.
template <class F>
void expect_backup_error(F f, const std::string& text) {
    try {
        f();
        ADD_FAILURE() << "no BackupError; expected one saying: " << text;
    } catch (const BackupError& e) {
        EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
}

class StoreBackup : public ::testing::Test {
protected:
    test::TempDir dir;
    std::string store_path = (dir / "store").string();
    std::string backups = (dir / "backups").string();
    test::EventGenerator gen{21, 40};
    RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
};

TEST_F(StoreBackup, ABackupDuringInsertsRestoresToAConsistentStoreWithEveryEarlierEvent) {
    Store store = Store::init(store_path, StoreVariant::bigbrotr);
    const auto before = gen.batch(1500);
    insert(store, before, relay);
    // Made up front: signing in the loop would slow the writer more than the store.
    std::vector<std::vector<Event>> batches;
    for (int i = 0; i < 200; ++i) batches.push_back(gen.batch(20));

    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        const RelayUrl other = *RelayUrl::parse("wss://other.example.com");
        for (const auto& batch : batches) {
            if (stop) break;
            insert(store, batch, other);
            ++written;
        }
    });
    while (written < 2) std::this_thread::yield();
    const int at_start = written.load();
    const BackupResult r = create_backup(store, backups, 0);
    const int at_end = written.load();
    stop = true;
    writer.join();
    EXPECT_GT(at_end, at_start) << "the writer should have committed batches while the backup ran";

    EXPECT_EQ(r.backup.id, 1u);
    EXPECT_EQ(r.kept, 1u);
    EXPECT_GT(r.backup.size, 0u);
    EXPECT_EQ(r.backup.new_bytes, r.backup.size);  // the first backup copies everything
    EXPECT_EQ(r.backup.variant, "bigbrotr");
    EXPECT_EQ(r.backup.format_version, "2");
    const std::uint64_t final_events = store.summary().events;

    const std::string restored = (dir / "restored").string();
    const RestoreResult rr = restore_backup(backups, std::nullopt, restored, false);
    EXPECT_EQ(rr.backup.id, 1u);
    Store copy = Store::open(restored);
    const CheckReport check = copy.check();
    EXPECT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems.front());
    // Every event committed before the backup began, and the batches that
    // completed before it began (at_start of them).
    for (const auto& e : before) ASSERT_TRUE(copy.get_event(e.id)) << "an event stored before the backup is missing";
    for (int i = 0; i < at_start; ++i)
        for (const auto& e : batches[i]) ASSERT_TRUE(copy.get_event(e.id)) << "batch " << i << " is missing";
    const std::uint64_t restored_events = copy.summary().events;
    EXPECT_GE(restored_events, before.size() + static_cast<std::size_t>(at_start) * 20);
    EXPECT_LE(restored_events, final_events);
    // The counters are those of a recount (check), and agree with the rows.
    EXPECT_EQ(check.events, restored_events);
    // A batch is in the backup whole or not at all.
    for (const auto& batch : batches) {
        std::size_t present = 0;
        for (const auto& e : batch) present += copy.get_event(e.id).has_value();
        EXPECT_TRUE(present == 0 || present == batch.size()) << present << " of a batch of " << batch.size();
    }
    // The restored store takes writes.
    insert(copy, gen.batch(5), relay);
    EXPECT_EQ(copy.summary().events, restored_events + 5);
}

TEST_F(StoreBackup, ASecondBackupSharesTheUnchangedFilesAndKeepPurgesTheOldest) {
    Store store = Store::init(store_path, StoreVariant::bigbrotr);
    insert(store, gen.batch(1000), relay);
    const BackupResult first = create_backup(store, backups, 3);
    insert(store, gen.batch(20), relay);
    const BackupResult second = create_backup(store, backups, 3);
    EXPECT_EQ(second.backup.id, 2u);
    EXPECT_GT(second.backup.size, first.backup.size / 2);
    EXPECT_LT(second.backup.new_bytes, first.backup.new_bytes);
    EXPECT_LT(second.backup.new_bytes, second.backup.size);  // most of it shared with the first
    EXPECT_EQ(second.purged, 0u);

    auto list = list_backups(backups);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, 1u);
    EXPECT_EQ(list[0].size, first.backup.size);
    EXPECT_EQ(list[1].new_bytes, second.backup.new_bytes);
    EXPECT_EQ(list[1].files, second.backup.files);
    EXPECT_GE(list[1].created_at, list[0].created_at);

    create_backup(store, backups, 3);
    const BackupResult fourth = create_backup(store, backups, 3);
    EXPECT_EQ(fourth.purged, 1u);
    EXPECT_EQ(fourth.kept, 3u);
    const BackupResult fifth = create_backup(store, backups, 1);
    EXPECT_EQ(fifth.purged, 3u);
    list = list_backups(backups);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].id, 5u);
    // Its shared files outlived the backups that first copied them.
    EXPECT_EQ(list[0].new_bytes, list[0].size);
    for (const auto& c : verify_backups(backups)) EXPECT_TRUE(c.ok) << c.id << ": " << c.problem;
}

TEST_F(StoreBackup, VerifyFindsAFlippedByteInATableFile) {
    {
        Store store = Store::init(store_path, StoreVariant::lilbrotr);
        insert(store, gen.batch(300), relay);
        create_backup(store, backups, 0);
        insert(store, gen.batch(10), relay);
        create_backup(store, backups, 0);
    }
    auto checks = verify_backups(backups);
    ASSERT_EQ(checks.size(), 2u);
    EXPECT_TRUE(checks[0].ok && checks[1].ok);

    // The largest table file: shared by both backups.
    fs::path victim;
    for (const auto& f : fs::recursive_directory_iterator(backups))
        if (f.path().extension() == ".sst" && (victim.empty() || f.file_size() > fs::file_size(victim))) victim = f.path();
    ASSERT_FALSE(victim.empty());
    {
        std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(100);
        char c = 0;
        file.read(&c, 1);
        c = static_cast<char>(c ^ 0x20);
        file.seekp(100);
        file.write(&c, 1);
    }
    checks = verify_backups(backups);
    ASSERT_EQ(checks.size(), 2u);
    for (const auto& c : checks) {
        EXPECT_FALSE(c.ok) << "backup " << c.id;
        EXPECT_NE(c.problem.find("hecksum"), std::string::npos) << c.problem;
    }
}

TEST_F(StoreBackup, RestoreRefusesANonEmptyStoreWithoutForceAndPicksTheBackupAsked) {
    {
        Store store = Store::init(store_path, StoreVariant::bigbrotr);
        insert(store, gen.batch(100), relay);
        create_backup(store, backups, 0);
        insert(store, gen.batch(50), relay);
        create_backup(store, backups, 0);
        insert(store, gen.batch(25), relay);
    }
    expect_backup_error([&] { restore_backup(backups, 1, store_path, false); }, "is not empty");
    EXPECT_EQ(events_in(store_path), 175u);  // untouched

    // An empty directory is no store to lose.
    fs::create_directories(dir / "empty");
    restore_backup(backups, 1, (dir / "empty").string(), false);
    EXPECT_EQ(events_in((dir / "empty").string()), 100u);

    const RestoreResult r = restore_backup(backups, 1, store_path, true);
    EXPECT_EQ(r.backup.id, 1u);
    EXPECT_EQ(events_in(store_path), 100u);
    restore_backup(backups, std::nullopt, store_path, true);
    EXPECT_EQ(events_in(store_path), 150u);
    EXPECT_TRUE(Store::open(store_path).check().ok());
    // Nothing left beside it.
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
    EXPECT_EQ(entries, 3u);  // store, backups, empty
}

TEST_F(StoreBackup, BadInputsAreRefusedWithClearErrors) {
    Store store = Store::init(store_path, StoreVariant::bigbrotr);
    insert(store, gen.batch(10), relay);
    expect_backup_error([&] { list_backups((dir / "missing").string()); }, "no backup directory at");
    expect_backup_error([&] { verify_backups((dir / "missing").string()); }, "no backup directory at");
    expect_backup_error([&] { restore_backup((dir / "missing").string(), std::nullopt, (dir / "r").string(), false); },
                        "no backup directory at");
    fs::create_directories(dir / "nothing");
    expect_backup_error([&] { list_backups((dir / "nothing").string()); }, "no backups in");
    expect_backup_error([&] { verify_backups((dir / "nothing").string()); }, "no backups in");
    expect_backup_error([&] { restore_backup((dir / "nothing").string(), std::nullopt, (dir / "r").string(), false); },
                        "no backups in");
    expect_backup_error([&] { create_backup(store, backups, kMaxBackupsKept + 1); }, "keep must be 1 to 1000");
    expect_backup_error([&] { create_backup(store, store_path + "/backups", 0); }, "is inside the store");

    create_backup(store, backups, 0);
    create_backup(store, backups, 0);
    expect_backup_error([&] { restore_backup(backups, 9, (dir / "r").string(), false); },
                        "no backup 9 in " + backups + "; it holds 1, 2");
    EXPECT_FALSE(fs::exists(dir / "r"));
    // The open store may not be replaced, even with force.
    expect_backup_error([&] { restore_backup(backups, 1, store_path, true); }, "is open in another process");
    EXPECT_EQ(store.summary().events, 10u);
    test::write_file(dir / "a-file", "x");
    expect_backup_error([&] { restore_backup(backups, 1, (dir / "a-file").string(), true); }, "is not a directory");
}

TEST_F(StoreBackup, AStopRequestEndsABackupUnfinishedAndTheNextOneCleansUp) {
    Store store = Store::init(store_path, StoreVariant::bigbrotr);
    insert(store, gen.batch(6000), relay);  // an events file of more than the MiB between two asks
    int asked = 0;
    const BackupResult stopped = create_backup(store, backups, 0, [&] { return ++asked > 0; });
    EXPECT_TRUE(stopped.stopped);
    EXPECT_GE(asked, 1);
    EXPECT_EQ(stopped.backup.id, 0u);
    EXPECT_TRUE(list_backups(backups).empty());
    const BackupResult r = create_backup(store, backups, 0, [] { return false; });
    EXPECT_FALSE(r.stopped);
    EXPECT_EQ(r.kept, 1u);
    for (const auto& c : verify_backups(backups)) EXPECT_TRUE(c.ok) << c.problem;
}

TEST_F(StoreBackup, AReadOnlyStoreCannotBeBackedUp) {
    { Store::init(store_path, StoreVariant::bigbrotr); }
    StoreOptions o;
    o.mode = OpenMode::read_only;
    Store store = Store::open(store_path, o);
    EXPECT_THROW(create_backup(store, backups, 0), StoreError);
}

}  // namespace
}  // namespace brotr
