// brotr restore: make a store from a backup (the newest, or --id N). A
// non-empty target is replaced only with --force, and only once the
// restored copy, made beside it, opens as a store.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "brotr/backup.hpp"
#include "cli/store_commands.hpp"

namespace brotr::cli {
namespace {

struct RestoreCommandOptions {
    std::string from;
    std::uint32_t id = 0;
    std::string store;
    bool force = false;
};

int run_restore(const RestoreCommandOptions& o) {
    try {
        const auto id = o.id ? std::optional<std::uint32_t>(o.id) : std::nullopt;
        const RestoreResult r = restore_backup(o.from, id, o.store, o.force);
        std::printf("restore: backup %u of %s (%s store, %llu bytes) into %s in %.2f s\n", r.backup.id,
                    utc_time(r.backup.created_at).c_str(), r.backup.variant.c_str(),
                    static_cast<unsigned long long>(r.backup.size), o.store.c_str(), r.seconds);
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr restore: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_restore_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<RestoreCommandOptions>();
    auto* cmd = app.add_subcommand("restore",
                                   "Restore a store from a backup directory (the newest backup, or --id). Refuses a "
                                   "non-empty store directory without --force.");
    cmd->add_option("--from", o->from, "backup directory")->required();
    cmd->add_option("--id", o->id, "backup to restore (see brotr backup --list); default: the newest")
        ->check(CLI::Range(1u, 0xffffffffu));
    cmd->add_option("--store", o->store, "store directory to restore into")->required();
    cmd->add_flag("--force", o->force, "replace a non-empty store directory (no process may hold it)");
    cmd->callback([o, &result] { result.exit_code = run_restore(*o); });
}

}  // namespace brotr::cli
