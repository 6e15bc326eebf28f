// brotr changelog: how the store's changelog stands (head, trimmed point,
// entries held) and its registered consumers with how far behind each is;
// --drop forgets a consumer that is gone for good, which otherwise holds
// every later entry back from trimming; --trim trims once, as the changelog
// service does. Retention marks are noted only by trims, so a first trim
// notes the head and removes nothing older than it knows of.
#include <cstdio>
#include <memory>
#include <string>

#include "brotr/store.hpp"
#include "cli/store_commands.hpp"
#include "util/clock.hpp"

namespace brotr::cli {
namespace {

struct ChangelogOptions {
    std::string store{kDefaultStorePath};
    std::string drop;
    bool trim = false;
    double retention = 259200;
};

int run_changelog(const ChangelogOptions& o) {
    try {
        if (o.trim) {
            Store store = Store::open(o.store);
            const ChangelogStatus before = store.changelog_status();
            const std::uint64_t trimmed_to =
                store.trim_changelog_by_policy(unix_now(), static_cast<std::int64_t>(o.retention));
            std::printf("trimmed %llu entries; %llu held\n",
                        static_cast<unsigned long long>(trimmed_to - before.trimmed_to),
                        static_cast<unsigned long long>(before.head - trimmed_to));
            return kExitOk;
        }
        if (!o.drop.empty()) {
            Store store = Store::open(o.store);
            if (!store.drop_changelog_consumer(o.drop)) {
                std::fprintf(stderr, "brotr changelog: error: no consumer named '%s'\n", o.drop.c_str());
                return kExitFailure;
            }
            std::printf("dropped consumer %s\n", o.drop.c_str());
            return kExitOk;
        }
        StoreOptions options;
        options.mode = OpenMode::read_only;  // beside a running brotr
        Store store = Store::open(o.store, options);
        const ChangelogStatus status = store.changelog_status();
        std::printf("head %llu\ntrimmed_to %llu\nentries %llu\n", static_cast<unsigned long long>(status.head),
                    static_cast<unsigned long long>(status.trimmed_to),
                    static_cast<unsigned long long>(status.entries()));
        const std::int64_t now = unix_now();
        for (const ChangelogConsumer& c : status.consumers)
            std::printf("consumer %s cursor %llu behind %llu updated %llds ago\n", c.name.c_str(),
                        static_cast<unsigned long long>(c.cursor),
                        static_cast<unsigned long long>(status.head > c.cursor ? status.head - c.cursor : 0),
                        static_cast<long long>(now - c.updated_at));
        return kExitOk;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "brotr changelog: error: %s\n", e.what());
        return kExitFailure;
    }
}

}  // namespace

void add_changelog_command(CLI::App& app, CommandResult& result) {
    auto o = std::make_shared<ChangelogOptions>();
    auto* cmd = app.add_subcommand("changelog",
                                   "Show the changelog: head, trimmed point, entries held, and each registered consumer "
                                   "(the running exporter of a node, the finder) with how far behind it is");
    cmd->add_option("--store", o->store, "store directory")->capture_default_str();
    cmd->add_option("--drop", o->drop,
                    "forget this consumer (it holds back trimming); needs the store to itself: stop `brotr run` first");
    auto* trim = cmd->add_flag("--trim", o->trim,
                               "trim once, as the changelog service of `brotr run` does (for cron); needs the store "
                               "to itself");
    cmd->add_option("--retention", o->retention, "with --trim: keep entries younger than this many seconds")
        ->check(CLI::Range(0.0, 31536000.0))
        ->needs(trim)
        ->capture_default_str();
    cmd->callback([o, &result] { result.exit_code = run_changelog(*o); });
}

}  // namespace brotr::cli
