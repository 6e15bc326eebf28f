// brotr import: JSONL events on stdin into the store. Invalid lines are
// counted by reason and never stored. Progress goes to stderr (for inputs
// that take longer than the progress interval), the final summary line to
// stdout.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "brotr/relay_url.hpp"
#include "brotr/store.hpp"
#include "cli/store_commands.hpp"
#include "storage/jsonl_import.hpp"

namespace brotr::cli {
namespace {

struct ImportCommandOptions {
    std::string store{kDefaultStorePath};
    std::string relay;
    bool no_verify = false;
    unsigned threads = 0;
    std::size_t batch = 4096;
    std::size_t commit_size = 64u << 20;
    double commit_interval = 1.0;
    double progress_interval = 1.0;
};

int run_import(const ImportCommandOptions& o) {
    std::optional<RelayUrl> relay;
    if (!o.relay.empty()) {
        std::string why;
        relay = RelayUrl::parse(o.relay, &why);
        if (!relay) {
            std::fprintf(stderr, "brotr import: --relay '%s' is not a relay URL: %s\n", o.relay.c_str(), why.c_str());
            return kExitUsage;
        }
    }
    try {
        StoreOptions store_options;
        store_options.bulk_load = true;
        Store store = Store::open(o.store, store_options);
        storage::ImportOptions options;
        options.relay = relay ? &*relay : nullptr;
        options.seen_at = static_cast<std::int64_t>(std::time(nullptr));
        options.verify = !o.no_verify;
        options.threads = o.threads;
        options.batch_lines = o.batch;
        options.commit_bytes = o.commit_size;
        options.commit_interval = o.commit_interval;
        using Clock = std::chrono::steady_clock;
        const auto start = Clock::now();
        auto last = start;
        options.on_batch = [&](const storage::ImportReport& r) {
            const auto now = Clock::now();
            if (std::chrono::duration<double>(now - last).count() < o.progress_interval) return;
            last = now;
            const double secs = std::chrono::duration<double>(now - start).count();
            std::fprintf(stderr, "import: progress %s rate=%.0f/s\n", r.summary().c_str(),
                         secs > 0 ? static_cast<double>(r.lines) / secs : 0.0);
            std::fflush(stderr);
        };
        auto report = storage::import_jsonl(store, STDIN_FILENO, options);
        std::printf("import: %s\n", report.summary().c_str());
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr import: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_import_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<ImportCommandOptions>();
    auto* cmd = app.add_subcommand(
        "import",
        "Import JSONL events from stdin (one NIP-01 event per line, as strfry exports). Ids and signatures are "
        "verified on every core; events already stored are recognised without verifying them again. Prints "
        "'import: read=N stored=N duplicates=N links=N invalid=N (reason=N ...)' at the end.");
    cmd->add_option("--store", o->store, "store directory (created by `brotr init`)")->capture_default_str();
    cmd->add_option("--relay", o->relay, "record every event as seen on this relay (ws:// or wss:// URL)");
    cmd->add_flag("--no-verify", o->no_verify, "trust the input: skip id and signature checks");
    cmd->add_option("--threads", o->threads, "verifying threads (default: one per core)")->check(CLI::Range(0u, 1024u));
    cmd->add_option("--batch-size", o->batch, "lines per insert")->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
        ->capture_default_str();
    cmd->add_option("--commit-size", o->commit_size,
                    "commit when this much is pending (e.g. 64MiB); commits this large go into the store as SST "
                    "files, skipping the write-ahead log")
        ->transform(CLI::AsSizeValue(false))
        ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 40))
        ->default_str("64MiB");
    cmd->add_option("--commit-interval", o->commit_interval,
                    "seconds a pending insert may wait for its commit; progress is reported after each commit")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();
    cmd->add_option("--progress-interval", o->progress_interval,
                    "seconds between progress lines on stderr (0: after every written batch)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    cmd->callback([o, &result] { result.exit_code = run_import(*o); });
}

}  // namespace brotr::cli
