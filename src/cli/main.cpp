// brotr: the command-line entry point. Each subcommand lives in its own file.
#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "cli/run_command.hpp"
#include "cli/pg_commands.hpp"
#include "cli/store_commands.hpp"
#include "util/metrics.hpp"

int main(int argc, char** argv) {
    CLI::App app{"brotr: a Nostr network archiver (relay discovery, NIP-11/NIP-66 monitoring, "
                 "verified event archive in an embedded RocksDB store, PostgreSQL export)"};
    app.set_version_flag("--version", "brotr " BROTR_VERSION);
    app.require_subcommand(1);
    brotr::metrics::registry()
        .gauge("brotr_build_info", "Always 1; the labels name the build.", {{"version", BROTR_VERSION}})
        .set(1);
    brotr::cli::CommandResult result;
    brotr::cli::add_verify_command(app, result);
    brotr::cli::add_init_command(app, result);
    brotr::cli::add_run_commands(app, result);
    brotr::cli::add_import_command(app, result);
    brotr::cli::add_export_command(app, result);
    brotr::cli::add_compact_command(app, result);
    brotr::cli::add_changelog_command(app, result);
    brotr::cli::add_migrate_command(app, result);
    brotr::cli::add_backup_command(app, result);
    brotr::cli::add_restore_command(app, result);
    brotr::cli::add_pg_init_command(app, result);
    brotr::cli::add_pg_check_command(app, result);
    brotr::cli::add_config_command(app, result);
    brotr::cli::add_api_command(app, result);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return brotr::cli::kExitUsage;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr: error: %s\n", e.what());
        return brotr::cli::kExitFailure;
    }
    return result.exit_code;
}
