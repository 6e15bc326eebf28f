// Matching events as JSONL (one NIP-01 event object a line), newest first:
// what `brotr export` and `brotr-dump events` both write.
#pragma once

#include <cstdio>

#include "brotr/filter.hpp"

namespace brotr {
class Store;
}

namespace brotr::storage {

// Writes through a 1 MiB buffer and flushes `out` at the end. False when a
// write failed (the rest is not written).
bool write_events_jsonl(const Store& store, const Filter& query, std::FILE* out);

}  // namespace brotr::storage
