// brotr run [service…] and brotr <service>: load and validate the
// implementation's config, open the store, run the services until
// SIGINT/SIGTERM (or one cycle each with --once), persist their state, flush
// the store. Exit codes: 0 ok (also after a signal), 1 a cycle of a run that
// ended on its own (--once, one-shot services) or the store failed, 2 bad
// arguments or config.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "brotr/config.hpp"
#include "brotr/log.hpp"
#include "brotr/store.hpp"
#include "cli/run_command.hpp"
#include "runtime/service_runner.hpp"
#include "services/service_factory.hpp"

namespace brotr::cli {
namespace {

struct RunOptions {
    std::vector<std::string> services;
    std::string config_dir;
    std::string log_level;
    bool once = false;
    double grace_seconds = 10;
    std::string shard;  // "i/n": overrides brotr.yaml's shard
};

std::string default_config_dir() {
    const char* env = std::getenv("BROTR_CONFIG");
    return env && *env ? env : "implementations/bigbrotr";
}

int run_services(const RunOptions& o, const char* command) {
    std::optional<log::Level> cli_level;
    if (!o.log_level.empty()) cli_level = log::level_from_string(o.log_level);

    Config config;
    try {
        config = load_config(o.config_dir);
    } catch (const ConfigError& e) {
        std::fprintf(stderr, "brotr %s: config error: %s\n", command, e.what());
        return kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr %s: config error: %s\n", command, e.what());
        return kExitUsage;
    }
    if (!o.shard.empty()) {
        try {
            config.brotr.shard = parse_shard(o.shard);
        } catch (const std::invalid_argument& e) {
            std::fprintf(stderr, "brotr %s: --shard: %s\n", command, e.what());
            return kExitUsage;
        }
    }
    log::set_level(cli_level.value_or(config.brotr.logging.level));

    for (const auto& name : o.services) {
        if (!services::find_service(name)) {
            std::fprintf(stderr, "brotr %s: unknown service '%s'\n", command, name.c_str());
            return kExitUsage;
        }
    }

    std::optional<Store> store;
    try {
        const auto& sc = config.brotr.store;
        bool created = false;
        store.emplace(Store::init(sc.path.string(), sc.variant, &created));
        log::info("runtime", created ? "store_created" : "store_opened",
                  {{"path", sc.path.string()}, {"variant", to_string(sc.variant)}});
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr %s: cannot open the store: %s\n", command, e.what());
        return kExitFailure;
    }

    int exit_code = kExitOk;
    try {
        runtime::RunnerOptions runner_options;
        runner_options.once = o.once;
        runner_options.grace_period = std::chrono::seconds(static_cast<std::int64_t>(o.grace_seconds));
        runtime::RunSummary summary;
        {
            runtime::ServiceRunner runner(runner_options);
            std::string names;
            for (auto& service : services::build_services({config, *store, runner.io(), o.once}, o.services)) {
                if (!names.empty()) names += ',';
                names += service->name();
                runner.add(std::move(service));
            }
            log::info("runtime", "started",
                      {{"services", names}, {"config", config.dir.string()}, {"once", o.once},
                       {"threads", runner_options.threads},
                       {"shard", std::to_string(config.brotr.shard.index) + "/" +
                                     std::to_string(config.brotr.shard.count)}});
            summary = runner.run();
        }  // services and their pools end here, before the store is flushed
        store->flush();
        log::info("runtime", "stopped",
                  {{"cycles", summary.cycles}, {"failed_cycles", summary.failed_cycles},
                   {"interrupted", summary.interrupted}, {"abandoned_work", summary.abandoned_work}});
        // The runner ends on its own only with --once or one-shot services:
        // then a failed cycle is the command's failure. After a signal, 0.
        if (!summary.interrupted && summary.failed_cycles > 0) exit_code = kExitFailure;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr %s: error: %s\n", command, e.what());
        exit_code = kExitFailure;
    }
    return exit_code;
}

void add_common_options(CLI::App* cmd, RunOptions& o) {
    cmd->add_option("--config", o.config_dir,
                    "implementation directory holding brotr.yaml and services/*.yaml (default: $BROTR_CONFIG, "
                    "else implementations/bigbrotr)");
    cmd->add_option("--log-level", o.log_level, "trace, debug, info, warn, error or off (default: brotr.yaml's logging.level)")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}, CLI::ignore_case));
    cmd->add_flag("--once", o.once, "run one cycle of each service, then exit (for cron and tests)");
    cmd->add_option("--shard", o.shard,
                    "INDEX/COUNT: sync only the relays of this shard, one of COUNT nodes (overrides brotr.yaml's "
                    "shard; docs/services.md)");
    cmd->add_option("--grace", o.grace_seconds,
                    "seconds in-flight work may take to finish after SIGINT/SIGTERM before it is abandoned")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
}

}  // namespace

void add_run_commands(CLI::App& app, CommandResult& result) {
    auto run = std::make_shared<RunOptions>();
    auto* cmd = app.add_subcommand("run", "Run services in one process until SIGINT/SIGTERM (default: every enabled one)");
    std::string names;
    for (const auto& entry : services::service_registry()) {
        if (!names.empty()) names += ", ";
        names += entry.name;
    }
    cmd->add_option("service", run->services, "services to run: " + names);
    add_common_options(cmd, *run);
    cmd->callback([run, &result] {
        if (run->config_dir.empty()) run->config_dir = default_config_dir();
        result.exit_code = run_services(*run, "run");
    });

    for (const auto& entry : services::service_registry()) {
        if (!entry.generic_command) continue;
        auto o = std::make_shared<RunOptions>();
        o->services = {std::string(entry.name)};
        auto* sub = app.add_subcommand(std::string(entry.name),
                                       std::string(entry.description) + " (alone; --once for one cycle)");
        add_common_options(sub, *o);
        const std::string command(entry.name);
        sub->callback([o, command, &result] {
            if (o->config_dir.empty()) o->config_dir = default_config_dir();
            result.exit_code = run_services(*o, command.c_str());
        });
    }
}

}  // namespace brotr::cli
