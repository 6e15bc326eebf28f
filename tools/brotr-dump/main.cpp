// brotr-dump: look inside a brotr store, also while the archiver writes to
// it (the store is opened as a secondary instance, never for writing).
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "brotr/store.hpp"
#include "storage/query_options.hpp"
#include "tools/brotr-dump/dump_commands.hpp"

namespace {

constexpr int kExitUsage = 2;

struct DumpOptions {
    std::string store{brotr::kDefaultStorePath};
    bool json = false;
    std::string relay_url;
    std::size_t limit = SIZE_MAX;
    bool by_relay = false;
    brotr::storage::QueryOptions query;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"brotr-dump: inspect a brotr store (read-only; works while the archiver runs)"};
    app.require_subcommand(1);
    app.fallthrough();  // --store / --json also after the subcommand
    DumpOptions o;
    app.add_option("--store", o.store, "store directory")->capture_default_str();
    app.add_flag("--json", o.json, "JSON output for scripts instead of tables");

    std::function<int(const brotr::Store&)> action;
    auto* stats = app.add_subcommand("stats", "events_statistics and table sizes (from counters: fast at any size)");
    stats->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_stats(s, o.json); }; });
    auto* relays = app.add_subcommand("relays", "every relay with its statistics (relays_statistics)");
    relays->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_relays(s, o.json); }; });
    auto* relay = app.add_subcommand("relay", "one relay and its metadata history, newest first");
    relay->add_option("url", o.relay_url, "normalized relay URL, e.g. wss://relay.damus.io")->required();
    relay->add_option("--limit", o.limit, "at most this many snapshots");
    relay->callback([&] {
        action = [&](const brotr::Store& s) { return brotr::dump::show_relay(s, o.relay_url, o.limit, o.json); };
    });
    auto* metadata = app.add_subcommand("metadata", "the newest snapshot of every relay (relay_metadata_latest)");
    metadata->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_metadata(s, o.json); }; });
    auto* kinds = app.add_subcommand("kinds", "events per kind (kind_counts_total, or kind_counts_by_relay)");
    kinds->add_flag("--by-relay", o.by_relay, "per relay");
    kinds->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_kinds(s, o.by_relay, o.json); }; });
    auto* pubkeys = app.add_subcommand("pubkeys", "events per author (pubkey_counts_total, or pubkey_counts_by_relay)");
    pubkeys->add_flag("--by-relay", o.by_relay, "per relay, with the kinds used");
    pubkeys->add_option("--limit", o.limit, "at most this many rows");
    pubkeys->callback([&] {
        action = [&](const brotr::Store& s) { return brotr::dump::show_pubkeys(s, o.by_relay, o.limit, o.json); };
    });
    auto* events = app.add_subcommand("events", "matching events as JSONL, newest first (NIP-01 filter options)");
    events->add_option("--ids", o.query.ids, "event ids (comma-separated or repeated)")->delimiter(',');
    events->add_option("--authors", o.query.authors, "author pubkeys (comma-separated or repeated)")->delimiter(',');
    events->add_option("--kinds", o.query.kinds, "kinds (comma-separated or repeated)")->delimiter(',');
    events->add_option("--tag", o.query.tags, "tag filter <letter>=<value> (repeatable)");
    events->add_option("--since", o.query.since, "created_at >= this unix time");
    events->add_option("--until", o.query.until, "created_at <= this unix time");
    events->add_option("--limit", o.query.limit, "at most this many events");
    brotr::Filter query;
    events->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_events(s, query); }; });
    auto* state = app.add_subcommand("state", "the persistent state of every service");
    state->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::show_state(s, o.json); }; });
    auto* check = app.add_subcommand(
        "check", "full scan: every index entry points at an event, counters equal a recount (exit 1 on problems)");
    check->callback([&] { action = [&](const brotr::Store& s) { return brotr::dump::run_check(s, o.json); }; });

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : kExitUsage;
    }
    if (events->parsed()) {
        try {
            query = brotr::storage::build_query(o.query);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "brotr-dump: %s\n", e.what());
            return kExitUsage;
        }
    }
    try {
        brotr::StoreOptions so;
        so.mode = brotr::OpenMode::secondary;
        so.statistics_only = stats->parsed();  // much less log to replay beside a busy writer
        brotr::Store store = brotr::Store::open(o.store, so);
        return action(store);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr-dump: error: %s\n", e.what());
        return 1;
    }
}
