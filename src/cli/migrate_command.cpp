// brotr migrate: convert a store of an older major format to this build's
// (docs/store-format.md, "Format versions"), keeping a copy of the store as
// it was. A store at this build's format is left as it is (exit 0).
#include <cstdio>
#include <memory>
#include <string>

#include "brotr/store.hpp"
#include "brotr/store_migrate.hpp"
#include "cli/store_commands.hpp"

namespace brotr::cli {
namespace {

struct MigrateOptions {
    std::string store{kDefaultStorePath};
    std::string copy_to;  // empty: <store>.before-migrate
};

int run_migrate(const MigrateOptions& o) {
    const std::string copy = o.copy_to.empty() ? o.store + ".before-migrate" : o.copy_to;
    try {
        const MigrationReport r = migrate_store(o.store, copy);
        if (!r.needed) {
            std::printf("migrate: %s is at format %u.%u already; nothing to do\n", o.store.c_str(), r.to_major,
                        r.to_minor);
            return kExitOk;
        }
        std::printf("migrate: %s from format %u.%u to %u.%u: %llu values converted; the store as it was is at %s "
                    "(remove it once the migrated store serves you)\n",
                    o.store.c_str(), r.from_major, r.from_minor, r.to_major, r.to_minor,
                    static_cast<unsigned long long>(r.rewritten), r.copy_path.c_str());
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr migrate: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_migrate_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<MigrateOptions>();
    auto* cmd = app.add_subcommand("migrate",
                                   "Convert a store of an older format to this brotr's, keeping a copy of it as it was");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    cmd->add_option("--copy-to", o->copy_to,
                    "where the copy of the store as it was goes (must not exist; default: <store>.before-migrate)");
    cmd->callback([o, &result] { result.exit_code = run_migrate(*o); });
}

}  // namespace brotr::cli
