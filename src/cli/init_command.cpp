// brotr init: create the store, or check that the existing one is of the
// requested variant. The work is Store::init(); this is only its command line.
// With --config DIR it is the Initializer of that implementation: the store
// and variant of DIR/brotr.yaml, then the relay registry seeded from the seed
// file of DIR/services/initializer.yaml.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "brotr/config.hpp"
#include "brotr/store.hpp"
#include "cli/store_commands.hpp"
#include "services/initializer.hpp"

namespace brotr::cli {
namespace {

struct InitOptions {
    std::string store{kDefaultStorePath};
    std::string variant = "bigbrotr";
    std::string config_dir;
};

void print_store(const Store& store, bool created) {
    const std::string variant(to_string(store.variant()));
    if (created) {
        std::printf("created %s store at %s\n", variant.c_str(), store.path().c_str());
    } else {
        const auto summary = store.summary();
        std::printf("%s store at %s already exists (%llu events, %llu relays)\n", variant.c_str(), store.path().c_str(),
                    static_cast<unsigned long long>(summary.events), static_cast<unsigned long long>(summary.relays));
    }
}

int run_initializer(const std::string& config_dir) {
    Config config;
    try {
        config = load_config(config_dir);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr init: config error: %s\n", e.what());
        return kExitUsage;
    }
    try {
        std::optional<Store> store;
        const auto report = services::initialize(config, &store);
        print_store(*store, report.created);
        if (report.seed) {
            const auto& s = *report.seed;
            std::printf("seeded %zu relays from %s (%zu new, %zu known, %zu invalid lines, %zu duplicate lines)\n",
                        s.valid, config.services.initializer.seed.file_path.c_str(), s.added, s.valid - s.added,
                        s.list.invalid, s.list.duplicates);
        } else {
            std::printf("seeding disabled (seed.enabled: false)\n");
        }
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr init: error: %s\n", e.what());
        return kExitFailure;
    }
}

int run_init(const InitOptions& o) {
    if (!o.config_dir.empty()) return run_initializer(o.config_dir);
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
    auto* store = cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    auto* variant = cmd->add_option("--variant", o->variant, "bigbrotr keeps full events; lilbrotr drops tags and content")
                        ->check(CLI::IsMember({"bigbrotr", "lilbrotr"}))
                        ->capture_default_str();
    cmd->add_option("--config", o->config_dir,
                    "implementation directory: its store and variant (brotr.yaml), and relays seeded from its seed "
                    "file (services/initializer.yaml)")
        ->excludes(store)
        ->excludes(variant);
    cmd->callback([o, &result] { result.exit_code = run_init(*o); });
}

}  // namespace brotr::cli
