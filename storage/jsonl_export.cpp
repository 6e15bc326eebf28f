#include "storage/jsonl_export.hpp"

#include <string>

#include "brotr/store.hpp"

namespace brotr::storage {

bool write_events_jsonl(const Store& store, const Filter& query, std::FILE* out) {
    std::string buffer;
    bool ok = true;
    store.for_each_event(query, [&](const Event& e) {
        append_json(e, buffer);
        buffer.push_back('\n');
        if (buffer.size() >= (1u << 20)) {
            ok = std::fwrite(buffer.data(), 1, buffer.size(), out) == buffer.size();
            buffer.clear();
        }
        return ok;
    });
    if (ok) ok = std::fwrite(buffer.data(), 1, buffer.size(), out) == buffer.size();
    return std::fflush(out) == 0 && ok;
}

}  // namespace brotr::storage
