// brotr init: create the store, or check that the existing one is of the
// requested variant. The work is Store::init(); this is only its command line.
#include <cstdio>
#include <memory>
#include <string>

#include "brotr/store.hpp"
#include "cli/store_commands.hpp"

namespace brotr::cli {
namespace {

struct InitOptions {
    std::string store{kDefaultStorePath};
    std::string variant = "bigbrotr";
};

int run_init(const InitOptions& o) {
    try {
        bool created = false;
        Store store = Store::init(o.store, *store_variant_from_string(o.variant), &created);
        if (created)
            std::printf("created %s store at %s\n", o.variant.c_str(), o.store.c_str());
        else
            std::printf("%s store at %s already exists (%llu events, %llu relays)\n", o.variant.c_str(), o.store.c_str(),
                        static_cast<unsigned long long>(store.summary().events),
                        static_cast<unsigned long long>(store.summary().relays));
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr init: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_init_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<InitOptions>();
    auto* cmd = app.add_subcommand("init", "Create the store (safe to run again: an existing store is checked)");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    cmd->add_option("--variant", o->variant, "bigbrotr keeps full events; lilbrotr drops tags and content")
        ->check(CLI::IsMember({"bigbrotr", "lilbrotr"}))
        ->capture_default_str();
    cmd->callback([o, &result] { result.exit_code = run_init(*o); });
}

}  // namespace brotr::cli
