// brotr backup and brotr restore as child processes, and the backup service
// of a real `brotr run`: round trip to a store brotr-dump check finds clean,
// --list, --verify finding a flipped byte, restore refusing a non-empty
// store without --force and picking --id, and a clear error for every bad
// input.
#include <signal.h>

#include <chrono>
#include <fstream>

#include <gtest/gtest.h>

#include "brotr/backup.hpp"
#include "brotr/store.hpp"
#include "support/brotr_process.hpp"
#include "support/test_env.hpp"
#include "unit/test_store_fixtures.hpp"

namespace brotr {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::brotr_bin;
using test::run_command;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class BackupCli : public ::testing::Test {
protected:
    void SetUp() override { add_events(200); }
    void add_events(std::size_t n) {
        Store s = Store::init(store, StoreVariant::bigbrotr);
        const RelayUrl relay = *RelayUrl::parse("wss://relay.example.com");
        std::vector<EventWithRelay> items;
        for (const auto& e : gen.batch(n)) items.push_back({e, &relay, 1000, false});
        s.insert_events(items);
    }
    std::uint64_t events_in(const std::string& path) {
        StoreOptions o;
        o.mode = OpenMode::read_only;
        return Store::open(path, o).summary().events;
    }
    test::CommandOutput brotr(std::vector<std::string> args) {
        args.insert(args.begin(), brotr_bin().string());
        return run_command(args);
    }
    test::CommandOutput backup(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"backup", "--store", store, "--to", backups};
        args.insert(args.end(), extra.begin(), extra.end());
        return brotr(args);
    }

    test::TempDir dir;
    std::string store = (dir / "store").string();
    std::string backups = (dir / "backups").string();
    test::EventGenerator gen{5, 20};
};

TEST_F(BackupCli, BackupListVerifyRestoreAndCheck) {
    auto out = backup();
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(contains(out.out, "backup 1 of " + store + " in " + backups + ": ")) << out.out;
    add_events(30);
    out = backup({"--keep", "5"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(contains(out.out, "backup 2 of ")) << out.out;
    EXPECT_TRUE(contains(out.out, "2 kept, 0 purged")) << out.out;

    out = brotr({"backup", "--list", "--dir", backups});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(contains(out.out, "size_bytes")) << out.out;
    const auto listed = list_backups(backups);
    ASSERT_EQ(listed.size(), 2u);
    for (const auto& b : listed)
        EXPECT_TRUE(contains(out.out, std::to_string(b.size) + " ")) << out.out;
    EXPECT_TRUE(contains(out.out, "bigbrotr v2")) << out.out;
    EXPECT_LT(listed[1].new_bytes, listed[0].new_bytes);

    out = brotr({"backup", "--verify", "--dir", backups});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(out.out, "backup 1: ok\nbackup 2: ok\n");

    const std::string restored = (dir / "restored").string();
    out = brotr({"restore", "--from", backups, "--store", restored});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(contains(out.out, "restore: backup 2 of ")) << out.out;
    EXPECT_EQ(events_in(restored), 230u);
    out = run_command({test::brotr_dump_bin().string(), "--store", restored, "check"});
    EXPECT_EQ(out.exit_code, 0) << out.out << out.err;

    // --id picks that backup; onto a non-empty store only with --force.
    out = brotr({"restore", "--from", backups, "--id", "1", "--store", restored});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "brotr restore: error: store " + restored + " is not empty")) << out.err;
    EXPECT_TRUE(contains(out.err, "--force")) << out.err;
    EXPECT_EQ(events_in(restored), 230u);  // untouched
    out = brotr({"restore", "--from", backups, "--id", "1", "--store", restored, "--force"});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(contains(out.out, "restore: backup 1 of ")) << out.out;
    EXPECT_EQ(events_in(restored), 200u);
    out = run_command({test::brotr_dump_bin().string(), "--store", restored, "check"});
    EXPECT_EQ(out.exit_code, 0) << out.out << out.err;
}

TEST_F(BackupCli, VerifyReportsAFlippedByteAndExitsOne) {
    ASSERT_EQ(backup().exit_code, 0);
    fs::path victim;
    for (const auto& f : fs::recursive_directory_iterator(backups))
        if (f.path().extension() == ".sst" && (victim.empty() || f.file_size() > fs::file_size(victim))) victim = f.path();
    ASSERT_FALSE(victim.empty());
    {
        std::fstream file(victim, std::ios::in | std::ios::out | std::ios::binary);
        file.seekg(64);
        char c = 0;
        file.read(&c, 1);
        c = static_cast<char>(c ^ 1);
        file.seekp(64);
        file.write(&c, 1);
    }
    auto out = brotr({"backup", "--verify", "--dir", backups});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.out, "backup 1: corrupt: ")) << out.out;
    EXPECT_TRUE(contains(out.out, "hecksum")) << out.out;
    EXPECT_TRUE(contains(out.err, "brotr backup: error: 1 of 1 backups in " + backups + " failed verification")) << out.err;
}

