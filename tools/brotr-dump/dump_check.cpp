// brotr-dump check: the full consistency scan. Exit code 1 when it finds problems.
#include "tools/brotr-dump/dump_commands.hpp"
#include "tools/brotr-dump/dump_format.hpp"

namespace brotr::dump {

int run_check(const Store& store, bool json) {
    const CheckReport r = store.check();
    if (json) {
        print_json({{"ok", r.ok()},
                    {"events", r.events},
                    {"index_entries", r.index_entries},
                    {"counters", r.counters},
                    {"problems", r.problems}});
    } else {
        std::printf("checked %s events, %s index entries, %s counters: %s\n", format_count(r.events).c_str(),
                    format_count(r.index_entries).c_str(), format_count(r.counters).c_str(),
                    r.ok() ? "ok" : "PROBLEMS FOUND");
        for (const auto& p : r.problems) std::printf("  %s\n", p.c_str());
    }
    return r.ok() ? 0 : 1;
}

}  // namespace brotr::dump
