// brotr export: events of the store as JSONL on stdout, newest first,
// selected by NIP-01 filter options. With --pg CONNINFO --once it exports
// the store into PostgreSQL instead (export_pg_mode.cpp).
#include <cstdio>
#include <memory>
#include <string>

#include "brotr/event.hpp"
#include "brotr/store.hpp"
#include "cli/export_pg_mode.hpp"
#include "cli/store_commands.hpp"
#include "storage/jsonl_export.hpp"
#include "storage/query_options.hpp"

namespace brotr::cli {
namespace {

struct ExportCommandOptions {
    std::string store{kDefaultStorePath};
    storage::QueryOptions query;
    PgExportOptions pg;
};

void add_query_options(CLI::App& cmd, storage::QueryOptions& q) {
    cmd.add_option("--ids", q.ids, "event ids (64 hex characters; comma-separated or repeated)")->delimiter(',');
    cmd.add_option("--authors", q.authors, "author pubkeys (64 hex characters; comma-separated or repeated)")
        ->delimiter(',');
    cmd.add_option("--kinds", q.kinds, "kinds (comma-separated or repeated)")->delimiter(',');
    cmd.add_option("--tag", q.tags, "tag filter <letter>=<value>, e.g. e=<event id>, t=nostr (repeatable)");
    cmd.add_option("--since", q.since, "created_at >= this unix time");
    cmd.add_option("--until", q.until, "created_at <= this unix time");
    cmd.add_option("--limit", q.limit, "at most this many events");
}

int run_jsonl_export(const ExportCommandOptions& o) {
    Filter query;
    try {
        query = storage::build_query(o.query);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr export: %s\n", e.what());
        return kExitUsage;
    }
    try {
        // A secondary instance: exporting works while the archiver runs.
        StoreOptions so;
        so.mode = OpenMode::secondary;
        Store store = Store::open(o.store, so);
        if (store.variant() == StoreVariant::lilbrotr)
            std::fprintf(stderr, "brotr export: warning: a lilbrotr store keeps no tags or content; the events are "
                                 "written with empty ones and their ids will not verify\n");
        const bool ok = storage::write_events_jsonl(store, query, stdout);
        if (!ok) {
            std::fprintf(stderr, "brotr export: error: cannot write to stdout\n");
            return kExitFailure;
        }
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr export: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_export_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<ExportCommandOptions>();
    auto* cmd = app.add_subcommand("export",
                                   "Export events as JSONL on stdout, newest first (NIP-01 filter options), or with "
                                   "--pg CONNINFO --once the whole store into PostgreSQL");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    add_query_options(*cmd, o->query);
    add_pg_export_options(*cmd, o->pg);
    cmd->callback([o, cmd, &result] {
        if (pg_export_requested(*cmd))
            result.exit_code = run_pg_export(o->store, o->pg, *cmd);
        else
            result.exit_code = run_jsonl_export(*o);
    });
}

}  // namespace brotr::cli
