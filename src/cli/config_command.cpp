// brotr config: the configuration, as the key tables declare it.
//   brotr config check [--config DIR]   load and validate DIR; exit 0, or 2 with the error
//   brotr config doc                    print docs/config.md (every file and key)
#include <cstdio>
#include <memory>
#include <string>

#include "brotr/config.hpp"
#include "brotr/config_reference.hpp"
#include "cli/commands.hpp"

namespace brotr::cli {

void add_config_command(CLI::App& app, CommandResult& result) {
    CLI::App* config = app.add_subcommand("config", "Check an implementation directory, or print the key reference");
    config->require_subcommand(1);

    auto dir = std::make_shared<std::string>("implementations/bigbrotr");
    CLI::App* check = config->add_subcommand("check", "Load and validate every file of a configuration directory");
    check->add_option("--config", *dir, "implementation directory")->capture_default_str();
    check->callback([dir, &result] {
        try {
            Config loaded = load_config(*dir);
            std::printf("config: ok %s (store %s, variant %s)\n", loaded.dir.c_str(),
                        loaded.brotr.store.path.c_str(), std::string(to_string(loaded.brotr.store.variant)).c_str());
            result.exit_code = kExitOk;
        } catch (const ConfigError& e) {
            std::fprintf(stderr, "brotr config: %s\n", e.what());
            result.exit_code = kExitUsage;
        }
    });

    CLI::App* doc = config->add_subcommand("doc", "Print every configuration key as Markdown (docs/config.md)");
    doc->callback([&result] {
        std::fputs(config_reference_markdown().c_str(), stdout);
        result.exit_code = kExitOk;
    });
}

}  // namespace brotr::cli
