// brotr-dump events: matching events as JSONL, newest first.
#include <cstdio>

#include "tools/brotr-dump/dump_commands.hpp"

namespace brotr::dump {

int show_events(const Store& store, const Filter& query) {
    std::string buffer;
    bool ok = true;
    store.for_each_event(query, [&](const Event& e) {
        append_json(e, buffer);
        buffer.push_back('\n');
        if (buffer.size() >= (1u << 16)) {
            ok = std::fwrite(buffer.data(), 1, buffer.size(), stdout) == buffer.size();
            buffer.clear();
        }
        return ok;
    });
    if (ok) ok = std::fwrite(buffer.data(), 1, buffer.size(), stdout) == buffer.size();
    return ok ? 0 : 1;
}

}  // namespace brotr::dump