TEST_F(BackupCli, BadInputsGetClearErrors) {
    const std::string missing = (dir / "missing").string();
    auto out = brotr({"backup", "--list", "--dir", missing});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "brotr backup: error: no backup directory at " + missing)) << out.err;
    out = brotr({"backup", "--verify", "--dir", missing});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "no backup directory at " + missing)) << out.err;
    out = brotr({"restore", "--from", missing, "--store", (dir / "r").string()});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "brotr restore: error: no backup directory at " + missing)) << out.err;

    out = backup({"--keep", "0"});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "--keep")) << out.err;
    EXPECT_FALSE(fs::exists(backups));
    out = brotr({"backup", "--store", store});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "--to")) << out.err;
    out = brotr({"restore", "--from", backups});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "--store")) << out.err;
    out = brotr({"backup", "--store", (dir / "nostore").string(), "--to", backups});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "no brotr store at")) << out.err;

    ASSERT_EQ(backup().exit_code, 0);
    out = brotr({"restore", "--from", backups, "--id", "9", "--store", (dir / "r").string()});
    EXPECT_EQ(out.exit_code, 1);
    EXPECT_TRUE(contains(out.err, "brotr restore: error: no backup 9 in " + backups + "; it holds 1")) << out.err;
    EXPECT_FALSE(fs::exists(dir / "r"));
    out = brotr({"restore", "--from", backups, "--id", "0", "--store", (dir / "r").string()});
    EXPECT_EQ(out.exit_code, 2);

    // A store another process holds: the backup service's job.
    {
        Store held = Store::open(store);
        out = backup();
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "is open in another process")) << out.err;
        EXPECT_TRUE(contains(out.err, "stop brotr run, or let its backup service do it")) << out.err;
        out = brotr({"restore", "--from", backups, "--store", store, "--force"});
        EXPECT_EQ(out.exit_code, 1);
        EXPECT_TRUE(contains(out.err, "is open in another process")) << out.err;
        EXPECT_EQ(held.summary().events, 200u);
    }
    EXPECT_EQ(list_backups(backups).size(), 1u);
}

// An implementation directory with only the store, the changelog and the backup service.
fs::path write_config(const test::TempDir& dir, const std::string& backup_yaml) {
    const fs::path root = dir / "impl";
    fs::create_directories(root / "services");
    test::write_file(root / "brotr.yaml", "store:\n  path: store\n  variant: bigbrotr\nlogging:\n  level: info\n" + backup_yaml);
    test::write_file(root / "services/initializer.yaml", "seed:\n  enabled: false\n");
    for (const char* s : {"finder", "monitor", "synchronizer"})
        test::write_file(root / "services" / (std::string(s) + ".yaml"), "enabled: false\n");
    return root;
}

TEST_F(BackupCli, TheBackupServiceOfBrotrRunBacksUpOnItsInterval) {
    const fs::path root = write_config(dir, "backup:\n  enabled: true\n  directory: backups\n  interval: 10\n  keep: 1\n");
    fs::rename(store, root / "store");  // the 200 events
    const std::string run_backups = (root / "backups").string();
    test::BrotrProcess run({"run", "--config", root.string()}, dir / "run.log");
    ASSERT_TRUE(run.wait_for_log("backup: cycle_completed backup_id=1", 30s)) << run.log();
    const auto first = std::chrono::steady_clock::now();
    ASSERT_TRUE(run.wait_for_log("backup: cycle_completed backup_id=2", 30s)) << run.log();
    EXPECT_GE(std::chrono::steady_clock::now() - first, 9s) << "the second backup came before its interval";
    EXPECT_TRUE(contains(run.log(), "purged=1")) << run.log();
    run.signal(SIGTERM);
    auto code = run.wait(30s);
    ASSERT_TRUE(code.has_value()) << run.log();
    EXPECT_EQ(*code, 0) << run.log();

    const auto listed = list_backups(run_backups);
    ASSERT_EQ(listed.size(), 1u);  // keep: 1
    EXPECT_EQ(listed[0].id, 2u);
    const std::string restored = (dir / "restored").string();
    auto out = brotr({"restore", "--from", run_backups, "--store", restored});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_EQ(events_in(restored), 200u);
    out = run_command({test::brotr_dump_bin().string(), "--store", restored, "check"});
    EXPECT_EQ(out.exit_code, 0) << out.out << out.err;
}

TEST_F(BackupCli, BadBackupConfigStopsStartUp) {
    fs::path root = write_config(dir, "backup:\n  enabled: true\n  interval: 5\n");
    auto out = brotr({"config", "check", "--config", root.string()});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "brotr.yaml: backup.interval: value 5 is out of range; allowed 10 to 2592000")) << out.err;
    out = brotr({"run", "--config", root.string(), "--once"});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "backup.interval")) << out.err;

    root = write_config(dir, "backup:\n  enabled: true\n  keep: 0\n");
    out = brotr({"config", "check", "--config", root.string()});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "backup.keep: value 0 is out of range; allowed 1 to 1000")) << out.err;

    root = write_config(dir, "backup:\n  enabled: true\n  directory: store/backups\n");
    out = brotr({"config", "check", "--config", root.string()});
    EXPECT_EQ(out.exit_code, 2);
    EXPECT_TRUE(contains(out.err, "backup.directory")) << out.err;
    EXPECT_TRUE(contains(out.err, "inside it")) << out.err;
}

}  // namespace
}  // namespace brotr
