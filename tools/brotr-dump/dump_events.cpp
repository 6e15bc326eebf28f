// brotr-dump events: matching events as JSONL, newest first.
#include <cstdio>

#include "storage/jsonl_export.hpp"
#include "tools/brotr-dump/dump_commands.hpp"

namespace brotr::dump {

int show_events(const Store& store, const Filter& query) {
    return storage::write_events_jsonl(store, query, stdout) ? 0 : 1;
}

}  // namespace brotr::dump
