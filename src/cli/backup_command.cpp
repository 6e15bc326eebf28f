// brotr backup: back up a store no process holds into a backup directory
// (online and incremental: a second backup copies only the table files
// written since the first); --list shows the backups of a directory,
// --verify re-reads every file and compares its checksum. A store that
// `brotr run` holds is backed up by its backup service (docs/services.md,
// "Backup"): a backup needs the store opened for writing.
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "brotr/backup.hpp"
#include "brotr/store.hpp"
#include "cli/store_commands.hpp"

namespace brotr::cli {

std::string utc_time(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

namespace {

struct BackupCommandOptions {
    std::string store{kDefaultStorePath};
    std::string dir;
    std::uint32_t keep = 0;
    bool list = false;
    bool verify = false;
};

int run_backup(const BackupCommandOptions& o) {
    try {
        if (o.list) {
            const auto backups = list_backups(o.dir);
            if (backups.empty()) {
                std::printf("no backups in %s\n", o.dir.c_str());
                return kExitOk;
            }
            std::printf("%-6s %-20s %14s %14s %6s %s\n", "id", "created", "size_bytes", "new_bytes", "files", "store");
            for (const auto& b : backups)
                std::printf("%-6u %-20s %14llu %14llu %6u %s v%s\n", b.id, utc_time(b.created_at).c_str(),
                            static_cast<unsigned long long>(b.size), static_cast<unsigned long long>(b.new_bytes),
                            b.files, b.variant.c_str(), b.format_version.c_str());
            return kExitOk;
        }
        if (o.verify) {
            const auto checks = verify_backups(o.dir);
            std::size_t bad = 0;
            for (const auto& c : checks) {
                if (c.ok) {
                    std::printf("backup %u: ok\n", c.id);
                } else {
                    ++bad;
                    std::printf("backup %u: corrupt: %s\n", c.id, c.problem.c_str());
                }
            }
            if (bad) {
                std::fprintf(stderr, "brotr backup: error: %zu of %zu backups in %s failed verification\n", bad,
                             checks.size(), o.dir.c_str());
                return kExitFailure;
            }
            return kExitOk;
        }
        std::optional<Store> store;
        try {
            store.emplace(Store::open(o.store));
        } catch (const StoreBusyError&) {
            std::fprintf(stderr,
                         "brotr backup: error: store %s is open in another process; a backup needs it opened for "
                         "writing: stop brotr run, or let its backup service do it (backup: in brotr.yaml)\n",
                         o.store.c_str());
            return kExitFailure;
        }
        const BackupResult r = create_backup(*store, o.dir, o.keep);
        std::printf("backup %u of %s in %s: %llu bytes in %u files, %llu new; %u kept, %u purged; %.2f s\n",
                    r.backup.id, o.store.c_str(), o.dir.c_str(), static_cast<unsigned long long>(r.backup.size),
                    r.backup.files, static_cast<unsigned long long>(r.backup.new_bytes), r.kept, r.purged, r.seconds);
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr backup: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_backup_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<BackupCommandOptions>();
    auto* cmd = app.add_subcommand(
        "backup",
        "Back up a store into a backup directory (incremental: only files written since the last backup are "
        "copied). Needs the store to itself; a running `brotr run` backs up with its backup service instead. "
        "--list shows the backups, --verify checks their checksums.");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    cmd->add_option("--to,--dir", o->dir, "backup directory (created if missing)")->required();
    auto* keep = cmd->add_option("--keep", o->keep, "then delete the oldest backups, keeping this many (default: all)")
                     ->check(CLI::Range(1u, kMaxBackupsKept));
    auto* list = cmd->add_flag("--list", o->list, "list the backups: id, creation time, size, new bytes, files");
    auto* verify = cmd->add_flag("--verify", o->verify, "re-read every backup file and compare its checksum; exit 1 if any differs");
    list->excludes(verify)->excludes(keep);
    verify->excludes(keep);
    cmd->callback([o, &result] { result.exit_code = run_backup(*o); });
}

}  // namespace brotr::cli
